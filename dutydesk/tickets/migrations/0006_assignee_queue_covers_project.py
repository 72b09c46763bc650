"""The technician's running queue index carries the project: its count reads the index only (issue 11)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [("tickets", "0005_search_trigrams")]

    operations = [
        migrations.RemoveIndex(
            model_name='ticket',
            name='ticket_assignee_running_due',
        ),
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(condition=models.Q(('status__in', ['new', 'dispatched', 'in_progress'])), fields=['assignee', 'resolution_due', 'id', 'project'], name='ticket_assignee_running_due'),
        ),
    ]
