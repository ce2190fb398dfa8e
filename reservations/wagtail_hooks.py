"""Staff screens of the reservations app: importing each module registers its screens."""

from .admin import attendance, config, config_cancellation, occupancy, queues  # noqa: F401
