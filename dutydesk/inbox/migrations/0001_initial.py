# The Task model moved here from the duty engine (issue 16). Its tables stay where duties 0001 created them
# (duties_task, duties_historicaltask): this migration only tells the migration state that the inbox owns them;
# duties 0003 removes them from the duty engine's state. Nothing is created or dropped in the database.

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('archive', '0002_initial'),
        ('duties', '0001_initial'),  # creates the tables this state describes
        ('org', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='HistoricalTask',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('title', models.CharField(max_length=200, verbose_name='title')),
                        ('description', models.TextField(blank=True, verbose_name='details')),
                        ('source', models.CharField(default='manual', max_length=40, verbose_name='source')),
                        ('source_key', models.CharField(blank=True, db_index=True, max_length=200, null=True)),
                        ('url', models.CharField(blank=True, max_length=300, verbose_name='link')),
                        ('due_at', models.DateTimeField(verbose_name='due at')),
                        ('status', models.CharField(choices=[('open', 'open'), ('done', 'done'), ('cancelled', 'cancelled')], default='open', max_length=10, verbose_name='status')),
                        ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created at')),
                        ('completed_at', models.DateTimeField(blank=True, null=True, verbose_name='completed at')),
                        ('note', models.TextField(blank=True, verbose_name='completion note')),
                        ('evidence', models.TextField(blank=True, max_length=100, null=True, verbose_name='photo evidence')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('assignee', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='assignee')),
                        ('completed_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='completed by')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('post', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='org.post', verbose_name='post')),
                        ('project', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='archive.project', verbose_name='project')),
                        ('routine', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='org.routine', verbose_name='routine')),
                    ],
                    options={
                        'verbose_name': 'historical task',
                        'verbose_name_plural': 'historical tasks',
                        'db_table': 'duties_historicaltask',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='Task',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=200, verbose_name='title')),
                        ('description', models.TextField(blank=True, verbose_name='details')),
                        ('source', models.CharField(default='manual', max_length=40, verbose_name='source')),
                        ('source_key', models.CharField(blank=True, max_length=200, null=True, unique=True)),
                        ('url', models.CharField(blank=True, max_length=300, verbose_name='link')),
                        ('due_at', models.DateTimeField(verbose_name='due at')),
                        ('status', models.CharField(choices=[('open', 'open'), ('done', 'done'), ('cancelled', 'cancelled')], default='open', max_length=10, verbose_name='status')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('completed_at', models.DateTimeField(blank=True, null=True, verbose_name='completed at')),
                        ('note', models.TextField(blank=True, verbose_name='completion note')),
                        ('evidence', models.ImageField(blank=True, null=True, upload_to='tasks/%Y/%m/', verbose_name='photo evidence')),
                        ('assignee', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='tasks', to=settings.AUTH_USER_MODEL, verbose_name='assignee')),
                        ('completed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='completed by')),
                        ('post', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='tasks', to='org.post', verbose_name='post')),
                        ('project', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='tasks', to='archive.project', verbose_name='project')),
                        ('routine', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='tasks', to='org.routine', verbose_name='routine')),
                    ],
                    options={
                        'verbose_name': 'task',
                        'verbose_name_plural': 'tasks',
                        'db_table': 'duties_task',
                        'ordering': ['due_at', 'id'],
                        'indexes': [models.Index(fields=['assignee', 'status', 'due_at'], name='duties_task_assigne_4b2904_idx'), models.Index(fields=['post', 'status', 'due_at'], name='duties_task_post_id_584b6e_idx')],
                        'constraints': [models.CheckConstraint(condition=models.Q(('assignee__isnull', False), ('post__isnull', False), _connector='OR'), name='task_has_assignee_or_post')],
                    },
                ),
            ],
        ),
    ]
