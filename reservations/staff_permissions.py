"""What the Enfance staff group may do in the reservations' staff screens (granted in apps.py):
configure the calendar and activities, decide requests, take attendance."""

ENFANCE_PERMISSIONS = [
    *[
        f"reservations.{action}_{model}"
        for model in (
            "schoolyear",
            "period",
            "facility",
            "closure",
            "reservationrule",
            "activity",
            "unit",
            "group",
            "slot",
        )
        for action in ("view", "add", "change", "delete")
    ],
    "reservations.change_calendarsettings",
    # Tariffs and aids: set them and simulate a price.
    *[
        f"reservations.{action}_{model}"
        for model in ("tariff", "tariffbracket", "siblingreduction", "aid")
        for action in ("view", "add", "change", "delete")
    ],
    *[
        f"reservations.{action}_{model}"
        for model in ("enrolment", "registration", "reservation", "absence", "order")
        for action in ("view", "change")
    ],
]
