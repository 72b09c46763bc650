"""Input and output schemas of the patrols API (shared/API.md "Property operations": routes ``{name, checkpoints:
[{code, name}], schedule}``, rounds ``{id, route, due_at, status, checkpoints}``, a checkpoint record ``{"result":
"ok|issue", "note"}``). The staff pages' forms use the same input serializers, so both give the same field errors.

Choice fields carry their enum inline (``extend_schema_field``): "status" and "result" are names other apps' enums
use too, and the schema must generate without naming collisions."""
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dutydesk.frontdesk.serializers import UnitField
from dutydesk.org.models import Post
from dutydesk.patrols import schedules
from dutydesk.patrols.models import Checkpoint, Round, RoundCheckpoint, Route
from dutydesk.tickets.models import TicketCategory

SCHEDULE_SCHEMA = {
    "type": "object",
    "description": 'when the rounds start: {"times": ["10:00", "15:00"]} (daily at fixed times) or {"every_hours": 2, '
                   '"from": "08:00", "until": "20:00"}; optional "window_minutes" (a round is due that long after it '
                   'starts, default 60) and "weekdays" (1 = Monday … 7 = Sunday, default every day)',
    "properties": {
        "times": {"type": "array", "items": {"type": "string", "example": "10:00"}},
        "every_hours": {"type": "integer", "minimum": 1, "maximum": 24},
        "from": {"type": "string", "example": "08:00"},
        "until": {"type": "string", "example": "20:00"},
        "window_minutes": {"type": "integer", "minimum": schedules.MIN_WINDOW, "maximum": schedules.MAX_WINDOW},
        "weekdays": {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 7}},
    },
    "example": {"times": ["10:00", "15:00"], "window_minutes": 60},
}


def _enum(values: list[str]) -> dict[str, Any]:
    return {"type": "string", "enum": values}


@extend_schema_field(_enum(list(Round.Status.values)))
class RoundStatusField(serializers.CharField):
    pass


@extend_schema_field({**_enum(list(RoundCheckpoint.Result.values)), "nullable": True})
class RecordedResultField(serializers.CharField):
    def to_representation(self, value: Any) -> Any:
        return value or None


@extend_schema_field(_enum(list(RoundCheckpoint.Result.values)))
class ResultField(serializers.ChoiceField):
    pass


@extend_schema_field(SCHEDULE_SCHEMA)
class ScheduleField(serializers.JSONField):
    pass


def _person(user: Any) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.username


class CategoryField(serializers.Field):
    """A work-order category by id or code (global, or of the route's project: the service checks)."""

    default_error_messages = {"unknown": _("Unknown work-order category.")}

    def to_internal_value(self, data: Any) -> TicketCategory:
        text = str(data).strip()
        found = (TicketCategory.objects.filter(pk=int(text)) if text.isdigit()
                 else TicketCategory.objects.filter(Q(code=text) | Q(name=text) | Q(name_en__iexact=text)))
        category = found.filter(active=True).order_by("project_id", "pk").first()
        if category is None:
            self.fail("unknown")
        return category

    def to_representation(self, value: TicketCategory) -> int:
        return value.pk


extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string", "example": "cleaning"}],
                     "description": "work-order category id or code"})(CategoryField)


class PostCodeField(serializers.SlugRelatedField):
    default_error_messages = {"does_not_exist": _("Unknown post."), "invalid": _("Give the post's code.")}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(slug_field="code", queryset=Post.objects.all(), **kwargs)


# ---------------------------------------------------------------- routes
class PatrolCheckpointSerializer(serializers.ModelSerializer):
    category_name = serializers.SerializerMethodField()
    post: "serializers.SlugRelatedField[Post]" = serializers.SlugRelatedField(slug_field="code", read_only=True,
                                                                               allow_null=True)
    post_name = serializers.SerializerMethodField()
    unit_label = serializers.SerializerMethodField()
    scan_url = serializers.SerializerMethodField(help_text="the page the checkpoint's QR code opens")

    class Meta:
        model = Checkpoint
        fields = ["code", "name", "position", "location", "category", "category_name", "post", "post_name", "unit",
                  "unit_label", "scan_url"]

    def get_category_name(self, checkpoint: Checkpoint) -> str | None:
        return str(checkpoint.category) if checkpoint.category is not None else None

    def get_post_name(self, checkpoint: Checkpoint) -> str | None:
        return str(checkpoint.post) if checkpoint.post is not None else None

    def get_unit_label(self, checkpoint: Checkpoint) -> str | None:
        return checkpoint.unit.label if checkpoint.unit is not None else None

    def get_scan_url(self, checkpoint: Checkpoint) -> str:
        path = reverse("patrols:scan", args=[checkpoint.route_id, checkpoint.code])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class PatrolRouteSerializer(serializers.ModelSerializer):
    post: "serializers.SlugRelatedField[Post]" = serializers.SlugRelatedField(slug_field="code", read_only=True)
    post_name = serializers.SerializerMethodField()
    schedule = ScheduleField(read_only=True)
    schedule_text = serializers.SerializerMethodField()
    checkpoints = PatrolCheckpointSerializer(many=True, read_only=True, source="active_checkpoints")

    class Meta:
        model = Route
        fields = ["id", "project", "name", "post", "post_name", "schedule", "schedule_text", "active", "checkpoints",
                  "created_at"]

    def get_post_name(self, route: Route) -> str:
        return str(route.post)

    def get_schedule_text(self, route: Route) -> str:
        return schedules.describe(route.schedule)


class PatrolCheckpointInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=20)
    name = serializers.CharField(max_length=100)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    category = CategoryField(required=False, allow_null=True, default=None,
                             help_text="the work-order category of an issue found here (id or code, e.g. cleaning)")
    post = PostCodeField(required=False, allow_null=True, default=None,
                         help_text="the post an issue is routed to (default: by the category)")
    unit = UnitField("patrols.manage", required=False, allow_null=True, default=None,
                     help_text="the unit a work order about an issue here is filed against (id or A-1201)")


class PatrolRouteCreateSerializer(serializers.Serializer):
    project = serializers.IntegerField(required=False, help_text="default: your first project")
    name = serializers.CharField(max_length=100)
    post = PostCodeField(required=False, allow_null=True, default=None,
                         help_text="the post that walks the route (its rounds are that post's tasks); default: yours")
    schedule = ScheduleField()
    checkpoints = PatrolCheckpointInputSerializer(many=True, allow_empty=False)


class PatrolRouteUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False)
    post = PostCodeField(required=False)
    schedule = ScheduleField(required=False)
    active = serializers.BooleanField(required=False)
    checkpoints = PatrolCheckpointInputSerializer(many=True, allow_empty=False, required=False,
                                            help_text="the full list: codes left out are retired")


# ---------------------------------------------------------------- rounds
class PatrolRoundCheckpointSerializer(serializers.ModelSerializer):
    result = RecordedResultField(read_only=True, help_text="null until recorded")
    photo = serializers.SerializerMethodField()
    recorded_by_name = serializers.SerializerMethodField()
    ticket_number = serializers.SerializerMethodField()

    class Meta:
        model = RoundCheckpoint
        fields = ["code", "name", "position", "result", "note", "photo", "recorded_at", "recorded_by",
                  "recorded_by_name", "ticket", "ticket_number"]

    def get_photo(self, point: RoundCheckpoint) -> str | None:
        return point.photo.url if point.photo else None  # /files/…: served through patrols/files.py

    def get_recorded_by_name(self, point: RoundCheckpoint) -> str | None:
        return _person(point.recorded_by)

    def get_ticket_number(self, point: RoundCheckpoint) -> str | None:
        return point.ticket.number if point.ticket is not None else None


class PatrolRoundSerializer(serializers.ModelSerializer):
    route_name = serializers.CharField(source="route.name", read_only=True)
    post: "serializers.SlugRelatedField[Post]" = serializers.SlugRelatedField(slug_field="code", read_only=True)
    status = RoundStatusField(read_only=True)
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)
    on_time = serializers.BooleanField(read_only=True, allow_null=True,
                                       help_text="every checkpoint recorded by the due time; null while not yet due")
    walker_name = serializers.SerializerMethodField()
    checkpoints = PatrolRoundCheckpointSerializer(many=True, read_only=True)

    class Meta:
        model = Round
        fields = ["id", "route", "route_name", "project", "post", "starts_at", "due_at", "status", "overdue",
                  "on_time", "completed_at", "walker", "walker_name", "task", "checkpoints"]

    def get_walker_name(self, round_: Round) -> str | None:
        return _person(round_.walker)


class PatrolRecordSerializer(serializers.Serializer):
    result = ResultField(choices=RoundCheckpoint.Result.choices,
                         error_messages={"invalid_choice": _("Record ok or issue.")})
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="",
                                 help_text="what is wrong (required for an issue)")
    unit = UnitField("patrols.walk", required=False, allow_null=True, default=None,
                     help_text="for an issue at a checkpoint that names no unit: the unit the work order is filed "
                               "against (id or A-1201)")


class PatrolRecordUploadSerializer(PatrolRecordSerializer):
    photo = serializers.FileField(required=False, help_text="a photo (JPEG, PNG, GIF, WebP, HEIC), at most 10 MB")
