# Orders get a real number, from a yearly series (2026-00042) for new ones. Orders submitted
# before keep their id as number: the receipts already sent named them so.

from django.db import migrations, models


def number_existing_orders(apps, schema_editor):
    Order = apps.get_model("reservations", "Order")
    for order in Order.objects.filter(number="").only("pk").iterator():
        Order.objects.filter(pk=order.pk).update(number=str(order.pk))


class Migration(migrations.Migration):

    dependencies = [
        ("reservations", "0002_absence_certificate_size"),
    ]

    operations = [
        migrations.AddField(
            model_name="order",
            name="number",
            field=models.CharField(default="", max_length=20, verbose_name="number"),
            preserve_default=False,
        ),
        migrations.RunPython(number_existing_orders, migrations.RunPython.noop),
    ]
