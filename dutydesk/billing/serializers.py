from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dutydesk.billing.models import Bill, BillLine, BillRun, ChargeItem, LateFee, MeterReading, Payment, UnitCharge
from dutydesk.billing.models import PERIOD_VALIDATOR

if TYPE_CHECKING:
    from rest_framework.validators import Validator  # a type alias of the stubs only


class TierSerializer(serializers.Serializer):
    up_to = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True, required=False)
    price = serializers.DecimalField(max_digits=12, decimal_places=2)


class ChargeItemSerializer(serializers.ModelSerializer):
    tiers = TierSerializer(many=True, required=False)

    class Meta:
        model = ChargeItem
        fields = ["id", "project", "code", "name", "kind", "basis", "unit_price", "tiers", "active"]
        validators: list["Validator[Any]"] = []  # the service checks the unique code (400 with a field error)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["tiers"] = [{"up_to": None if t.up_to is None else str(t.up_to), "price": str(t.price)}
                         for t in instance.tiers.all()]
        return data


class UnitChargeSerializer(serializers.ModelSerializer):
    class Meta:
        model = UnitCharge
        fields = ["id", "unit", "item", "start", "end", "quantity", "unit_price", "vacant_discount_percent"]

    def validate(self, attrs):
        unit, item = attrs.get("unit"), attrs.get("item")
        if unit and item and unit.project_id != item.project_id:
            raise serializers.ValidationError({"item": [_("The item belongs to another project.")]})
        if attrs.get("end") and attrs.get("start") and attrs["end"] < attrs["start"]:
            raise serializers.ValidationError({"end": [_("The end is before the start.")]})
        return attrs


class MeterReadingSerializer(serializers.ModelSerializer):
    confirm = serializers.BooleanField(write_only=True, required=False, default=False)

    class Meta:
        model = MeterReading
        fields = ["id", "unit", "item", "period", "reading", "usage", "flagged", "entered_at", "confirm"]
        read_only_fields = ["usage", "flagged", "entered_at"]
        validators: list["Validator[Any]"] = []


class BillLineSerializer(serializers.ModelSerializer):
    item = serializers.SerializerMethodField()

    class Meta:
        model = BillLine
        fields = ["id", "kind", "item", "description", "quantity", "unit_price", "days", "amount"]

    @extend_schema_field(OpenApiTypes.STR)
    def get_item(self, line):
        return line.item.code if line.item_id else line.kind


class BillLateFeeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    days = serializers.IntegerField()
    status = serializers.CharField()


class PaymentReversalSerializer(serializers.Serializer):
    reason = serializers.CharField()
    at = serializers.DateTimeField()


class BillSerializer(serializers.ModelSerializer):
    lines = BillLineSerializer(many=True, read_only=True)
    balance = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    unit_label = serializers.SerializerMethodField()
    late_fee = serializers.SerializerMethodField()

    class Meta:
        model = Bill
        fields = ["id", "unit", "unit_label", "period", "lines", "amount", "paid", "balance", "status", "due_date",
                  "late_fee"]

    @extend_schema_field(OpenApiTypes.STR)
    def get_unit_label(self, bill):
        return f"{bill.unit.building.name}-{bill.unit.number}"

    @extend_schema_field(BillLateFeeSerializer(allow_null=True))
    def get_late_fee(self, bill):
        fee = getattr(bill, "late_fee", None) if hasattr(bill, "late_fee") else None
        if fee is None:
            return None
        return {"id": fee.id, "amount": str(fee.amount), "days": fee.days, "status": fee.status}


class BillRunRequest(serializers.Serializer):
    project = serializers.IntegerField()
    period = serializers.CharField(validators=[PERIOD_VALIDATOR])


class BillRunSerializer(serializers.ModelSerializer):
    class Meta:
        model = BillRun
        fields = ["id", "project", "period", "bills_created", "total", "created_at", "seconds"]


class AdjustRequest(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    reason = serializers.CharField(max_length=200)


class PaymentRequest(serializers.Serializer):
    bill = serializers.IntegerField(required=False, allow_null=True)
    unit = serializers.IntegerField(required=False, allow_null=True)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    method = serializers.ChoiceField(choices=Payment.Method.choices)
    reference = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")
    prepayment = serializers.BooleanField(required=False, default=False)

    def validate(self, attrs):
        if not attrs.get("bill") and not (attrs.get("unit") and attrs.get("prepayment")):
            raise serializers.ValidationError({"bill": [_("Choose a bill (or a unit with prepayment=true).")]})
        return attrs


class PaymentSerializer(serializers.ModelSerializer):
    receipt_number = serializers.SerializerMethodField()
    reversed = serializers.SerializerMethodField()

    class Meta:
        model = Payment
        fields = ["id", "bill", "unit", "amount", "applied", "credited", "method", "reference", "received_by",
                  "received_at", "receipt_number", "reversed"]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_receipt_number(self, payment):
        receipt = getattr(payment, "receipt", None)
        return receipt.number if receipt else None

    @extend_schema_field(PaymentReversalSerializer(allow_null=True))
    def get_reversed(self, payment):
        reversal = getattr(payment, "reversal", None) if hasattr(payment, "reversal") else None
        return None if reversal is None else {"reason": reversal.reason, "at": reversal.reversed_at.isoformat()}


class ReasonRequest(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class LateFeeSerializer(serializers.ModelSerializer):
    class Meta:
        model = LateFee
        fields = ["id", "bill", "amount", "days", "as_of", "status", "waive_reason", "waived_at"]
