"""The API's shapes for a draft (shared/API.md "Catalogue drafts from job-description text"): the contract's fields,
and beside them the line and source sentence of every item and the ids the review page edits by."""
from typing import Any

from rest_framework import serializers

from dutydesk.drafts.models import CatalogDraft
from dutydesk.drafts.selectors import draft_differences


class _Located(serializers.Serializer):
    id = serializers.CharField()
    line = serializers.IntegerField()
    source = serializers.CharField()  # type: ignore[assignment]  # a field named "source": the sentence read


class DraftDutySerializer(_Located):
    text = serializers.CharField()


class DraftStandardSerializer(_Located):
    text = serializers.CharField()
    limit_minutes = serializers.IntegerField(allow_null=True)
    procedure = serializers.CharField()


class DraftRoutineSerializer(_Located):
    text = serializers.CharField()
    schedule = serializers.ChoiceField(["daily", "weekly", "monthly", "times_per_week"])
    at = serializers.CharField()
    day = serializers.IntegerField(allow_null=True)
    times = serializers.IntegerField(allow_null=True)
    weekday = serializers.IntegerField(allow_null=True)
    holiday_shift = serializers.BooleanField()
    defaults = serializers.ListField(child=serializers.CharField(), help_text="which of at/weekday/day the text did "
                                     "not give (the catalogue's defaults fill them)")


class DraftKpiSerializer(_Located):
    name = serializers.CharField()
    target = serializers.DecimalField(max_digits=12, decimal_places=2, coerce_to_string=True)
    unit = serializers.CharField(allow_blank=True)
    direction = serializers.ChoiceField(["higher", "lower"])
    weight = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)


class DraftPostSerializer(serializers.Serializer):
    key = serializers.CharField()
    code = serializers.CharField()
    name = serializers.CharField()
    line = serializers.IntegerField()
    superior = serializers.CharField(allow_null=True, help_text="the superior post's name when it is a post of the text")
    superior_text = serializers.CharField(allow_null=True, help_text="the superior as the text names it")
    superior_line = serializers.IntegerField(allow_null=True)
    subordinates = serializers.ListField(child=serializers.CharField())
    duties = serializers.ListField(child=serializers.CharField())
    duty_items = DraftDutySerializer(many=True)
    standards = DraftStandardSerializer(many=True)
    routines = DraftRoutineSerializer(many=True)
    kpis = DraftKpiSerializer(many=True)


class DraftDifferenceSerializer(serializers.Serializer):
    against = serializers.CharField()
    posts_added = serializers.ListField(child=serializers.CharField())
    posts_removed = serializers.ListField(child=serializers.CharField())
    duties_added = serializers.ListField(child=serializers.DictField(child=serializers.CharField()))
    duties_removed = serializers.ListField(child=serializers.DictField(child=serializers.CharField()))


class DraftSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    catalog = serializers.CharField()
    name = serializers.CharField()
    status = serializers.ChoiceField(CatalogDraft.Status.choices)
    yaml = serializers.CharField()
    posts = DraftPostSerializer(many=True)
    warnings = serializers.ListField(child=serializers.CharField())
    differences = DraftDifferenceSerializer(many=True)


class DraftPublishResultSerializer(serializers.Serializer):
    catalog = serializers.CharField()
    posts_created = serializers.IntegerField()
    posts_updated = serializers.IntegerField()


def draft_body(draft: CatalogDraft) -> dict[str, Any]:
    names = {post["key"]: post["name"] for post in draft.posts}
    posts = [{
        **post,
        "superior": names.get(post.get("superior_key") or ""),
        "duties": [duty["text"] for duty in post["duties"]],
        "duty_items": post["duties"],
    } for post in draft.posts]
    return DraftSerializer({
        "id": draft.pk, "catalog": draft.catalog_code, "name": draft.catalog_name, "status": draft.status,
        "yaml": draft.yaml, "posts": posts, "warnings": draft.warnings,
        "differences": [d.as_dict() for d in draft_differences(draft)],
    }).data
