"""The billed family of the ledger tests."""

from ..ledger.conftest import ledger  # noqa: F401 - the fixture, shared
