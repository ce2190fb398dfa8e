# The unique index once every order has its number: a migration of its own, so that on
# PostgreSQL the table is not altered in the transaction that updated its rows.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("reservations", "0003_order_number"),
    ]

    operations = [
        migrations.AlterField(
            model_name="order",
            name="number",
            field=models.CharField(max_length=20, unique=True, verbose_name="number"),
        ),
    ]
