"""French calendar facts: public holidays and school holidays (zones A, B, C).

Pure data and arithmetic, no database: opening calendars and booking deadlines
are built on top of these facts.

School holiday convention
------------------------
The official calendar gives, for each period, a "fin des cours" (usually a
Saturday, classes end after class that day) and a "reprise des cours" (a
Monday morning). A ``SchoolHoliday`` stores whole days without school:

- ``first_day`` is the Saturday named by "fin des cours", i.e. the day after
  the last school day for schools without Saturday classes (primary schools
  and the activities a family portal books);
- ``last_day`` is the day before "reprise des cours" (usually a Sunday).

Example: "fin des cours samedi 18 octobre 2025, reprise lundi 3 novembre 2025"
is stored as 2025-10-18 .. 2025-11-02. Both bounds are inclusive. For the
Ascension bridge, ``first_day`` is the Thursday (Ascension itself) and
``last_day`` the Sunday.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from types import MappingProxyType

ZONES = ("A", "B", "C")


# --- Public holidays -------------------------------------------------------


def easter_sunday(year: int) -> date:
    """Gregorian Easter Sunday (anonymous algorithm, Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 (name from the algorithm)
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return date(year, month, day + 1)


@functools.lru_cache(maxsize=64)
def _holidays(year: int, alsace_moselle: bool) -> Mapping[date, str]:
    # Read-only because the cached object is shared by every caller.
    easter = easter_sunday(year)
    days = {
        date(year, 1, 1): "Jour de l'an",
        easter + timedelta(days=1): "Lundi de Pâques",
        date(year, 5, 1): "Fête du Travail",
        date(year, 5, 8): "Victoire 1945",
        easter + timedelta(days=39): "Ascension",
        easter + timedelta(days=50): "Lundi de Pentecôte",
        date(year, 7, 14): "Fête nationale",
        date(year, 8, 15): "Assomption",
        date(year, 11, 1): "Toussaint",
        date(year, 11, 11): "Armistice 1918",
        date(year, 12, 25): "Noël",
    }
    if alsace_moselle:
        # Local law of Bas-Rhin, Haut-Rhin and Moselle adds two days.
        days[easter - timedelta(days=2)] = "Vendredi saint"
        days[date(year, 12, 26)] = "Saint Étienne"
    return MappingProxyType(dict(sorted(days.items())))


def public_holidays(year: int, *, alsace_moselle: bool = False) -> dict[date, str]:
    """Metropolitan French public holidays of ``year``, by date, sorted."""
    return dict(_holidays(year, alsace_moselle))


def is_public_holiday(day: date, *, alsace_moselle: bool = False) -> bool:
    return day in _holidays(day.year, alsace_moselle)


# --- School holidays -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SchoolHoliday:
    zone: str
    name: str
    first_day: date
    last_day: date

    def __contains__(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day


def _common(name: str, first_day: date, last_day: date) -> list[SchoolHoliday]:
    return [SchoolHoliday(zone, name, first_day, last_day) for zone in ZONES]


def _by_zone(name: str, periods: dict[str, tuple[date, date]]) -> list[SchoolHoliday]:
    return [SchoolHoliday(zone, name, *periods[zone]) for zone in ZONES]


# 2025-2026: arrêté of 2022 fixing the 2023-2024 to 2025-2026 calendars
# (JORF of 8 December 2022, https://www.aefinfo.fr/depeche/683836), dates as
# listed by https://www.calendrier-scolaire.education/regions/ile-de-france
# (zone C), https://www.professeurs-des-ecoles.com/?p=22945 (winter A/B/C,
# spring A/B), https://www.macommune.info/quel-est-le-calendrier-des-vacances-
# scolaires-en-bourgogne-franche-comte-en-2024-copy/ (zone A, no class on
# Friday 15 and Saturday 16 May 2026) and
# https://ecoleprimairelesnondales-pornic.e-primo.fr/ecole/le-calendrier-scolaire
# (zone B). Summer ends the day before the rentrée of Tuesday 1 September 2026.
_SCHOOL_YEAR_2025_2026 = [
    *_common("Toussaint", date(2025, 10, 18), date(2025, 11, 2)),
    *_common("Noël", date(2025, 12, 20), date(2026, 1, 4)),
    *_by_zone(
        "Hiver",
        {
            "A": (date(2026, 2, 7), date(2026, 2, 22)),
            "B": (date(2026, 2, 14), date(2026, 3, 1)),
            "C": (date(2026, 2, 21), date(2026, 3, 8)),
        },
    ),
    *_by_zone(
        "Printemps",
        {
            "A": (date(2026, 4, 4), date(2026, 4, 19)),
            "B": (date(2026, 4, 11), date(2026, 4, 26)),
            "C": (date(2026, 4, 18), date(2026, 5, 3)),
        },
    ),
    *_common("Pont de l'Ascension", date(2026, 5, 14), date(2026, 5, 17)),
    *_common("Été", date(2026, 7, 4), date(2026, 8, 31)),
]

# 2026-2027: calendar presented to the Conseil supérieur de l'éducation in
# September 2025, https://champagne-ardenne.sgen-cfdt.fr/actu/calendrier-
# scolaire-2026-2027-un-projet-sans-consensus (all zones); zone C confirmed by
# https://www.calendrier-scolaire.education/regions/ile-de-france, zones B and
# C winter, Toussaint, Noël and the Ascension bridge by the ministry's
# data.education.gouv.fr dataset "fr-en-calendrier-scolaire" (annee_scolaire
# "2026-2027"). Summer is left out: its start (Saturday 3 July 2027) is known
# but the sources disagree on the rentrée 2027, so the period has no end yet.
_SCHOOL_YEAR_2026_2027 = [
    *_common("Toussaint", date(2026, 10, 17), date(2026, 11, 1)),
    *_common("Noël", date(2026, 12, 19), date(2027, 1, 3)),
    *_by_zone(
        "Hiver",
        {
            "A": (date(2027, 2, 13), date(2027, 2, 28)),
            "B": (date(2027, 2, 20), date(2027, 3, 7)),
            "C": (date(2027, 2, 6), date(2027, 2, 21)),
        },
    ),
    *_by_zone(
        "Printemps",
        {
            "A": (date(2027, 4, 10), date(2027, 4, 25)),
            "B": (date(2027, 4, 17), date(2027, 5, 2)),
            "C": (date(2027, 4, 3), date(2027, 4, 18)),
        },
    ),
    *_common("Pont de l'Ascension", date(2027, 5, 6), date(2027, 5, 9)),
]

SCHOOL_HOLIDAYS: dict[str, tuple[SchoolHoliday, ...]] = {
    "2025-2026": tuple(_SCHOOL_YEAR_2025_2026),
    "2026-2027": tuple(_SCHOOL_YEAR_2026_2027),
}


def _check_zone(zone: str) -> None:
    if zone not in ZONES:
        raise ValueError(f"Unknown school zone {zone!r}, expected one of {ZONES}.")


def school_holidays(zone: str, *, start: date, end: date) -> list[SchoolHoliday]:
    """Periods of ``zone`` that overlap ``start``..``end`` (inclusive), sorted."""
    _check_zone(zone)
    return sorted(
        (
            period
            for periods in SCHOOL_HOLIDAYS.values()
            for period in periods
            if period.zone == zone and period.first_day <= end and period.last_day >= start
        ),
        key=lambda period: period.first_day,
    )


def is_school_holiday(day: date, zone: str) -> bool:
    """True when ``day`` is a day without school in ``zone``.

    Only the school years in ``SCHOOL_HOLIDAYS`` are known: outside them the
    answer is False, not a guess.
    """
    return bool(school_holidays(zone, start=day, end=day))
