"""Family.quotient and its dates go (the records hold the QF now); on PostgreSQL, the
records in force of a family can no longer overlap, whatever writes them."""

from django.db import migrations

EXCLUSION = """
ALTER TABLE portal_features_quotientrecord
ADD CONSTRAINT quotient_records_never_overlap
EXCLUDE USING gist (
    family_id WITH =,
    daterange(valid_from, valid_until, '[]') WITH &&
) WHERE (superseded_at IS NULL)
"""
DROP = "ALTER TABLE portal_features_quotientrecord DROP CONSTRAINT quotient_records_never_overlap"


EXTENSION = "CREATE EXTENSION IF NOT EXISTS btree_gist"


def on_postgresql(sql):
    """An operation run on PostgreSQL only: SQLite (the demo) has no exclusion
    constraints, `clean()` and the service keep the rule there."""

    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("portal_features", "0010_quotients_from_family_fields"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="family",
            name="family_quotient_period_ordered",
        ),
        migrations.RemoveField(
            model_name="family",
            name="quotient",
        ),
        migrations.RemoveField(
            model_name="family",
            name="quotient_valid_from",
        ),
        migrations.RemoveField(
            model_name="family",
            name="quotient_valid_until",
        ),
        # btree_gist (trusted since PostgreSQL 13) compares ids and texts with `=` in GiST;
        # kept when migrating back: other constraints may use it.
        migrations.RunPython(on_postgresql(EXTENSION), migrations.RunPython.noop),
        migrations.RunPython(on_postgresql(EXCLUSION), on_postgresql(DROP)),
    ]
