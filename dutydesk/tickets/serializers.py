from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from dutydesk.archive.models import Resident, Unit
from dutydesk.org.models import Post
from dutydesk.tickets.models import (Channel, Kind, Priority, ReturnVisit, Ticket, TicketAttachment, TicketCategory,
                                     TicketEvent)


def _person(user):
    return (user.get_full_name() or user.username) if user else None


_WHEN = serializers.DateTimeField(read_only=True)
_MONEY = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
_TIMES = ("created_at", "response_due", "resolution_due", "first_response_at", "resolved_at", "closed_at")
_PLAIN = ("id", "number", "kind", "channel", "priority", "title", "description", "status", "resolution",
          "held_minutes", "escalation_level", "reopen_count", "location", "materials", "labour_minutes")
_KEYS = ("project", "category", "unit", "resident", "owner", "assignee", "assigned_post", "escalated_post")


def _when(value):
    return _WHEN.to_representation(value) if value else None


def ticket_as_dict(ticket) -> dict:
    """What ``TicketSerializer`` answers for a ticket, built directly: the generic path builds and walks 42 field
    objects per ticket, a third of a detail request (tests/tickets/test_api.py compares both on every field)."""
    data = {name: getattr(ticket, name) for name in _PLAIN}
    data.update({name: getattr(ticket, f"{name}_id") for name in _KEYS})
    data.update({name: _when(getattr(ticket, name)) for name in _TIMES})
    try:
        charge = ticket.charge
    except ObjectDoesNotExist:
        charge = None
    data.update(
        category_name=str(ticket.category) if ticket.category_id else None,
        unit_label=str(ticket.unit),
        resident_name=ticket.resident.name if ticket.resident_id else None,
        owner_name=_person(ticket.owner), assignee_name=_person(ticket.assignee),
        assigned_post_name=str(ticket.assigned_post) if ticket.assigned_post_id else None,
        escalated_post_name=str(ticket.escalated_post) if ticket.escalated_post_id else None,
        overdue=ticket.is_overdue, remaining_minutes=ticket.remaining_minutes,
        charge_amount=_MONEY.to_representation(charge.amount) if charge is not None else None,
        attachments=[{"id": a.pk, "name": a.name, "url": a.file.url if a.file else None,
                      "uploaded_at": _when(a.uploaded_at)} for a in ticket.attachments.all()],
    )
    return {name: data[name] for name in TicketSerializer.Meta.fields}


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = TicketAttachment
        fields = ["id", "name", "url", "uploaded_at"]

    def get_url(self, obj) -> str | None:
        return obj.file.url if obj.file else None


class TicketSerializer(serializers.ModelSerializer):
    category_name = serializers.SerializerMethodField()
    unit_label = serializers.SerializerMethodField()
    resident_name = serializers.SerializerMethodField()
    owner_name = serializers.SerializerMethodField()
    assignee_name = serializers.SerializerMethodField()
    assigned_post_name = serializers.SerializerMethodField()
    escalated_post_name = serializers.SerializerMethodField()
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)
    remaining_minutes = serializers.IntegerField(read_only=True, allow_null=True)
    charge_amount = serializers.DecimalField(source="charge.amount", max_digits=12, decimal_places=2, read_only=True,
                                             default=None, allow_null=True)
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Ticket
        fields = ["id", "number", "project", "kind", "channel", "priority", "category", "category_name", "unit",
                  "unit_label", "resident", "resident_name", "title", "description", "owner", "owner_name", "assignee",
                  "assignee_name", "assigned_post", "assigned_post_name", "status", "created_at", "response_due",
                  "resolution_due", "first_response_at", "resolved_at", "closed_at", "resolution", "overdue",
                  "remaining_minutes", "held_minutes", "escalation_level", "escalated_post", "escalated_post_name",
                  "reopen_count", "location", "materials", "labour_minutes", "charge_amount", "attachments"]
        read_only_fields = fields

    def to_representation(self, instance):
        return ticket_as_dict(instance)

    def generic_representation(self, instance):
        """DRF's own walk over the declared fields; the reference ``ticket_as_dict`` is tested against."""
        return super().to_representation(instance)

    def get_category_name(self, obj) -> str | None:
        return str(obj.category) if obj.category_id else None

    def get_unit_label(self, obj) -> str | None:
        return str(obj.unit)

    def get_resident_name(self, obj) -> str | None:
        return obj.resident.name if obj.resident_id else None

    def get_owner_name(self, obj) -> str | None:
        return _person(obj.owner)

    def get_assignee_name(self, obj) -> str | None:
        return _person(obj.assignee)

    def get_assigned_post_name(self, obj) -> str | None:
        return str(obj.assigned_post) if obj.assigned_post_id else None

    def get_escalated_post_name(self, obj) -> str | None:
        return str(obj.escalated_post) if obj.escalated_post_id else None


class TicketCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Kind.choices)
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.none())
    resident = serializers.PrimaryKeyRelatedField(queryset=Resident.objects.all(), allow_null=True, required=False)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.PHONE)
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.NORMAL)
    category = serializers.PrimaryKeyRelatedField(queryset=TicketCategory.objects.filter(active=True), allow_null=True,
                                                  required=False)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list,
                                  help_text=_("Photos (multipart/form-data)."))

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units


class DispatchSerializer(serializers.Serializer):
    assignee = serializers.PrimaryKeyRelatedField(queryset=get_user_model().objects.filter(is_active=True),
                                                  allow_null=True, required=False)
    post = serializers.PrimaryKeyRelatedField(queryset=Post.objects.all(), allow_null=True, required=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ResolveSerializer(serializers.Serializer):
    resolution = serializers.CharField(required=False, allow_blank=True, default="")
    materials = serializers.CharField(required=False, allow_blank=True, default="")
    labour_minutes = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=100000)
    charge_amount = serializers.DecimalField(required=False, allow_null=True, max_digits=12, decimal_places=2)
    charge_description = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class ReturnVisitSerializer(serializers.Serializer):
    method = serializers.CharField(required=False, allow_blank=True, default="",
                                   help_text="phone | sms | visit | email (a resident's rating: portal)")
    satisfaction = serializers.IntegerField(required=False, allow_null=True, default=None)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ReturnVisitOutSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReturnVisit
        fields = ["id", "ticket", "method", "satisfaction", "comment", "by", "at", "outcome"]


class CommentSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")
    to_resident = serializers.BooleanField(required=False, default=False)


class EventSerializer(serializers.ModelSerializer):
    actor_name = serializers.SerializerMethodField()

    class Meta:
        model = TicketEvent
        fields = ["at", "actor", "actor_name", "action", "from_status", "to_status", "note"]

    def get_actor_name(self, obj) -> str | None:
        return _person(obj.actor)


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = TicketCategory
        fields = ["id", "project", "code", "name", "name_en"]
