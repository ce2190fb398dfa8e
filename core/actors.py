"""Who a row records as having acted."""


def user_or_none(actor):
    """The account to record as having acted, or None for the system (a scheduled task) or
    an anonymous caller."""
    return actor if actor is not None and actor.is_authenticated else None
