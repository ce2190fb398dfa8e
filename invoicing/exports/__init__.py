"""Files for the Trésor public and the bank: the PES v2 ORMC docket and SEPA debit batches,
built from plain frozen dataclasses that the ledger fills."""
