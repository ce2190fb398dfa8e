"""Staff screens; registered on import by reservations/wagtail_hooks.py."""
