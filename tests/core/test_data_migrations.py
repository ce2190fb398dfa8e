"""Series moved to the kernel's counters keep going where they stopped."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)


def migrate(*targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(list(targets))
    return executor.loader.project_state(list(targets)).apps


@pytest.fixture
def latest():
    yield
    executor = MigrationExecutor(connection)
    migrate(*executor.loader.graph.leaf_nodes())


def test_family_numbers_go_on_from_the_old_sequence(latest):
    before = migrate(("portal_features", "0006_files_quota_purge_and_exports"))
    FamilyNumberSequence = before.get_model("portal_features", "FamilyNumberSequence")
    FamilyNumberSequence.objects.create(year=2025, last_value=317)
    FamilyNumberSequence.objects.create(year=2026, last_value=41)

    after = migrate(("portal_features", "0007_family_numbers_from_core_counters"))

    Counter = after.get_model("core", "Counter")
    assert set(Counter.objects.filter(scope="family").values_list("year", "last_value")) == {
        (2025, 317),
        (2026, 41),
    }


def test_the_move_can_be_undone(latest):
    migrate(("portal_features", "0007_family_numbers_from_core_counters"))
    from core.models import Counter

    Counter.objects.create(scope="family", year=2026, last_value=12)

    before = migrate(("portal_features", "0006_files_quota_purge_and_exports"))

    FamilyNumberSequence = before.get_model("portal_features", "FamilyNumberSequence")
    assert FamilyNumberSequence.objects.get(year=2026).last_value == 12


def test_who_decided_and_when_survive_the_renaming(latest):
    before = migrate(("portal_features", "0007_family_numbers_from_core_counters"))
    staff = before.get_model("portal_features", "User").objects.create(
        email="enfance@example.fr", is_staff=True
    )
    decided = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)
    before.get_model("portal_features", "SignupRequest").objects.create(
        email="lea@example.fr",
        data={},
        status="refused",
        reviewed_at=decided,
        reviewed_by=staff,
        refusal_reason="Hors commune",
    )

    after = migrate(("portal_features", "0008_decided_fields"))

    request = after.get_model("portal_features", "SignupRequest").objects.get()
    assert (request.decided_at, request.decided_by_id, request.refusal_reason) == (
        decided,
        staff.pk,
        "Hors commune",
    )
