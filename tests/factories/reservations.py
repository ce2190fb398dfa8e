import datetime

import factory

from .portal_features import ChildFactory, FamilyFactory


class SchoolYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reservations.SchoolYear"
        django_get_or_create = ("name",)

    name = "2026-2027"
    start_date = datetime.date(2026, 9, 1)
    end_date = datetime.date(2027, 8, 31)


class FacilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reservations.Facility"
        django_get_or_create = ("name",)

    name = "Accueil de loisirs Les Tilleuls"
    email = "alsh@montrivel.fr"


class ActivityFactory(factory.django.DjangoModelFactory):
    """Open on Wednesdays of the school year, booking without deadline rule, automatic."""

    class Meta:
        model = "reservations.Activity"

    school_year = factory.SubFactory(SchoolYearFactory)
    facility = factory.SubFactory(FacilityFactory)
    name = factory.Sequence(lambda n: f"2026/2027 - ALSH Mercredis {n}")
    start_date = datetime.date(2026, 9, 2)
    end_date = datetime.date(2027, 7, 3)
    weekdays = factory.LazyFunction(lambda: [2])
    calendar = "all_days"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reservations.Unit"

    activity = factory.SubFactory(ActivityFactory)
    name = "Journée"
    start_time = datetime.time(8, 30)
    end_time = datetime.time(17, 30)
    includes_meal = True
    price = "12.20"


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reservations.Group"

    activity = factory.SubFactory(ActivityFactory)
    name = "Élémentaire"
    capacity = 30


class EnrolmentFactory(factory.django.DjangoModelFactory):
    """A validated administrative file of `child` in `family` for the school year."""

    class Meta:
        model = "reservations.Enrolment"

    family = factory.SubFactory(FamilyFactory)
    child = factory.SubFactory(ChildFactory)
    school_year = factory.SubFactory(SchoolYearFactory)
    status = "accepted"


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A validated registration (give family, child, activity and group)."""

    class Meta:
        model = "reservations.Registration"

    status = "accepted"
