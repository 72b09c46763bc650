"""Trigram indexes for the unit and resident searches (name, phone, unit number) on PostgreSQL (issue 11)."""
from django.db import migrations

from dutydesk.core.trigram import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("archive", "0003_identity_reveal")]
    operations = [trigram_indexes(
        ("archive_resident", "resident_name_trgm", "UPPER(name)"),
        ("archive_resident", "resident_phone_trgm", "phone"),
        ("archive_unit", "unit_number_trgm", "UPPER(number)"),
    )]
