"""Bills say where their unit is (``Bill.building``, ``Bill.floor``), and a trigger keeps it so.

The month's collection by building or by floor is then read off the bills alone (migration 0009 builds the index).
Existing bills are filled from their units in this migration: one ``UPDATE`` of every bill, in the migration's
transaction (1.8 million bills: ~50 s on the 2-core bench machine; plan a deploy of a group's 7 million bills for
a few minutes of it).

The trigger: when a unit's building or floor changes (a correction in the archive, an Excel import, the admin), its
bills move with it, in the same transaction, whatever wrote the unit. On PostgreSQL a row trigger on
``archive_unit``; on SQLite the same as an SQLite trigger. The bill run copies them when it writes the bills."""
import django.db.models.deletion
from django.apps.registry import Apps
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

FILL = {
    "postgresql": """UPDATE billing_bill b SET building_id = u.building_id, floor = u.floor
                     FROM archive_unit u WHERE u.id = b.unit_id""",
    "sqlite": """UPDATE billing_bill SET building_id = (SELECT u.building_id FROM archive_unit u WHERE u.id = unit_id),
                                         floor = (SELECT u.floor FROM archive_unit u WHERE u.id = unit_id)""",
}
CREATE = {
    "postgresql": """
CREATE OR REPLACE FUNCTION billing_bills_follow_their_unit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE billing_bill SET building_id = NEW.building_id, floor = NEW.floor WHERE unit_id = NEW.id;
  RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS bills_follow_their_unit ON archive_unit;
CREATE TRIGGER bills_follow_their_unit AFTER UPDATE OF building_id, floor ON archive_unit FOR EACH ROW
  WHEN (OLD.building_id IS DISTINCT FROM NEW.building_id OR OLD.floor IS DISTINCT FROM NEW.floor)
  EXECUTE FUNCTION billing_bills_follow_their_unit();
""",
    "sqlite": """
CREATE TRIGGER IF NOT EXISTS bills_follow_their_unit AFTER UPDATE OF building_id, floor ON archive_unit FOR EACH ROW
  WHEN OLD.building_id IS NOT NEW.building_id OR OLD.floor IS NOT NEW.floor
BEGIN
  UPDATE billing_bill SET building_id = NEW.building_id, floor = NEW.floor WHERE unit_id = NEW.id;
END;
""",
}
DROP = {
    "postgresql": """DROP TRIGGER IF EXISTS bills_follow_their_unit ON archive_unit;
                     DROP FUNCTION IF EXISTS billing_bills_follow_their_unit();""",
    "sqlite": "DROP TRIGGER IF EXISTS bills_follow_their_unit;",
}


def fill(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    schema_editor.execute(FILL[schema_editor.connection.vendor])


def follow(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    schema_editor.execute(CREATE[schema_editor.connection.vendor])


def stop_following(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    schema_editor.execute(DROP[schema_editor.connection.vendor])


class Migration(migrations.Migration):

    dependencies = [
        ('archive', '0008_resident_name_pairs'),
        ('billing', '0007_project_month_with_amounts'),
    ]

    operations = [
        migrations.AddField(
            model_name='bill',
            name='building',
            field=models.ForeignKey(db_constraint=False, db_index=False, editable=False, null=True,
                                    on_delete=django.db.models.deletion.DO_NOTHING, related_name='+',
                                    to='archive.building', verbose_name='building'),
        ),
        migrations.AddField(
            model_name='bill',
            name='floor',
            field=models.SmallIntegerField(editable=False, null=True, verbose_name='floor'),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name='bill',
            name='building',
            field=models.ForeignKey(db_constraint=False, db_index=False, editable=False,
                                    on_delete=django.db.models.deletion.DO_NOTHING, related_name='+',
                                    to='archive.building', verbose_name='building'),
        ),
        migrations.AlterField(
            model_name='bill',
            name='floor',
            field=models.SmallIntegerField(editable=False, verbose_name='floor'),
        ),
        # after the columns are final (SQLite rebuilds the table to make them NOT NULL)
        migrations.RunPython(follow, stop_following, elidable=False),
    ]
