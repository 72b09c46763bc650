"""Posts that keep the archive (archive.edit) read residents' emergency contacts and e-mail: grant them the new
archive.view_contacts on databases whose catalogue was imported before it existed (a re-import does the same)."""
from django.db import migrations


def grant(apps, schema_editor):
    Post = apps.get_model("org", "Post")
    for post in Post.objects.all():
        permissions = list(post.permissions or [])
        if "archive.edit" in permissions and "archive.view_contacts" not in permissions:
            post.permissions = [*permissions, "archive.view_contacts"]
            post.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
