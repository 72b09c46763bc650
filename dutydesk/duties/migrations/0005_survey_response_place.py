"""Survey responses say where their unit is (``SurveyResponse.building``, ``.floor``; ``dutydesk.archive.places``),
and a trigger keeps it so: a floor butler's average rating groups the month's answers and their responses alone.
Existing responses are filled from their units here (one ``UPDATE``)."""
import django.db.models.deletion
from django.apps.registry import Apps
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from dutydesk.archive import places

TABLE = "duties_surveyresponse"


def fill(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    schema_editor.execute(places.fill_sql(TABLE, schema_editor.connection.vendor))


def follow(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    schema_editor.execute(places.follow_the_unit(TABLE, schema_editor.connection.vendor))


def stop_following(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    schema_editor.execute(places.stop_following(TABLE, schema_editor.connection.vendor))


class Migration(migrations.Migration):

    dependencies = [
        ('archive', '0008_resident_name_pairs'),
        ('duties', '0004_labels_in_chinese'),
    ]

    operations = [
        migrations.AddField(
            model_name='surveyresponse',
            name='building',
            field=models.ForeignKey(db_constraint=False, db_index=False, editable=False, null=True,
                                    on_delete=django.db.models.deletion.DO_NOTHING, related_name='+',
                                    to='archive.building', verbose_name='building'),
        ),
        migrations.AddField(
            model_name='surveyresponse',
            name='floor',
            field=models.SmallIntegerField(editable=False, null=True, verbose_name='floor'),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name='surveyresponse',
            name='building',
            field=models.ForeignKey(db_constraint=False, db_index=False, editable=False,
                                    on_delete=django.db.models.deletion.DO_NOTHING, related_name='+',
                                    to='archive.building', verbose_name='building'),
        ),
        migrations.AlterField(
            model_name='surveyresponse',
            name='floor',
            field=models.SmallIntegerField(editable=False, verbose_name='floor'),
        ),
        # after the columns are final (SQLite rebuilds the table to make them NOT NULL)
        migrations.RunPython(follow, stop_following, elidable=False),
    ]
