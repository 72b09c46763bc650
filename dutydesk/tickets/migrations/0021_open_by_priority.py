from django.db import migrations, models

from dutydesk.core.online_indexes import AddIndexOnline


class Migration(migrations.Migration):
    atomic = False  # built CONCURRENTLY on PostgreSQL: the work orders stay writable meanwhile

    dependencies = [
        ('tickets', '0020_project_due_and_priority'),
    ]

    operations = [
        AddIndexOnline(
            model_name='ticket',
            index=models.Index(
                models.F('project'),
                models.OrderBy(models.Case(
                    models.When(priority='low', then=models.Value(0)),
                    models.When(priority='normal', then=models.Value(1)),
                    models.When(priority='high', then=models.Value(2)),
                    models.When(priority='urgent', then=models.Value(3)),
                    default=models.Value(1), output_field=models.IntegerField()), descending=True),
                models.F('resolution_due'), models.F('id'),
                condition=models.Q(('status__in', ['new', 'dispatched', 'in_progress', 'on_hold'])),
                name='ticket_project_open_priority'),
        ),
    ]
