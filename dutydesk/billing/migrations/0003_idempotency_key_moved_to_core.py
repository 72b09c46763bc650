# The IdempotencyKey model moved to core (issue 16): remove it from billing's migration state only. Its table
# (billing_idempotencykey) and rows stay; core 0007 took it over. No other model points to it. The content type
# follows the model, so permissions and admin log entries that name it stay attached.

from django.db import migrations


def _relabel(apps, old, new):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=new, model="idempotencykey").exists():
        ContentType.objects.filter(app_label=old, model="idempotencykey").update(app_label=new)


def content_type_to_core(apps, schema_editor):
    _relabel(apps, "billing", "core")


def content_type_to_billing(apps, schema_editor):
    _relabel(apps, "core", "billing")


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("billing", "0002_billrun_bill_chargeitem_billline_chargetier_and_more"),
        ("core", "0007_idempotency_key_moved_from_billing"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name="IdempotencyKey")],
        ),
        migrations.RunPython(content_type_to_core, content_type_to_billing),
    ]
