"""What every model of families' and bookings' data shares."""


class OutsideReferenceIndex:
    """Kept out of Wagtail's reference index, which tracks where editorial content (pages,
    images, documents, snippets) is used. Indexing families' rows would cost queries on every
    save, as many as a booking's own, and tell editors nothing."""

    wagtail_reference_index_ignore = True
