"""Deleting a unit waits while its project is locked for update (PostgreSQL).

A trigger takes ``FOR KEY SHARE`` on the unit's project row before the unit is deleted. Whoever holds
the project ``FOR UPDATE`` (the bill run, ``billing/billrun.py``) may therefore rely on every unit of the
project to exist until it commits, without locking a million unit rows one by one (1.3 s at 1M units).
A deletion that waited goes on once the lock holder commits, and then fails on the rows that now
reference the unit, as any protected deletion does. SQLite runs one writer at a time and needs none."""
from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

CREATE = """
CREATE OR REPLACE FUNCTION archive_unit_delete_waits_for_project() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM archive_project WHERE id = OLD.project_id FOR KEY SHARE;
  RETURN OLD;
END $$;
DROP TRIGGER IF EXISTS unit_delete_waits_for_project ON archive_unit;
CREATE TRIGGER unit_delete_waits_for_project BEFORE DELETE ON archive_unit
  FOR EACH ROW EXECUTE FUNCTION archive_unit_delete_waits_for_project();
"""
DROP = """
DROP TRIGGER IF EXISTS unit_delete_waits_for_project ON archive_unit;
DROP FUNCTION IF EXISTS archive_unit_delete_waits_for_project();
"""


def create(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("archive", "0005_unit_list_order")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
