"""Bills say where their unit is (``Bill.building``, ``Bill.floor``), and a trigger keeps it so.

The month's collection by building or by floor is then read off the bills alone (migration 0009 builds the index).
Existing bills are filled from their units in this migration: one ``UPDATE`` of every bill, in the migration's
transaction (1.8 million bills: ~50 s on the 2-core bench machine; plan a deploy of a group's 7 million bills for
a few minutes of it).

The trigger (``dutydesk.archive.places``): when a unit's building or floor changes (a correction in the archive, an
Excel import, the admin), its bills move with it, in the same transaction, whatever wrote the unit. On PostgreSQL a
row trigger on ``archive_unit``; on SQLite the same as an SQLite trigger. The bill run copies them when it writes the
bills."""
import django.db.models.deletion
from django.apps.registry import Apps
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from dutydesk.archive import places

TABLE = "billing_bill"


def fill(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    schema_editor.execute(places.fill_sql(TABLE, schema_editor.connection.vendor))


def follow(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    schema_editor.execute(places.follow_the_unit(TABLE, schema_editor.connection.vendor))


def stop_following(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    schema_editor.execute(places.stop_following(TABLE, schema_editor.connection.vendor))


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
