"""Every state change of the reservations app; one module per concern.

Services take keyword-only arguments and `now=` (tests set the time), run in one
transaction, raise ReservationError with a French message, record the change, then notify.
"""
