"""Trigram indexes for the ticket search (number, title, caller) on PostgreSQL (issue 11)."""
from django.db import migrations

from dutydesk.core.trigram import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("tickets", "0004_list_indexes")]
    operations = [trigram_indexes(
        ("tickets_ticket", "ticket_title_trgm", "UPPER(title)"),
        ("tickets_ticket", "ticket_number_trgm", "UPPER(number)"),
        ("tickets_ticket", "ticket_caller_name_trgm", "UPPER(caller_name)"),
        ("tickets_ticket", "ticket_caller_phone_trgm", "caller_phone"),
    )]
