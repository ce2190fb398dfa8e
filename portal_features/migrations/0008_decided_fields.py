# What staff decide reads the same in every app (core.models.DecidedModel): reviewed_at and
# reviewed_by become decided_at and decided_by, renamed in place, no row touched; account
# and change requests take the one RequestStatus of core.choices (labels only).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("portal_features", "0007_family_numbers_from_core_counters"),
    ]

    operations = [
        migrations.RenameField("signuprequest", "reviewed_at", "decided_at"),
        migrations.RenameField("signuprequest", "reviewed_by", "decided_by"),
        migrations.RenameField("changerequest", "reviewed_at", "decided_at"),
        migrations.RenameField("changerequest", "reviewed_by", "decided_by"),
        migrations.RenameField("supportingdocument", "reviewed_at", "decided_at"),
        migrations.RenameField("supportingdocument", "reviewed_by", "decided_by"),
        migrations.AlterField(
            model_name='changerequest',
            name='decided_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='decided at'),
        ),
        migrations.AlterField(
            model_name='changerequest',
            name='decided_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by'),
        ),
        migrations.AlterField(
            model_name='changerequest',
            name='status',
            field=models.CharField(choices=[('pending', 'Awaiting validation'), ('accepted', 'Validated'), ('refused', 'Refused'), ('cancelled', 'Cancelled')], default='pending', max_length=10, verbose_name='status'),
        ),
        migrations.AlterField(
            model_name='signuprequest',
            name='decided_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='decided at'),
        ),
        migrations.AlterField(
            model_name='signuprequest',
            name='decided_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by'),
        ),
        migrations.AlterField(
            model_name='signuprequest',
            name='status',
            field=models.CharField(choices=[('pending', 'Awaiting validation'), ('accepted', 'Validated'), ('refused', 'Refused'), ('cancelled', 'Cancelled')], default='pending', max_length=10, verbose_name='status'),
        ),
        migrations.AlterField(
            model_name='supportingdocument',
            name='decided_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='decided at'),
        ),
        migrations.AlterField(
            model_name='supportingdocument',
            name='decided_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by'),
        ),
    ]
