"""JSON API of the shifts (shared/API.md "Property operations": ``/shifts/``, ``/rosters/?project=&month=``,
``POST /handovers/`` ``{project, shift, notes, open_items}``, ``POST /handovers/{id}/ack``). Thin: the web edge checks
the permission and the project, the input serializer the fields, the service the rules; the answer is the output
serializer.

403: the user's posts do not grant the action in the project (or, from the service, the object's own rule: only the
next shift acknowledges, only the supervisor post approves a swap); 404: an object outside the user's projects."""
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.response import Response

from dutydesk.archive.models import Project
from dutydesk.core import clock
from dutydesk.core.errors import BusinessRuleError
from dutydesk.core.periods import Period
from dutydesk.org import access
from dutydesk.org.models import Post
from dutydesk.shifts import selectors, services
from dutydesk.shifts import serializers as s
from dutydesk.shifts.filters import EntryFilter, HandoverFilter, RosterFilter, SwapFilter
from dutydesk.shifts.models import Handover, Roster, RosterEntry, Shift, SwapRequest
from dutydesk.web.params import int_param, project_param


def valid(serializer_class: Any, data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def write_project(data: Any, user: Any, code: str) -> Project:
    """The ``project`` of a write: required; unknown → 404; not one where the user's posts grant ``code`` → 403."""
    return project_param(data, user, code, required=_("Choose the project."), invalid=_("Choose the project."))


def project_post(project: Project, post_id: Any) -> Post:
    post = Post.objects.filter(pk=post_id).first() if post_id is not None else None
    if post is None or not selectors.roster_posts(project).filter(pk=post.pk).exists():
        raise BusinessRuleError({"post": [_("Choose a post held in the project.")]})
    return post


def project_user(project: Project, user_id: Any, field: str = "user") -> Any:
    user = (get_user_model().objects.filter(pk=user_id, holdings__project=project, holdings__active=True).first()
            if user_id is not None else None)
    if user is None:
        raise BusinessRuleError({field: [_("Choose a member of the project's staff.")]})
    return user


def month_param(params: Any) -> Period:
    value = params.get("month")
    return Period.parse(value, "month") if value else Period.current()


class ShiftsViewSet(viewsets.GenericViewSet):
    """Staff whose posts grant ``shifts.view`` somewhere; objects outside their projects are 404."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        access.require(request.user, "shifts.view")

    def out(self, obj, serializer_class=None, code=status.HTTP_200_OK):
        serializer_class = serializer_class or self.get_serializer_class()
        return Response(serializer_class(obj, context=self.get_serializer_context()).data, status=code)


@extend_schema_view(list=extend_schema(parameters=[OpenApiParameter("project", int)]))
class ShiftViewSet(ShiftsViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """The project's shifts ``a|b|c`` with ``start``/``end`` (seeds/002_59da8478c28f7f86.txt:1368 篇6: a 09:00–17:00,
    b 12:00–20:00, c 20:00–22:00 on call); ``?project=`` (default: the first of the user's projects)."""

    serializer_class = s.ShiftSerializer
    queryset = Shift.objects.none()
    filterset_class = None

    def get_queryset(self):
        return Shift.objects.filter(access.project_scope(self.request.user, "shifts.view")).order_by(
            "project_id", "starts_at", "code")

    def list(self, request, *args, **kwargs):
        project = project_param(request.query_params, request.user, "shifts.view", invalid=_("Choose the project."))
        services.shifts_ensure(project=project)
        page = self.paginate_queryset(self.get_queryset().filter(project=project))
        return self.get_paginated_response(s.ShiftSerializer(page, many=True).data)

    @extend_schema(request=s.ShiftUpdateSerializer, responses={200: s.ShiftSerializer})
    def partial_update(self, request, pk=None):
        shift = self.get_object()
        access.require(request.user, "shifts.configure", shift.project_id)
        data = valid(s.ShiftUpdateSerializer, request.data)
        shift = services.shift_update(shift=shift, starts_at=data.get("start"), ends_at=data.get("end"),
                                      name=data.get("name"), on_call=data.get("on_call"))
        return self.out(shift)


@extend_schema_view(list=extend_schema(parameters=[
    OpenApiParameter("project", int), OpenApiParameter("month", str, description="YYYY-MM (default: this month)"),
    OpenApiParameter("post", int)]))
class RosterViewSet(ShiftsViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Monthly rosters, one per post: ``entries`` are ``{user, day, shift, status}`` (``leave``: off that day)."""

    serializer_class = s.RosterSerializer
    filterset_class = RosterFilter
    queryset = Roster.objects.none()

    def get_queryset(self):
        entries = RosterEntry.objects.select_related("user").order_by("day", "shift", "user_id")
        return (selectors.rosters_visible_to(self.request.user)
                .prefetch_related(Prefetch("entries", queryset=entries)).order_by("project_id", "month", "post_id"))

    def list(self, request, *args, **kwargs):
        project = project_param(request.query_params, request.user, "shifts.view", invalid=_("Choose the project."))
        period = month_param(request.query_params)
        rosters = self.filter_queryset(self.get_queryset()).filter(project=project, month=period.label)
        page = self.paginate_queryset(rosters)
        return self.get_paginated_response(s.RosterSerializer(page, many=True).data)

    @extend_schema(request=s.RosterCreateSerializer, responses={201: s.RosterSerializer})
    def create(self, request):
        project = write_project(request.data, request.user, "shifts.roster")
        data = valid(s.RosterCreateSerializer, request.data)
        roster = services.roster_create(project=project, post=project_post(project, data["post"]),
                                        month=data["month"], created_by=request.user)
        return self.out(self.get_queryset().get(pk=roster.pk), code=status.HTTP_201_CREATED)

    @extend_schema(request=s.RosterEntryCreateSerializer, responses={201: s.RosterEntrySerializer})
    @action(detail=True, methods=["post"], filterset_class=None)
    def entries(self, request, pk=None):
        """Put a person on a shift of a day (one entry per person, day and shift: a second → 409)."""
        roster = self.get_object()
        access.require(request.user, "shifts.roster", roster.project_id)
        data = valid(s.RosterEntryCreateSerializer, request.data)
        user = project_user(roster.project, data["user"])
        entry = services.entry_add(roster=roster, user=user, day=data["day"], shift=data["shift"])
        return self.out(entry, s.RosterEntrySerializer, code=status.HTTP_201_CREATED)

    @extend_schema(request=s.FillSerializer, responses={200: s.FillResultSerializer})
    @action(detail=True, methods=["post"], filterset_class=None)
    def fill(self, request, pk=None):
        """Fill the month by rotation of ``users`` over the shifts (days already filled are kept)."""
        roster = self.get_object()
        access.require(request.user, "shifts.roster", roster.project_id)
        data = valid(s.FillSerializer, request.data)
        users = [project_user(roster.project, user_id, "users") for user_id in data["users"]]
        added = services.roster_fill(roster=roster, users=users, shifts=data.get("shifts"), start=data.get("start"))
        return self.out({"added": added, "roster": self.get_queryset().get(pk=roster.pk)}, s.FillResultSerializer)


@extend_schema_view(list=extend_schema(parameters=[
    OpenApiParameter("project", int), OpenApiParameter("post", int), OpenApiParameter("user", int),
    OpenApiParameter("day", str, description="YYYY-MM-DD"), OpenApiParameter("month", str, description="YYYY-MM"),
    OpenApiParameter("status", str, description="scheduled, leave (several: a,b)")]))
class EntryViewSet(ShiftsViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin):
    """Roster entries: one person on one shift of one day. Deleting one (``shifts.roster``): only a day to come."""

    serializer_class = s.RosterEntrySerializer
    filterset_class = EntryFilter
    queryset = RosterEntry.objects.none()

    def get_queryset(self):
        return selectors.entries_visible_to(self.request.user).order_by("day", "shift", "user_id")

    @extend_schema(responses={204: None})
    def destroy(self, request, *args, **kwargs):
        entry = self.get_object()
        access.require(request.user, "shifts.roster", entry.project_id)
        services.entry_remove(entry=entry)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(list=extend_schema(parameters=[
    OpenApiParameter("project", int), OpenApiParameter("post", int),
    OpenApiParameter("status", str, description="pending, approved, rejected, cancelled (several: a,b)")]))
class SwapViewSet(ShiftsViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Shift swaps: two people exchange two shifts of their post once the supervisor post approves."""

    serializer_class = s.SwapSerializer
    filterset_class = SwapFilter
    queryset = SwapRequest.objects.none()

    def get_queryset(self):
        return selectors.swaps_visible_to(self.request.user)

    @extend_schema(request=s.SwapCreateSerializer, responses={201: s.SwapSerializer})
    def create(self, request):
        data = valid(s.SwapCreateSerializer, request.data)
        entries = selectors.entries_visible_to(request.user)
        entry = entries.filter(pk=data["entry"]).first()
        other = entries.filter(pk=data["other_entry"]).first()
        if entry is None or other is None:
            raise BusinessRuleError({"entry" if entry is None else "other_entry": [_("Unknown roster entry.")]})
        if request.user.pk not in {entry.user_id, other.user_id}:
            access.require(request.user, "shifts.roster", entry.project_id)
        swap = services.swap_request(entry=entry, other_entry=other, requested_by=request.user, reason=data["reason"])
        return self.out(self.get_queryset().get(pk=swap.pk), code=status.HTTP_201_CREATED)

    def _decide(self, request, action_name: str):
        swap = self.get_object()
        if action_name != "cancel":
            if not (action_name == "reject" and request.user.pk == swap.other_user_id):
                access.require(request.user, "shifts.approve", swap.project_id)
        data = valid(s.ShiftNoteSerializer, request.data)
        services.swap_decide(swap=swap, action=action_name, user=request.user, note=data["note"])
        return self.out(self.get_queryset().get(pk=swap.pk))

    @extend_schema(request=s.ShiftNoteSerializer, responses={200: s.SwapSerializer})
    @action(detail=True, methods=["post"], filterset_class=None)
    def approve(self, request, pk=None):
        """The supervisor post approves: the two people change shifts (409 if the roster changed meanwhile)."""
        return self._decide(request, "approve")

    @extend_schema(request=s.ShiftNoteSerializer, responses={200: s.SwapSerializer})
    @action(detail=True, methods=["post"], filterset_class=None)
    def reject(self, request, pk=None):
        return self._decide(request, "reject")

    @extend_schema(request=s.ShiftNoteSerializer, responses={200: s.SwapSerializer})
    @action(detail=True, methods=["post"], filterset_class=None)
    def cancel(self, request, pk=None):
        return self._decide(request, "cancel")


@extend_schema_view(list=extend_schema(parameters=[
    OpenApiParameter("project", int), OpenApiParameter("post", int),
    OpenApiParameter("shift", str, description="a, b, c (several: a,b)"),
    OpenApiParameter("day", str, description="YYYY-MM-DD"), OpenApiParameter("acknowledged", bool),
    OpenApiParameter("escalated", bool), OpenApiParameter("mine", bool, description="only those I may acknowledge")]))
class HandoverViewSet(ShiftsViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """The handover log (交接班记录): the notes and open items a shift leaves the next, which acknowledges them."""

    serializer_class = s.HandoverSerializer
    filterset_class = HandoverFilter
    queryset = Handover.objects.none()

    def get_queryset(self):
        handovers = selectors.handovers_visible_to(self.request.user)
        if self.action == "list" and self.request.query_params.get("mine", "").lower() in {"1", "true", "yes"}:
            handovers = selectors.handovers_to_acknowledge(self.request.user, handovers)
        return handovers

    @extend_schema(request=s.HandoverCreateSerializer, responses={201: s.HandoverSerializer})
    def create(self, request):
        project = write_project(request.data, request.user, "shifts.handover")
        data = valid(s.HandoverCreateSerializer, request.data)
        services.shifts_ensure(project=project)
        if "post" in data:
            post = project_post(project, data["post"])
        else:  # the post the writer is rostered on for that shift, else their only post that keeps handovers
            shift = services.shift_of(project, data["shift"])
            day = data.get("day") or selectors.latest_start(shift, clock.now())
            posts = [p for p in access.posts_of(request.user, project) if "shifts.handover" in p.permissions]
            post = services.handover_post(project=project, user=request.user, day=day, shift=shift.code,
                                          posts=posts)
        handover = services.handover_record(project=project, post=post, shift=data["shift"], notes=data["notes"],
                                            open_items=data["open_items"], handed_by=request.user,
                                            day=data.get("day"))
        return self.out(self.get_queryset().get(pk=handover.pk), code=status.HTTP_201_CREATED)

    @extend_schema(request=s.ShiftNoteSerializer, responses={200: s.HandoverSerializer})
    @action(detail=True, methods=["post"], filterset_class=None)
    def ack(self, request, pk=None):
        """The next shift acknowledges the handover: 409 if it is acknowledged already; 403 for anyone not on the
        next shift of the post."""
        handover = self.get_object()
        access.require(request.user, "shifts.handover", handover.project_id)
        data = valid(s.ShiftNoteSerializer, request.data)
        services.handover_acknowledge(handover=handover, user=request.user, note=data["note"])
        return self.out(self.get_queryset().get(pk=handover.pk))


@extend_schema(request=s.LeaveSerializer, responses={200: s.LeaveResultSerializer})
@api_view(["POST"])
def leave(request):
    """Leave takes a person off a day: every shift of theirs that day is marked ``leave`` (``shifts.roster``)."""
    project = write_project(request.data, request.user, "shifts.roster")
    data = valid(s.LeaveSerializer, request.data)
    user = project_user(project, data["user"])
    entries = services.leave_record(project=project, user=user, day=data["day"], reason=data["reason"])
    return Response(s.LeaveResultSerializer({"project": project.pk, "user": user.pk, "day": data["day"],
                                             "reason": data["reason"], "entries": entries}).data)


def _at(params: Any) -> datetime:
    value = params.get("at")
    if not value:
        return clock.now()
    at = parse_datetime(str(value).strip()) if "\x00" not in str(value) else None
    if at is None:
        raise BusinessRuleError({"at": [_("Give the time as ISO 8601, e.g. 2026-11-05T21:30:00+08:00.")]})
    return at if timezone.is_aware(at) else timezone.make_aware(at)


@extend_schema(parameters=[OpenApiParameter("project", int), OpenApiParameter("post", int),
                           OpenApiParameter("at", str, description="ISO 8601 (default: now)")],
               responses={200: s.OnDutySerializer})
@api_view(["GET"])
def on_duty(request):
    """Who is on duty at ``at`` (default now) for ``post`` (default: any post) in ``project``: the people rostered on
    a running shift — last night's included — and not on leave."""
    project = project_param(request.query_params, request.user, "shifts.view", invalid=_("Choose the project."))
    post_id = int_param(request.query_params, "post", error=_("Choose a post held in the project."))
    post = project_post(project, post_id) if post_id is not None else None
    at = _at(request.query_params)
    users = selectors.on_duty(project, post, at)
    return Response(s.OnDutySerializer({"project": project.pk, "post": getattr(post, "pk", None), "at": at,
                                        "users": users}).data)
