"""Bills say where their unit is (``Bill.building``, ``Bill.floor``), and a trigger keeps it so.

The month's collection by building or by floor is then read off the bills alone (migration 0009 builds the index).
Existing bills are filled from their units in this migration: one ``UPDATE`` of every bill, in the migration's
transaction, the bills locked for writing meanwhile (1.8 million bills: this migration and 0009's index 81 s on the
2-core bench machine; plan a deploy of a group's 7 million bills for a few minutes of it).

The trigger (``dutydesk.archive.places``): when a unit's building or floor changes (a correction in the archive, an
Excel import, the admin), its bills move with it, in the same transaction, whatever wrote the unit. On PostgreSQL a
row trigger on ``archive_unit``; on SQLite the same as an SQLite trigger. The bill run copies them when it writes the
bills."""
from django.db import migrations

from dutydesk.archive import places


class Migration(migrations.Migration):

    dependencies = [
        ('archive', '0008_resident_name_pairs'),
        ('billing', '0007_project_month_with_amounts'),
    ]

    operations = places.adding_the_place("bill", "billing_bill")
