# Family numbers are taken from the kernel's counters (scope "family"): each year's last
# number moves into core.Counter, so the series goes on without a gap or a double.

from django.db import migrations

SCOPE = "family"


def sequences_to_counters(apps, schema_editor):
    FamilyNumberSequence = apps.get_model("portal_features", "FamilyNumberSequence")
    Counter = apps.get_model("core", "Counter")
    for sequence in FamilyNumberSequence.objects.all():
        counter, _created = Counter.objects.get_or_create(
            scope=SCOPE, year=sequence.year, defaults={"last_value": 0}
        )
        counter.last_value = max(counter.last_value, sequence.last_value)
        counter.save(update_fields=["last_value"])


def counters_to_sequences(apps, schema_editor):
    FamilyNumberSequence = apps.get_model("portal_features", "FamilyNumberSequence")
    Counter = apps.get_model("core", "Counter")
    for counter in Counter.objects.filter(scope=SCOPE):
        FamilyNumberSequence.objects.update_or_create(
            year=counter.year, defaults={"last_value": counter.last_value}
        )


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0001_counters"),
        ("portal_features", "0006_files_quota_purge_and_exports"),
    ]

    operations = [
        migrations.RunPython(sequences_to_counters, counters_to_sequences),
        migrations.DeleteModel(
            name="FamilyNumberSequence",
        ),
    ]
