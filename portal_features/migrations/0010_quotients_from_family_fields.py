"""The family's one QF (Family.quotient and its dates) becomes a dated record, and pending
change requests that ask for a new QF become requests for a new record."""

from zoneinfo import ZoneInfo

from django.db import migrations

QUOTIENT_FIELDS = ("quotient", "quotient_valid_from", "quotient_valid_until")
ACTION_KEY = "__action__"
PARIS = ZoneInfo("Europe/Paris")


def records_from_families(apps, schema_editor):
    Family = apps.get_model("portal_features", "Family")
    QuotientRecord = apps.get_model("portal_features", "QuotientRecord")
    records = []
    for family in Family.objects.exclude(quotient=None).iterator():
        # A QF without a start date was valid from the file's opening.
        start = family.quotient_valid_from or family.created_at.astimezone(PARIS).date()
        end = family.quotient_valid_until
        if end is not None and end < start:
            end = start
        records.append(
            QuotientRecord(
                family_id=family.pk,
                value=family.quotient,
                valid_from=start,
                valid_until=end,
                source="attestation",
            )
        )
    QuotientRecord.objects.bulk_create(records, batch_size=500)


def pending_requests_to_records(apps, schema_editor):
    """A pending request changing the QF asks, from now on, for a new record of it; its
    other fields (address, bank details) stay a request of their own."""
    ChangeRequest = apps.get_model("portal_features", "ChangeRequest")
    ContentType = apps.get_model("contenttypes", "ContentType")
    family_type = ContentType.objects.filter(app_label="portal_features", model="family").first()
    if family_type is None:
        return
    for request in ChangeRequest.objects.filter(status="pending", target_type=family_type):
        changes = request.changes or {}
        if ACTION_KEY in changes or not any(name in changes for name in QUOTIENT_FIELDS):
            continue
        new = {name: changes.get(name, [None, None])[1] for name in QUOTIENT_FIELDS}
        rest = {name: pair for name, pair in changes.items() if name not in QUOTIENT_FIELDS}
        quotient_changes = None
        if new["quotient"] not in (None, ""):
            quotient_changes = {
                ACTION_KEY: "create:quotientrecord",
                "value": [None, new["quotient"]],
                # Without a start date, from the day the family asked.
                "valid_from": [
                    None,
                    new["quotient_valid_from"]
                    or request.created_at.astimezone(PARIS).date().isoformat(),
                ],
                "valid_until": [None, new["quotient_valid_until"]],
            }
        if rest and quotient_changes:
            ChangeRequest.objects.create(
                family_id=request.family_id,
                target_type=family_type,
                target_id=request.target_id,
                summary=request.summary,
                changes=quotient_changes,
                created_by_id=request.created_by_id,
                created_at=request.created_at,
            )
            request.changes = rest
        elif quotient_changes:
            request.changes = quotient_changes
        elif rest:
            request.changes = rest
        else:
            request.status = "refused"
            request.refusal_reason = "Demande sans nouveau quotient familial."
        request.save()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("portal_features", "0009_quotient_records_and_custody"),
    ]

    operations = [
        migrations.RunPython(records_from_families, migrations.RunPython.noop),
        migrations.RunPython(pending_requests_to_records, migrations.RunPython.noop),
    ]
