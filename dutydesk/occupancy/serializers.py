"""Input and output schemas of the property-operations API (shared/API.md "Property operations"). The staff pages'
forms use the same input serializers, so both give the same field errors.

Choice fields carry their enum inline (``extend_schema_field``): "status", "result" and "method" are names other
apps' enums use too: each set is its own named component, so the schema generates without naming collisions."""
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dutydesk.archive.models import Resident
from dutydesk.archive.validators import validate_phone, validate_prc_id
from dutydesk.core.money import money_text
from dutydesk.frontdesk.serializers import UnitField
from dutydesk.occupancy.models import (METERS, Checklist, InspectionPhoto, MoveIn, MoveOut, Renovation,
                                       RenovationInspection, RenovationWorker)


def _enum(values: list[str]) -> dict[str, Any]:
    return {"type": "string", "enum": values}


@extend_schema_field(_enum(list(Checklist.Status.values)), component_name="ChecklistStatus")
class ChecklistStatusField(serializers.CharField):
    pass


@extend_schema_field(_enum(list(Renovation.Status.values)), component_name="RenovationStatus")
class RenovationStatusField(serializers.CharField):
    pass


@extend_schema_field(_enum(list(RenovationInspection.Result.values)), component_name="InspectionResult")
class InspectionResultField(serializers.ChoiceField):
    pass


@extend_schema_field(_enum(list(Renovation.RefundMethod.values)), component_name="RefundMethod")
class RefundMethodField(serializers.ChoiceField):
    pass


def _person(user: Any) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.username


@extend_schema_field(OpenApiTypes.INT)
class ResidentField(serializers.PrimaryKeyRelatedField):
    """A resident id; the service checks that the resident is registered at the unit."""

    default_error_messages = {"does_not_exist": _("Unknown resident."),
                              "incorrect_type": _("Give the resident's id.")}

    def get_queryset(self) -> Any:
        return Resident.objects.select_related("unit")


# ---------------------------------------------------------------- checklists
class StepSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(source="get_code_display")
    done_at = serializers.DateTimeField(allow_null=True)
    done_by = serializers.IntegerField(source="done_by_id", allow_null=True)
    done_by_name = serializers.SerializerMethodField()
    note = serializers.CharField()
    # a field named "data": DRF's metaclass moves it into _declared_fields, Serializer.data stays the property
    data = serializers.JSONField(  # type: ignore[assignment]
        help_text='{"count": n} for keys, {"readings": {"water": "123.40"}} for meters')

    def get_done_by_name(self, step: Any) -> str | None:
        return _person(step.done_by)


class ChecklistSerializer(serializers.ModelSerializer):
    unit_label = serializers.SerializerMethodField()
    resident_name = serializers.CharField(source="resident.name", read_only=True)
    status = ChecklistStatusField(read_only=True)
    steps = StepSerializer(many=True, read_only=True)
    created_by_name = serializers.SerializerMethodField()

    def get_unit_label(self, obj: Any) -> str:
        return str(obj.unit)

    def get_created_by_name(self, obj: Any) -> str | None:
        return _person(obj.created_by)


class MoveInSerializer(ChecklistSerializer):
    class Meta:
        model = MoveIn
        fields = ["id", "project", "unit", "unit_label", "resident", "resident_name", "date", "status", "steps",
                  "keys_count", "started_at", "created_at", "created_by", "created_by_name", "completed_at",
                  "completed_by"]
        read_only_fields = fields


class MoveOutSerializer(ChecklistSerializer):
    class Meta:
        model = MoveOut
        fields = ["id", "project", "unit", "unit_label", "resident", "resident_name", "date", "status", "steps",
                  "keys_count", "goods_release", "started_at", "created_at", "created_by", "created_by_name",
                  "completed_at", "completed_by"]
        read_only_fields = fields


class ChecklistCreateSerializer(serializers.Serializer):
    """``{unit, resident, date}``; ``started_at``: when the clerk opened the form (default now)."""

    resident = ResidentField()
    date = serializers.DateField()
    started_at = serializers.DateTimeField(required=False, allow_null=True)


class MoveInCreateSerializer(ChecklistCreateSerializer):
    unit = UnitField("occupancy.move_in")


class MoveOutCreateSerializer(ChecklistCreateSerializer):
    unit = UnitField("occupancy.move_out")


class ReadingsField(serializers.DictField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(child=serializers.CharField(max_length=20, allow_blank=True), **kwargs)


class StepDoneSerializer(serializers.Serializer):
    """What a step records: ``count`` (keys handed over or returned), ``readings`` (``{"water": "123.40",
    "electricity": …, "gas": …}``), and for the move-out's goods step ``items`` and ``carrier_name``."""

    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    count = serializers.IntegerField(min_value=0, max_value=99, required=False, allow_null=True)
    readings = ReadingsField(required=False, help_text="meter → reading; meters: "
                             + ", ".join(code for code, _label in METERS))


class MoveOutStepDoneSerializer(StepDoneSerializer):
    items = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    carrier_name = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    carrier_phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="",
                                          validators=[validate_phone])


