"""Input and output schemas of the shifts API (shared/API.md "Property operations": shifts and handover). The pages'
forms use the same input serializers and services, so both give the same field errors."""
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dutydesk.shifts.models import Handover, Roster, RosterEntry, Shift, ShiftCode, SwapRequest


def person(user: Any) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


class ShiftSerializer(serializers.ModelSerializer):
    """``a|b|c`` with ``start``/``end`` (HH:MM:SS); an end not after the start ends the next day."""

    start = serializers.TimeField(source="starts_at")
    end = serializers.TimeField(source="ends_at")
    display_name = serializers.CharField(source="label", read_only=True)
    crosses_midnight = serializers.BooleanField(read_only=True)

    class Meta:
        model = Shift
        fields = ["id", "project", "code", "name", "display_name", "start", "end", "on_call", "crosses_midnight"]
        read_only_fields = ["id", "project", "code"]


class ShiftUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(required=False, allow_blank=True, max_length=40)
    start = serializers.TimeField(required=False)
    end = serializers.TimeField(required=False)
    on_call = serializers.BooleanField(required=False)


class RosterEntrySerializer(serializers.ModelSerializer):
    user_name = serializers.SerializerMethodField()

    class Meta:
        model = RosterEntry
        fields = ["id", "roster", "project", "post", "user", "user_name", "day", "shift", "status", "leave_reason"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_user_name(self, entry: RosterEntry) -> str:
        return person(entry.user)

    def to_representation(self, entry: RosterEntry) -> dict[str, Any]:
        """The fields above, made directly: a roster carries a month of its post's entries (thousands for a large
        post) and DRF's field-by-field walk was most of ``GET /rosters/`` (scripts/bench_modules.py)."""
        return {"id": entry.pk, "roster": entry.roster_id, "project": entry.project_id, "post": entry.post_id,
                "user": entry.user_id, "user_name": person(entry.user), "day": entry.day.isoformat(),
                "shift": entry.shift, "status": entry.status, "leave_reason": entry.leave_reason}


class RosterSerializer(serializers.ModelSerializer):
    post_name = serializers.CharField(source="post.display_name", read_only=True)
    entries = RosterEntrySerializer(many=True, read_only=True)

    class Meta:
        model = Roster
        fields = ["id", "project", "post", "post_name", "month", "entries"]
        read_only_fields = fields


class RosterCreateSerializer(serializers.Serializer):
    project = serializers.IntegerField()
    post = serializers.IntegerField()
    month = serializers.CharField(max_length=7, help_text="YYYY-MM")


class RosterEntryCreateSerializer(serializers.Serializer):
    user = serializers.IntegerField()
    day = serializers.DateField()
    shift = serializers.ChoiceField(choices=ShiftCode.choices)


class FillSerializer(serializers.Serializer):
    users = serializers.ListField(child=serializers.IntegerField(), min_length=1, max_length=50)
    shifts = serializers.ListField(child=serializers.ChoiceField(choices=ShiftCode.choices), required=False,
                                   min_length=1, max_length=3)
    start = serializers.DateField(required=False)


class FillResultSerializer(serializers.Serializer):
    added = serializers.IntegerField()
    roster = RosterSerializer()


class LeaveSerializer(serializers.Serializer):
    project = serializers.IntegerField()
    user = serializers.IntegerField()
    day = serializers.DateField()
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class LeaveResultSerializer(serializers.Serializer):
    project = serializers.IntegerField()
    user = serializers.IntegerField()
    day = serializers.DateField()
    reason = serializers.CharField()
    entries = RosterEntrySerializer(many=True)


class SwapCreateSerializer(serializers.Serializer):
    entry = serializers.IntegerField(help_text=_("the roster entry given away"))
    other_entry = serializers.IntegerField(help_text=_("the roster entry taken in exchange"))
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class ShiftNoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class SwapSerializer(serializers.ModelSerializer):
    entry = RosterEntrySerializer(read_only=True)
    other_entry = RosterEntrySerializer(read_only=True)
    post_name = serializers.CharField(source="post.display_name", read_only=True)
    entry_user_name = serializers.SerializerMethodField()
    other_user_name = serializers.SerializerMethodField()
    requested_by = serializers.SerializerMethodField()
    decided_by = serializers.SerializerMethodField()

    class Meta:
        model = SwapRequest
        fields = ["id", "project", "post", "post_name", "entry", "other_entry", "entry_user", "entry_user_name",
                  "other_user", "other_user_name", "reason", "status", "requested_by", "requested_at", "decided_by",
                  "decided_at", "decision_note"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_entry_user_name(self, swap: SwapRequest) -> str:
        return person(swap.entry_user)

    @extend_schema_field(OpenApiTypes.STR)
    def get_other_user_name(self, swap: SwapRequest) -> str:
        return person(swap.other_user)

    @extend_schema_field(OpenApiTypes.STR)
    def get_requested_by(self, swap: SwapRequest) -> str:
        return person(swap.requested_by)

    @extend_schema_field(OpenApiTypes.STR)
    def get_decided_by(self, swap: SwapRequest) -> str:
        return person(swap.decided_by)


class HandoverCreateSerializer(serializers.Serializer):
    """shared/API.md: ``{project, shift, notes, open_items}``; ``post`` and ``day`` when the writer's posts or the
    time leave them open (default: the post the writer is rostered on, the latest shift that started)."""

    project = serializers.IntegerField()
    shift = serializers.ChoiceField(choices=ShiftCode.choices)
    notes = serializers.CharField(max_length=5000)
    open_items = serializers.ListField(child=serializers.CharField(max_length=200), required=False, default=list,
                                       max_length=30)
    post = serializers.IntegerField(required=False)
    day = serializers.DateField(required=False)


class HandoverSerializer(serializers.ModelSerializer):
    post_name = serializers.CharField(source="post.display_name", read_only=True)
    open_items = serializers.ListField(child=serializers.CharField(), read_only=True)
    handed_by_name = serializers.SerializerMethodField()
    acknowledged_by_name = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()

    class Meta:
        model = Handover
        fields = ["id", "project", "post", "post_name", "day", "shift", "notes", "open_items", "handed_by",
                  "handed_by_name", "handed_at", "next_day", "next_shift", "ack_due_at", "acknowledged_by",
                  "acknowledged_by_name", "acknowledged_at", "ack_note", "escalated_at", "status"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_handed_by_name(self, handover: Handover) -> str:
        return person(handover.handed_by)

    @extend_schema_field(OpenApiTypes.STR)
    def get_acknowledged_by_name(self, handover: Handover) -> str:
        return person(handover.acknowledged_by)

    @extend_schema_field(serializers.ChoiceField(choices=["waiting", "escalated", "acknowledged"]))
    def get_status(self, handover: Handover) -> str:
        if handover.acknowledged_at is not None:
            return "acknowledged"
        return "escalated" if handover.escalated_at is not None else "waiting"


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.STR)
    def get_name(self, user: Any) -> str:
        return person(user)


class OnDutySerializer(serializers.Serializer):
    project = serializers.IntegerField()
    post = serializers.IntegerField(allow_null=True)
    at = serializers.DateTimeField()
    users = PersonSerializer(many=True)
