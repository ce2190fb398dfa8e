"""The URL names of reservations' staff screens that are not lists, linked from others."""

OCCUPANCY_URL_NAME = "reservations_occupancy"
CANCELLATION_URL_NAME = "reservations_day_cancel"
