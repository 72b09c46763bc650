"""Input and output schemas of the vendors API. The pages' forms use the same input serializers and services, so both
give the same field errors."""
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dutydesk.vendors.criteria import criteria_for, label_of
from dutydesk.vendors.models import Evaluation, Score, Vendor

SCORE: dict[str, Any] = {"max_digits": 5, "decimal_places": 2}


def person(user: Any) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


class CriterionSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(source="label")
    weight = serializers.IntegerField()


class VendorSerializer(serializers.ModelSerializer):
    supervising_posts = serializers.SerializerMethodField()
    supervising_post_names = serializers.SerializerMethodField()
    criteria = serializers.SerializerMethodField()

    class Meta:
        model = Vendor
        fields = ["id", "project", "name", "kind", "contact_name", "phone", "contract_starts_on", "contract_ends_on",
                  "supervising_posts", "supervising_post_names", "active", "criteria"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_supervising_posts(self, vendor: Vendor) -> list[int]:
        return [post.pk for post in vendor.supervising_posts.all()]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_supervising_post_names(self, vendor: Vendor) -> list[str]:
        return [post.display_name for post in vendor.supervising_posts.all()]

    @extend_schema_field(CriterionSerializer(many=True))
    def get_criteria(self, vendor: Vendor) -> Any:
        return CriterionSerializer(criteria_for(vendor.kind), many=True).data


class VendorWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=Vendor.Kind.choices)
    supervising_posts = serializers.ListField(child=serializers.IntegerField(), min_length=1, max_length=20)
    contact_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=50)
    phone = serializers.CharField(required=False, allow_blank=True, default="", max_length=30)
    contract_starts_on = serializers.DateField(required=False, allow_null=True, default=None)
    contract_ends_on = serializers.DateField(required=False, allow_null=True, default=None)
    active = serializers.BooleanField(required=False, default=True)


class VendorCreateSerializer(VendorWriteSerializer):
    project = serializers.IntegerField()


class VendorUpdateSerializer(VendorWriteSerializer):
    """A partial change: the fields sent replace those of the vendor."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
            if field.default is not serializers.empty:
                field.default = serializers.empty


class ScoreSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()

    class Meta:
        model = Score
        fields = ["criterion", "name", "weight", "score"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_name(self, score: Score) -> str:
        return label_of(score.criterion, score.name)


class EvaluationCreateSerializer(serializers.Serializer):
    vendor = serializers.IntegerField()
    month = serializers.CharField(max_length=7, help_text="YYYY-MM")
    post = serializers.IntegerField(required=False, help_text="the evaluating post (default: your only post that "
                                                               "supervises the vendor)")
    scores = serializers.DictField(child=serializers.IntegerField(min_value=0, max_value=100),
                                   help_text="criterion code → score 0–100, for every criterion of the vendor")
    comments = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class EvaluationSerializer(serializers.ModelSerializer):
    vendor_name = serializers.CharField(source="vendor.name", read_only=True)
    post_name = serializers.CharField(source="post.display_name", read_only=True)
    evaluated_by_name = serializers.SerializerMethodField()
    total = serializers.DecimalField(**SCORE, read_only=True)
    scores = ScoreSerializer(many=True, read_only=True)

    class Meta:
        model = Evaluation
        fields = ["id", "project", "vendor", "vendor_name", "month", "post", "post_name", "evaluated_by",
                  "evaluated_by_name", "evaluated_at", "total", "comments", "scores"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_evaluated_by_name(self, evaluation: Evaluation) -> str:
        return person(evaluation.evaluated_by)


class VendorYearSerializer(serializers.Serializer):
    vendor = serializers.IntegerField(source="vendor.pk")
    name = serializers.CharField(source="vendor.name")
    kind = serializers.ChoiceField(source="vendor.kind", choices=Vendor.Kind.choices)
    months = serializers.ListField(child=serializers.DecimalField(**SCORE, allow_null=True), min_length=12,
                                   max_length=12, help_text="January … December: the month's average total, or null")
    average = serializers.DecimalField(**SCORE, allow_null=True)
    evaluations = serializers.IntegerField()


class VendorReportSerializer(serializers.Serializer):
    project = serializers.IntegerField()
    year = serializers.IntegerField()
    vendors = VendorYearSerializer(many=True)


def _score(value: Any) -> str | None:
    return None if value is None else f"{value:.2f}"


def report_as_dict(*, project: int, year: int, rows: list[Any]) -> dict[str, Any]:
    """What ``VendorReportSerializer`` answers, built directly: the generic path walks 17 field objects per vendor,
    two thirds of the report of a project with thousands of vendors (scripts/bench_modules.py;
    tests/vendors/test_api.py compares both)."""
    return {"project": project, "year": year, "vendors": [
        {"vendor": row.vendor.pk, "name": row.vendor.name, "kind": row.vendor.kind,
         "months": [_score(month) for month in row.months], "average": _score(row.average),
         "evaluations": row.evaluations} for row in rows]}
