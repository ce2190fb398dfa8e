"""Staff screens of the reservations app: importing each module registers its screens."""

from .admin import (  # noqa: F401
    attendance,
    config,
    config_cancellation,
    occupancy,
    prices,
    queues,
)
