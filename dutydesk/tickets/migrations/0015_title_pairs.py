"""The pairs of characters of each work order's title, for a search of two characters (漏水, 电梯), which the
trigram index cannot serve, on PostgreSQL (issue 11)."""
from django.db import migrations

from dutydesk.core.trigram import pair_indexes


class Migration(migrations.Migration):
    dependencies = [("tickets", "0014_unit_running")]
    operations = [pair_indexes(("tickets_ticket", "ticket_title_pairs", "UPPER(title::text)"))]
