# The Task model moved to the inbox app (issue 16): remove it from the duty engine's migration state only. Its tables
# (duties_task, duties_historicaltask) and rows stay; inbox 0001 took them over. No other app's state points to
# duties.Task, so no foreign key needs re-pointing. The content types follow the model, so permissions and admin log
# entries that name them stay attached.

from django.db import migrations

MOVED = ["task", "historicaltask"]


def _relabel(apps, old, new):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def content_types_to_inbox(apps, schema_editor):
    _relabel(apps, "duties", "inbox")


def content_types_to_duties(apps, schema_editor):
    _relabel(apps, "inbox", "duties")


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('duties', '0002_historicaldeduction_historicalkpivalue_and_more'),
        ('inbox', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name='HistoricalTask'),
                migrations.DeleteModel(name='Task'),
            ],
        ),
        migrations.RunPython(content_types_to_inbox, content_types_to_duties),
    ]