# ---------------------------------------------------------------- renovations
class PassSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()
    status = serializers.CharField()


class WorkerSerializer(serializers.ModelSerializer):
    access_pass = PassSerializer(read_only=True, allow_null=True)

    class Meta:
        model = RenovationWorker
        fields = ["id", "name", "phone", "access_pass"]
        read_only_fields = fields


class WorkerCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=60)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="",
                                  validators=[validate_phone])
    id_number = serializers.CharField(max_length=18, required=False, allow_blank=True, default="",
                                      validators=[validate_prc_id])


class PhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = InspectionPhoto
        fields = ["id", "name", "url"]

    def get_url(self, photo: InspectionPhoto) -> str:
        return photo.file.url  # /files/…: served through the permission check (occupancy/files.py)


class InspectionSerializer(serializers.ModelSerializer):
    result = InspectionResultField(choices=RenovationInspection.Result.choices, read_only=True)
    inspected_by_name = serializers.SerializerMethodField()
    photos = PhotoSerializer(many=True, read_only=True)

    class Meta:
        model = RenovationInspection
        fields = ["id", "renovation", "final", "result", "note", "inspected_at", "inspected_by", "inspected_by_name",
                  "photos"]
        read_only_fields = fields

    def get_inspected_by_name(self, inspection: RenovationInspection) -> str | None:
        return _person(inspection.inspected_by)


class InspectionCreateSerializer(serializers.Serializer):
    """``{"result": "pass|fail", "note", "final": bool}``; photos as multipart files named ``photos``."""

    result = InspectionResultField(choices=RenovationInspection.Result.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    final = serializers.BooleanField(required=False, default=False)


class RefundSerializer(serializers.Serializer):
    id = serializers.SerializerMethodField()
    amount = serializers.SerializerMethodField()
    method = RefundMethodField(choices=Renovation.RefundMethod.choices, source="refund_method")
    note = serializers.CharField(source="refund_note")
    refunded_at = serializers.DateTimeField()
    refunded_by = serializers.IntegerField(source="refunded_by_id")

    def get_id(self, renovation: Renovation) -> int:
        return renovation.pk

    def get_amount(self, renovation: Renovation) -> str:
        return money_text(renovation.refund_amount)


class RenovationSerializer(serializers.ModelSerializer):
    unit_label = serializers.SerializerMethodField()
    status = RenovationStatusField(read_only=True)
    deposit = serializers.SerializerMethodField()
    deposit_billed = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()
    workers = WorkerSerializer(many=True, read_only=True)
    inspections = InspectionSerializer(many=True, read_only=True)
    refund = serializers.SerializerMethodField()

    class Meta:
        model = Renovation
        fields = ["id", "project", "unit", "unit_label", "resident", "contractor", "contractor_phone", "description",
                  "starts_on", "ends_on", "deposit", "deposit_charge", "deposit_billed", "status", "overdue",
                  "extensions", "created_at", "created_by", "decided_at", "decided_by", "decision_note", "workers",
                  "inspections", "closed_at", "refund"]
        read_only_fields = fields

    def get_unit_label(self, renovation: Renovation) -> str:
        return str(renovation.unit)

    def get_deposit(self, renovation: Renovation) -> str:
        return money_text(renovation.deposit)

    def get_deposit_billed(self, renovation: Renovation) -> bool:
        """The deposit is on a bill of the unit (it is collected with that bill)."""
        charge = renovation.deposit_charge
        return charge is not None and charge.billed_at is not None

    def get_overdue(self, renovation: Renovation) -> bool:
        return renovation.is_overdue

    @extend_schema_field(RefundSerializer(allow_null=True))
    def get_refund(self, renovation: Renovation) -> dict[str, Any] | None:
        return RefundSerializer(renovation).data if renovation.refunded_at else None


class RenovationCreateSerializer(serializers.Serializer):
    """``{unit, contractor, starts_on, ends_on, deposit}`` (shared/API.md), the applicant, the works and workers."""

    unit = UnitField("occupancy.renovation")
    resident = ResidentField(required=False, allow_null=True)
    contractor = serializers.CharField(max_length=100)
    contractor_phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="",
                                             validators=[validate_phone])
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    deposit = serializers.CharField(max_length=20, help_text='decimal string, "3000.00"')
    workers = WorkerCreateSerializer(many=True, required=False, default=list)
    started_at = serializers.DateTimeField(required=False, allow_null=True)


class DecisionSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class ExtendSerializer(serializers.Serializer):
    ends_on = serializers.DateField()
    started_at = serializers.DateTimeField(required=False, allow_null=True)


class CloseSerializer(serializers.Serializer):
    started_at = serializers.DateTimeField(required=False, allow_null=True)


class RefundCreateSerializer(serializers.Serializer):
    """The deposit paid back; ``amount`` defaults to the whole deposit (less is a deduction: give the reason)."""

    method = RefundMethodField(choices=Renovation.RefundMethod.choices)
    amount = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
