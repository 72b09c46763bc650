"""Reads: the drafts a manager sees, and what a draft changes against the previous draft of its catalogue and against
the published catalogue (posts and duties added and removed)."""
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from dutydesk.drafts.models import CatalogDraft
from dutydesk.drafts.text import name_key
from dutydesk.org.models import Catalog, Post


def draft_list() -> QuerySet[CatalogDraft]:
    return CatalogDraft.objects.select_related("created_by", "published_by").defer("source_text", "yaml", "posts")


@dataclass
class Difference:
    against: str
    posts_added: list[str] = field(default_factory=list)
    posts_removed: list[str] = field(default_factory=list)
    duties_added: list[tuple[str, str]] = field(default_factory=list)  # (post, duty)
    duties_removed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.posts_added or self.posts_removed or self.duties_added or self.duties_removed)

    def as_dict(self) -> dict[str, Any]:
        return {"against": self.against, "posts_added": self.posts_added, "posts_removed": self.posts_removed,
                "duties_added": [{"post": p, "text": t} for p, t in self.duties_added],
                "duties_removed": [{"post": p, "text": t} for p, t in self.duties_removed]}


def _compare(against: str, old: dict[str, list[str]], new: dict[str, list[str]]) -> Difference:
    """``old``/``new``: {post name: [duty texts]}; names and texts compared as normalised text."""
    difference = Difference(against)
    old_keys = {name_key(name): name for name in old}
    new_keys = {name_key(name): name for name in new}
    difference.posts_added = [name for key, name in new_keys.items() if key not in old_keys]
    difference.posts_removed = [name for key, name in old_keys.items() if key not in new_keys]
    for key, name in new_keys.items():
        if key not in old_keys:
            continue
        before = {name_key(text) for text in old[old_keys[key]]}
        after = {name_key(text) for text in new[name]}
        difference.duties_added += [(name, text) for text in new[name] if name_key(text) not in before]
        difference.duties_removed += [(name, text) for text in old[old_keys[key]] if name_key(text) not in after]
    return difference


def _draft_duties(draft: CatalogDraft) -> dict[str, list[str]]:
    return {post["name"]: [duty["text"] for duty in post["duties"]] for post in draft.posts}


def draft_differences(draft: CatalogDraft) -> list[Difference]:
    """The draft against the previous draft of the same catalogue and against the catalogue as published."""
    differences = []
    if draft.previous_id:
        previous = CatalogDraft.objects.filter(pk=draft.previous_id).only("id", "posts").first()
        if previous is not None:
            differences.append(_compare(_("previous draft #%(id)s") % {"id": previous.pk}, _draft_duties(previous),
                                        _draft_duties(draft)))
    catalog = Catalog.objects.filter(code=draft.catalog_code).first()
    if catalog is not None and not draft.is_published:
        published: dict[str, list[str]] = {}
        for post in Post.objects.filter(catalog=catalog).prefetch_related("duties").order_by("position", "id"):
            published[post.name] = [duty.text for duty in post.duties.all()]
        differences.append(_compare(_("published catalogue '%(code)s'") % {"code": catalog.code}, published,
                                    _draft_duties(draft)))
    return differences
