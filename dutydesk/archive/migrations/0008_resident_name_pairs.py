"""The pairs of characters of each resident's name, for a search of two characters (a given name: 小明 finds 王小明),
which the trigram index cannot serve, on PostgreSQL (issue 11). The function ``dutydesk_pairs`` comes with it (the
work orders' title pairs, tickets.0015, make it too)."""
from django.db import migrations

from dutydesk.core.trigram import pair_indexes


class Migration(migrations.Migration):
    atomic = False  # built CONCURRENTLY on PostgreSQL: the residents stay writable meanwhile
    dependencies = [("archive", "0007_labels_in_chinese")]
    operations = [pair_indexes(("archive_resident", "resident_name_pairs", "UPPER(name::text)"))]
