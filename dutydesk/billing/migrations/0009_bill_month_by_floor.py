from django.db import migrations, models

from dutydesk.core.online_indexes import AddIndexOnline, RemoveIndexOnline


class Migration(migrations.Migration):
    atomic = False  # built and dropped CONCURRENTLY on PostgreSQL: the bills stay writable meanwhile

    dependencies = [
        ('billing', '0008_bill_building_and_floor'),
    ]

    operations = [
        # the new index first, then the old one goes: a month's bills are read off an index throughout (the new one
        # begins with the old one's columns and carries the same amounts)
        AddIndexOnline(
            model_name='bill',
            index=models.Index(fields=['project', 'period', 'building', 'floor'], include=('amount', 'paid'),
                               name='bill_month_by_floor'),
        ),
        RemoveIndexOnline(
            model_name='bill',
            name='bill_project_month',
        ),
    ]
