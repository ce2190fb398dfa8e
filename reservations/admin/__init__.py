"""Staff screens of the reservations app (wagtail-modeladmin), one module per concern."""
