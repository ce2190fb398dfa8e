# Enrolments and registrations take the one RequestStatus of core.choices (labels only) and
# its default, from core.models.DecidedModel.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reservations', '0004_order_number_unique'),
    ]

    operations = [
        migrations.AlterField(
            model_name='enrolment',
            name='status',
            field=models.CharField(choices=[('pending', 'Awaiting validation'), ('accepted', 'Validated'), ('refused', 'Refused'), ('cancelled', 'Cancelled')], default='pending', max_length=10, verbose_name='status'),
        ),
        migrations.AlterField(
            model_name='registration',
            name='status',
            field=models.CharField(choices=[('pending', 'Awaiting validation'), ('accepted', 'Validated'), ('refused', 'Refused'), ('cancelled', 'Cancelled')], default='pending', max_length=10, verbose_name='status'),
        ),
    ]
