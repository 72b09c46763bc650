"""Input and output schemas of the stores API (shared/API.md "Stock"). The pages' forms use the same input
serializers and services, so both give the same field errors."""
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dutydesk.stock.models import Issue, IssueLine, Item, Receipt, StockCount



def quantity_field(**kwargs: Any) -> serializers.DecimalField:
    """A quantity: a decimal with three places (items may be weighed in kg), sent as a string ("12.500")."""
    return serializers.DecimalField(max_digits=12, decimal_places=3, **kwargs)


POSITIVE = Decimal("0.001")


def _person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


class ItemSerializer(serializers.ModelSerializer):
    safety_stock = quantity_field(min_value=Decimal("0"), required=False, default=Decimal("0"))
    shelf_life_days = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)
    bin = serializers.CharField(required=False, allow_blank=True, default="", max_length=40)
    active = serializers.BooleanField(required=False, default=True)

    class Meta:
        model = Item
        fields = ["id", "project", "code", "name", "unit", "bin", "safety_stock", "shelf_life_days", "active"]
        read_only_fields = ["project"]
        validators: list = []  # the service checks the unique code and bin (400 with a field error)


class ReceiptCreateSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    quantity = quantity_field(min_value=POSITIVE)
    batch = serializers.CharField(required=False, allow_blank=True, default="", max_length=60)
    expires_on = serializers.DateField(required=False, allow_null=True, default=None)
    produced_on = serializers.DateField(required=False, allow_null=True, default=None)
    supplier = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)


class InspectSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=[("passed", _("passed")), ("rejected", _("rejected"))])
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class IssueCreateSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    quantity = quantity_field(min_value=POSITIVE)
    to = serializers.CharField(max_length=100)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class CountCreateSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    counted = quantity_field(min_value=Decimal("0"))
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class ReceiptSerializer(serializers.ModelSerializer):
    item_code = serializers.CharField(source="item.code", read_only=True)
    item_name = serializers.CharField(source="item.name", read_only=True)
    expired = serializers.SerializerMethodField()
    received_by = serializers.SerializerMethodField()
    inspected_by = serializers.SerializerMethodField()
    approved_by = serializers.SerializerMethodField()

    class Meta:
        model = Receipt
        fields = ["id", "project", "item", "item_code", "item_name", "batch", "quantity", "remaining", "supplier",
                  "produced_on", "expires_on", "expired", "zone", "received_by", "received_at", "inspected_by",
                  "inspected_at", "inspection_note", "expired_flagged_at", "approved_by", "approved_at"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_expired(self, receipt):
        today = self.context.get("today")
        return bool(receipt.expires_on and today and receipt.expires_on <= today)

    @extend_schema_field(OpenApiTypes.STR)
    def get_received_by(self, receipt):
        return _person(receipt.received_by)

    @extend_schema_field(OpenApiTypes.STR)
    def get_inspected_by(self, receipt):
        return _person(receipt.inspected_by)

    @extend_schema_field(OpenApiTypes.STR)
    def get_approved_by(self, receipt):
        return _person(receipt.approved_by)


class IssueLineSerializer(serializers.ModelSerializer):
    batch = serializers.CharField(source="receipt.batch", read_only=True)
    receipt = serializers.IntegerField(source="receipt_id", read_only=True)
    received_at = serializers.DateTimeField(source="receipt.received_at", read_only=True)
    expires_on = serializers.DateField(source="receipt.expires_on", read_only=True, allow_null=True)

    class Meta:
        model = IssueLine
        fields = ["batch", "quantity", "receipt", "received_at", "expires_on"]


class IssueSerializer(serializers.ModelSerializer):
    lines = IssueLineSerializer(many=True, read_only=True)
    item_code = serializers.CharField(source="item.code", read_only=True)
    item_name = serializers.CharField(source="item.name", read_only=True)
    issued_by = serializers.SerializerMethodField()
    approved_by = serializers.SerializerMethodField()

    class Meta:
        model = Issue
        fields = ["id", "project", "item", "item_code", "item_name", "quantity", "to", "note", "lines", "issued_by",
                  "issued_at", "approved_by", "approved_at"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_issued_by(self, issue):
        return _person(issue.issued_by)

    @extend_schema_field(OpenApiTypes.STR)
    def get_approved_by(self, issue):
        return _person(issue.approved_by)


class CountSerializer(serializers.ModelSerializer):
    item_code = serializers.CharField(source="item.code", read_only=True)
    counted_by = serializers.SerializerMethodField()

    class Meta:
        model = StockCount
        fields = ["id", "project", "item", "item_code", "book", "counted", "difference", "note", "counted_by",
                  "counted_at"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_counted_by(self, count):
        return _person(count.counted_by)


class LevelSerializer(serializers.Serializer):
    """One item's stock (shared/API.md: ``{item, on_hand, pending, below_safety}``)."""

    item = serializers.IntegerField(source="pk")
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    bin = serializers.CharField()
    safety_stock = quantity_field()
    on_hand = quantity_field()
    expired = quantity_field()
    pending = quantity_field()
    below_safety = serializers.BooleanField()


class LedgerRowSerializer(serializers.Serializer):
    date = serializers.DateField(source="day")
    item = serializers.IntegerField(source="item.pk")
    code = serializers.CharField(source="item.code")
    name = serializers.CharField(source="item.name")
    unit = serializers.CharField(source="item.unit")
    opening = quantity_field()
    received = quantity_field()
    issued = quantity_field()
    closing = quantity_field()


def _page(name: str, row: type[serializers.Serializer], **extra: serializers.Field) -> type[serializers.Serializer]:
    """The schema of a paginated report: ``{count, next, previous, results: [row], ...extra}``."""
    fields = {"count": serializers.IntegerField(), "next": serializers.URLField(allow_null=True),
              "previous": serializers.URLField(allow_null=True), "results": row(many=True), **extra}
    return type(name, (serializers.Serializer,), fields)


LevelsPage = _page("StockLevelsPage", LevelSerializer, project=serializers.IntegerField())
LedgerPage = _page("StockLedgerPage", LedgerRowSerializer, project=serializers.IntegerField(),
                   **{"from": serializers.DateField(), "to": serializers.DateField()})
