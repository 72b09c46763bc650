"""JSON API of the stores (shared/API.md "Stock"). Thin: the web edge checks the permission and the project, the
input serializer the fields, the service the rules; the answer is the output serializer.

403: the user's posts do not grant the action in the project; 404: an object outside the projects the user sees
(another project's receipt is "not found", like one that does not exist)."""
from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.response import Response

from dutydesk.archive.models import Project
from dutydesk.core import clock
from dutydesk.core.drf import Pagination
from dutydesk.core.errors import BusinessRuleError
from dutydesk.org import access
from dutydesk.stock import selectors, services
from dutydesk.stock import serializers as s
from dutydesk.stock.filters import CountFilter, IssueFilter, ItemFilter, ReceiptFilter
from dutydesk.stock.models import Issue, Item, Receipt, StockCount
from dutydesk.web.params import int_param, project_param


def valid(serializer_class: Any, data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def write_project(data: Any, user: Any, code: str) -> Project:
    """The ``project`` of a write: required; unknown → 404; not one where the user's posts grant ``code`` → 403."""
    return project_param(data, user, code, required=_("Choose the project."), invalid=_("Choose the project."))


def project_item(project: Project, item_id: Any) -> Item:
    """An item of ``project`` by id; anything else is the field's 400."""
    item = Item.objects.filter(project=project, pk=item_id).first() if item_id is not None else None
    if item is None:
        raise BusinessRuleError({"item": [_("Unknown item.")]})
    return item


def parse_day(params: Any, name: str, default: date) -> date:
    value = params.get(name)
    if not value:
        return default
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise BusinessRuleError({name: [_("Use the form YYYY-MM-DD.")]}) from None


def ledger_range(params: Any) -> tuple[date, date]:
    """``from`` and ``to`` of the ledger (default today), at most ``LEDGER_MAX_DAYS`` days."""
    today = clock.today()
    end = parse_day(params, "to", today)
    start = parse_day(params, "from", end)
    if start > end:
        raise BusinessRuleError({"from": [_("The start is after the end.")]})
    if (end - start).days + 1 > selectors.LEDGER_MAX_DAYS:
        raise BusinessRuleError({"to": [_("Show at most %(days)s days at once.")
                                        % {"days": selectors.LEDGER_MAX_DAYS}]})
    return start, end


class StockViewSet(viewsets.GenericViewSet):
    """Staff whose posts grant ``stock.view`` somewhere; objects outside their projects are 404."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        access.require(request.user, "stock.view")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": clock.today()}

    def out(self, obj, serializer_class=None, code=status.HTTP_200_OK):
        serializer_class = serializer_class or self.get_serializer_class()
        return Response(serializer_class(obj, context=self.get_serializer_context()).data, status=code)


@extend_schema_view(list=extend_schema(parameters=[OpenApiParameter("project", int), OpenApiParameter("active", bool),
                                                   OpenApiParameter("q", str)]))
class ItemViewSet(StockViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Items (物料/商品): ``{code, name, unit, safety_stock, shelf_life_days}`` plus ``bin`` (固定货位) and ``active``;
    writing them needs ``stock.manage`` in the project."""

    serializer_class = s.ItemSerializer
    filterset_class = ItemFilter
    queryset = Item.objects.none()  # for the schema; get_queryset scopes by user

    def get_queryset(self):
        return selectors.items_visible_to(self.request.user).order_by("project_id", "code", "id")

    @extend_schema(request=s.ItemSerializer, responses={201: s.ItemSerializer})
    def create(self, request):
        project = write_project(request.data, request.user, "stock.manage")
        data = valid(s.ItemSerializer, request.data)
        data.pop("project", None)
        item = services.item_save(project=project, **data)
        return self.out(item, code=status.HTTP_201_CREATED)

    @extend_schema(request=s.ItemSerializer, responses={200: s.ItemSerializer})
    def update(self, request, pk=None, partial=False):
        item = self.get_object()
        access.require(request.user, "stock.manage", item.project_id)
        serializer = s.ItemSerializer(item, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        current = {field: getattr(item, field) for field in
                   ("code", "name", "unit", "bin", "safety_stock", "shelf_life_days", "active")}
        current.update({key: value for key, value in serializer.validated_data.items() if key in current})
        return self.out(services.item_save(project=item.project, item=item, **current))

    @extend_schema(request=s.ItemSerializer, responses={200: s.ItemSerializer})
    def partial_update(self, request, pk=None):
        return self.update(request, pk=pk, partial=True)


@extend_schema_view(list=extend_schema(parameters=[
    OpenApiParameter("project", int), OpenApiParameter("item", int),
    OpenApiParameter("zone", str, description="pending, passed or rejected (several: a,b)")]))
class ReceiptViewSet(StockViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Receipts (收货/入库单): each a batch; it lands in ``pending`` (待检) and is inspected into ``passed`` (合格) or
    ``rejected`` (不合格)."""

    serializer_class = s.ReceiptSerializer
    filterset_class = ReceiptFilter
    queryset = Receipt.objects.none()

    def get_queryset(self):
        return selectors.receipts_visible_to(self.request.user)

    @extend_schema(request=s.ReceiptCreateSerializer, responses={201: s.ReceiptSerializer})
    def create(self, request):
        project = write_project(request.data, request.user, "stock.receive")
        data = valid(s.ReceiptCreateSerializer, request.data)
        item = project_item(project, data.pop("item"))
        receipt = services.receipt_record(project=project, item=item, received_by=request.user, **data)
        return self.out(self.get_queryset().get(pk=receipt.pk), code=status.HTTP_201_CREATED)

    @extend_schema(request=s.InspectSerializer, responses={200: s.ReceiptSerializer, 409: None})
    @action(detail=True, methods=["post"])
    def inspect(self, request, pk=None):
        receipt = self.get_object()
        access.require(request.user, "stock.inspect", receipt.project_id)
        data = valid(s.InspectSerializer, request.data)
        services.receipt_inspect(receipt=receipt, inspected_by=request.user, **data)
        return self.out(self.get_queryset().get(pk=receipt.pk))

    @extend_schema(request=None, responses={200: s.ReceiptSerializer, 409: None})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        receipt = self.get_object()
        access.require(request.user, "stock.approve", receipt.project_id)
        services.slip_approve(slip=receipt, approved_by=request.user)
        return self.out(self.get_queryset().get(pk=receipt.pk))


@extend_schema_view(list=extend_schema(parameters=[OpenApiParameter("project", int), OpenApiParameter("item", int)]))
class IssueViewSet(StockViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Issues (出库单): ``lines`` say which batches gave how much, oldest receipt first."""

    serializer_class = s.IssueSerializer
    filterset_class = IssueFilter
    queryset = Issue.objects.none()

    def get_queryset(self):
        return selectors.issues_visible_to(self.request.user)

    @extend_schema(request=s.IssueCreateSerializer, responses={201: s.IssueSerializer})
    def create(self, request):
        project = write_project(request.data, request.user, "stock.issue")
        data = valid(s.IssueCreateSerializer, request.data)
        item = project_item(project, data.pop("item"))
        issue = services.issue_record(project=project, item=item, issued_by=request.user, **data)
        return self.out(self.get_queryset().get(pk=issue.pk), code=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: s.IssueSerializer, 409: None})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        issue = self.get_object()
        access.require(request.user, "stock.approve", issue.project_id)
        services.slip_approve(slip=issue, approved_by=request.user)
        return self.out(self.get_queryset().get(pk=issue.pk))


@extend_schema_view(list=extend_schema(parameters=[OpenApiParameter("project", int), OpenApiParameter("item", int)]))
class CountViewSet(StockViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Stocktakes (盘点): the book quantity, the count and the difference (counted − book)."""

    serializer_class = s.CountSerializer
    filterset_class = CountFilter
    queryset = StockCount.objects.none()

    def get_queryset(self):
        return selectors.counts_visible_to(self.request.user)

    @extend_schema(request=s.CountCreateSerializer, responses={201: s.CountSerializer})
    def create(self, request):
        project = write_project(request.data, request.user, "stock.count")
        data = valid(s.CountCreateSerializer, request.data)
        item = project_item(project, data.pop("item"))
        count = services.count_record(project=project, item=item, counted_by=request.user, **data)
        return self.out(self.get_queryset().get(pk=count.pk), code=status.HTTP_201_CREATED)


def _report_project(request) -> Project:
    return project_param(request.query_params, request.user, "stock.view", invalid=_("Choose the project."))


@extend_schema(parameters=[OpenApiParameter("project", int), OpenApiParameter("below_safety", bool)],
               responses={200: s.LevelsPage})
@api_view(["GET"])
def levels(request):
    """Stock per item: ``on_hand`` (passed, not expired: what may be issued), ``expired``, ``pending`` (待检) and
    ``below_safety``; paginated."""
    project = _report_project(request)
    rows = selectors.levels(items=Item.objects.filter(project=project))
    if request.query_params.get("below_safety", "").lower() in {"1", "true", "yes"}:
        rows = rows.filter(below_safety=True)
    paginator = Pagination()
    page = paginator.paginate_queryset(rows, request)
    response = paginator.get_paginated_response(s.LevelSerializer(page, many=True).data)
    response.data["project"] = project.pk
    return response


@extend_schema(parameters=[OpenApiParameter("project", int), OpenApiParameter("from", str),
                           OpenApiParameter("to", str), OpenApiParameter("item", int)],
               responses={200: s.LedgerPage})
@api_view(["GET"])
def ledger(request):
    """The 三级数量帐 (daily quantity ledger): per item and day, opening stock, received into stock (passed
    inspection), issued, closing stock; ``from``/``to`` YYYY-MM-DD (default today, at most 62 days); paginated."""
    project = _report_project(request)
    start, end = ledger_range(request.query_params)
    item_id = int_param(request.query_params, "item", error=_("Unknown item."))
    item = project_item(project, item_id) if item_id is not None else None
    rows = selectors.ledger(project=project, start=start, end=end, item=item)
    paginator = Pagination()
    page = paginator.paginate_queryset(rows, request)
    response = paginator.get_paginated_response(s.LedgerRowSerializer(page, many=True).data)
    response.data.update({"project": project.pk, "from": start.isoformat(), "to": end.isoformat()})
    return response
