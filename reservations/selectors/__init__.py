"""Reads of the reservations app, always scoped to the family (or to staff screens)."""
