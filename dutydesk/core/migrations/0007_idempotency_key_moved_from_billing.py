# The IdempotencyKey model moved here from billing (issue 16: the Idempotency-Key is an HTTP concern of the API layer,
# and core imports no app above it). Its table stays where billing 0002 created it (billing_idempotencykey): this
# migration only tells the migration state that core owns it; billing 0003 removes it from billing's state. Nothing
# is created or dropped in the database.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0006_job_mark_per_project"),
        ("billing", "0002_billrun_bill_chargeitem_billline_chargetier_and_more"),  # creates the table
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="IdempotencyKey",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("key", models.CharField(max_length=100)),
                        ("request_hash", models.CharField(max_length=64)),
                        ("status_code", models.PositiveSmallIntegerField(default=0)),
                        ("response", models.JSONField(default=dict)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+",
                                                   to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "billing_idempotencykey",
                        "constraints": [models.UniqueConstraint(fields=("user", "key"),
                                                                name="idempotency_key_unique_per_user")],
                    },
                ),
            ],
        ),
    ]
