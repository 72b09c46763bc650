"""One lock rule for scheduled jobs: a mark per (job, period, project); and the file a background job produced."""
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0005_job_mark"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="jobmark", name="job_mark_unique"),
        migrations.RenameField(model_name="jobmark", old_name="key", new_name="period"),
        migrations.AlterField(model_name="jobmark", name="period",
                              field=models.CharField(max_length=20, verbose_name="period")),
        migrations.AddField(model_name="jobmark", name="project",
                            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="project")),
        migrations.AddConstraint(
            model_name="jobmark",
            constraint=models.UniqueConstraint(condition=models.Q(("project__isnull", False)),
                                               fields=("job", "period", "project"), name="job_mark_per_project_unique")),
        migrations.AddConstraint(
            model_name="jobmark",
            constraint=models.UniqueConstraint(condition=models.Q(("project__isnull", True)), fields=("job", "period"),
                                               name="job_mark_unique")),
        migrations.AddField(model_name="backgroundjob", name="file",
                            field=models.FileField(blank=True, max_length=255, upload_to="jobs/", verbose_name="file")),
    ]
