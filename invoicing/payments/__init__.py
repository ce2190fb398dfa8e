"""Online payment and direct debit, at the edge: the providers' protocols and field rules.

This package speaks to PayFiP, Systempay/PayZen and the built-in simulator from plain frozen
dataclasses (`providers.base`), so the ledger (attempts, payments, allocations) can be built on
it without this layer knowing its models.
"""
