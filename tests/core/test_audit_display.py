"""The readable history (core.audit.history_rows) shows JSON fields as text and a foreign key by name, never a crash
(a list is not hashable: a vendor's page answered 500 before)."""
from django.utils import translation

from dutydesk.core.audit import history_rows
from dutydesk.org.models import Post


def test_a_json_list_and_a_foreign_key_read_as_text(catalog):
    post = Post.objects.get(code="floor-butler")
    supervisor = Post.objects.get(code="cs-manager")
    assert post.superior_id != supervisor.pk
    post.permissions = [*post.permissions, "reports.view"]
    post.superior = supervisor
    post.save()
    with translation.override("en"):
        (latest, *_rest) = history_rows(post)
        changes = {str(field): (old, new) for field, old, new in latest["changes"]}
    assert "reports.view" in changes["permissions"][1] and changes["permissions"][1].startswith("[")
    assert changes["superior post"][1] == supervisor.name_en  # by name, in the reader's language
