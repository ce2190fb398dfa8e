"""Migration 0012 turns the addresses stored in alerts into portal views, best effort."""

import importlib

migration = importlib.import_module(
    "portal_features.migrations.0012_notification_link_view_and_open_kinds"
)


def test_an_absolute_address_becomes_its_view_and_arguments():
    assert migration._view_of("https://mairie.example.fr/enfance/portail/messages/12/") == (
        "messaging:thread_detail",
        {"thread_id": 12},
    )


def test_a_site_relative_address_becomes_its_view():
    assert migration._view_of("/portail-famille/documents/") == ("documents:list", {})
    assert migration._view_of("/portail-famille/reservations/calendar/") == (
        "reservations:calendar",
        {},
    )


def test_an_address_outside_the_portal_screens_is_dropped():
    assert migration._view_of("https://mairie.example.fr/actualites/fete/") is None
    assert migration._view_of("/portail-famille/") is None
