"""Staff screens of the invoicing app: importing the package registers the « Facturation »
menu and its screens."""

from . import admin  # noqa: F401
