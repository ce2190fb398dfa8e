"""« Mon calendrier » for every reader: each cell names its headers (activity, unit, day),
and the states' colours keep text and borders readable (WCAG AA)."""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.utils import timezone
from wagtail.models import Site

from cms.models import CommuneSettings
from portal_features.portal.urls import portal_path
from reservations.services import basket as basket_services
from tests import factories

from ..conftest import NOW, WEDNESDAY

pytestmark = pytest.mark.django_db

TEXT = "#1a1a1a"  # --color-text
MUTED = "#595959"  # --color-muted


class Cells(HTMLParser):
    """The ids of every <th> and the `headers` of every <td> of each table."""

    def __init__(self):
        super().__init__()
        self.tables = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.tables.append({"ids": set(), "cells": []})
        elif tag == "th" and attrs.get("id") and self.tables:
            self.tables[-1]["ids"].add(attrs["id"])
        elif tag == "td" and "cal__cell" in (attrs.get("class") or "") and self.tables:
            self.tables[-1]["cells"].append(attrs.get("headers"))


def test_every_cell_of_the_month_names_its_activity_unit_and_day(
    client, home_page, world, monkeypatch
):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    CommuneSettings.for_site(Site.objects.get(is_default_site=True))
    portal = factories.PortalPageFactory(parent=home_page)
    basket_services.basket_add_bookings(
        family=world.family,
        child_id=world.child.pk,
        unit_id=world.unit.pk,
        days=[WEDNESDAY],
        user=None,
        now=NOW,
    )
    client.force_login(world.guardian.user)

    response = client.get(portal.url + portal_path("reservations:calendar"), {"month": "2026-11"})

    parser = Cells()
    parser.feed(response.content.decode())
    tables = [table for table in parser.tables if table["cells"]]
    assert tables
    prefix = f"cal{world.child.pk}"
    for table in tables:
        assert len(table["cells"]) >= 30  # one row, one cell per day of November
        for headers in table["cells"]:
            assert headers, "a cell without headers"
            ids = headers.split()
            assert len(ids) == 3
            assert set(ids) <= table["ids"], f"{ids} not among the table's headers"
        assert f"{prefix}-d{WEDNESDAY:%Y%m%d}" in table["ids"]
        assert f"{prefix}-u{world.unit.pk}" in table["ids"]


def luminance(colour: str) -> float:
    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))

    def channel(c):
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def css(name: str) -> str:
    return (settings.BASE_DIR / "static" / "reservations" / name).read_text()


def test_the_states_colours_keep_text_readable_and_borders_visible():
    calendar = css("calendar.css")
    fills = dict(re.findall(r"\.cal__cell--(\w+)[^{]*\{ background: (#[0-9a-f]{6})", calendar))
    assert len(fills) >= 13
    for state, fill in fills.items():
        assert contrast(TEXT, fill) >= 4.5, state
    assert contrast(MUTED, fills["out_of_time"]) >= 4.5
    border = re.search(r"\.cal th, \.cal td \{ border: 1px solid (#[0-9a-f]{6})", calendar)[1]
    for state, fill in {**fills, "page": "#ffffff"}.items():
        assert contrast(border, fill) >= 3, f"cell border on {state}"

    booking = css("booking.css")
    for colour in re.findall(r"\.cell--[^{]*\{ border-left-color: (#[0-9a-f]{6})", booking):
        assert contrast(colour, "#ffffff") >= 3, colour
