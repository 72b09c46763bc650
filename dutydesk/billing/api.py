"""Billing JSON API (shared/API.md "Billing"). Views translate HTTP to services/selectors."""
from datetime import date

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from dutydesk.archive.models import Project, Unit
from dutydesk.billing import excel, exports, pdfs, selectors, services
from dutydesk.billing.filters import (BillFilter, ChargeItemFilter, LateFeeFilter, MeterReadingFilter, PaymentFilter,
                                      UnitChargeFilter)
from dutydesk.billing.models import Bill, BillRun, ChargeItem, DunningRun, LateFee, MeterReading, Payment, UnitCharge
from dutydesk.billing.serializers import (AdjustRequest, BillRunRequest, BillRunSerializer, BillSerializer,
                                          ChargeItemSerializer, LateFeeSerializer, MeterReadingSerializer,
                                          PaymentRequest, PaymentSerializer, ReasonRequest, UnitChargeSerializer)
from dutydesk.core import clock
from dutydesk.core.errors import BusinessRuleError
from dutydesk.core.idempotency import idempotent
from dutydesk.core.periods import Period
from dutydesk.core.api_jobs import JobAccepted, accepted
from dutydesk.core.background import wants_async
from dutydesk.core.tasks import job_enqueue
from dutydesk.core.drf import Pagination
from dutydesk.org import access
from dutydesk.web.params import int_param, project_param

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _project(request, code="billing.view") -> Project:
    """The ``?project=`` of a report: 400 when missing, 404 unknown, 403 without ``code`` there."""
    return project_param(request.query_params, request.user, code, required=_("This parameter is required."))


def _period(request, name="period", default=None) -> str:
    """The ``YYYY-MM`` month of the query parameter ``name`` (or ``default``); a bad one is a 400 on ``name``."""
    return Period.parse(request.query_params.get(name) or default, name, message=_("Use the form YYYY-MM.")).label


def _date(request, name="as_of"):
    value = request.query_params.get(name)
    if not value:
        return clock.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BusinessRuleError({name: [_("Use the form YYYY-MM-DD.")]})


def _file(data, filename, content_type):
    response = HttpResponse(data, content_type=content_type)
    disposition = "inline" if content_type == "application/pdf" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@extend_schema_view(list=extend_schema(parameters=[OpenApiParameter("project", int)]))
class ChargeItemViewSet(viewsets.ModelViewSet):
    serializer_class = ChargeItemSerializer
    filterset_class = ChargeItemFilter
    queryset = ChargeItem.objects.none()  # for the schema; get_queryset scopes by user
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return ChargeItem.objects.filter(access.project_scope(self.request.user, "billing.view")).prefetch_related("tiers")

    def _save(self, serializer, item=None):
        data = serializer.validated_data
        project = data.get("project") or item.project
        access.require(self.request.user, "billing.configure", project)
        tiers = data.get("tiers")
        return services.charge_item_save(
            project=project, code=data.get("code", getattr(item, "code", None)), name=data.get("name", getattr(item, "name", None)),
            basis=data.get("basis", getattr(item, "basis", None)), unit_price=data.get("unit_price", getattr(item, "unit_price", 0)),
            kind=data.get("kind", getattr(item, "kind", ChargeItem.Kind.OTHER)), active=data.get("active", getattr(item, "active", True)),
            tiers=[dict(t) for t in tiers] if tiers is not None else None, item=item)

    def perform_create(self, serializer):
        serializer.instance = self._save(serializer)

    def perform_update(self, serializer):
        serializer.instance = self._save(serializer, item=serializer.instance)


class UnitChargeViewSet(viewsets.ModelViewSet):
    serializer_class = UnitChargeSerializer
    filterset_class = UnitChargeFilter
    queryset = UnitCharge.objects.none()
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return UnitCharge.objects.filter(access.unit_scope(self.request.user, "billing.view", "unit__"))

    def perform_create(self, serializer):
        access.require(self.request.user, "billing.configure", serializer.validated_data["unit"].project_id)
        serializer.save()

    def perform_update(self, serializer):
        access.require(self.request.user, "billing.configure", serializer.instance.unit.project_id)
        serializer.save()


class MeterReadingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                          viewsets.GenericViewSet):
    serializer_class = MeterReadingSerializer
    filterset_class = MeterReadingFilter
    queryset = MeterReading.objects.none()

    def get_queryset(self):
        return MeterReading.objects.filter(access.unit_scope(self.request.user, "billing.view", "unit__"))

    def perform_create(self, serializer):
        data = serializer.validated_data
        if not access.allows_unit(self.request.user, "billing.run", data["unit"]):
            raise PermissionDenied()
        serializer.instance = services.meter_reading_record(unit=data["unit"], item=data["item"], period=data["period"],
                                                            reading=data["reading"], user=self.request.user,
                                                            confirm=data.get("confirm", False))

    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser])
    def import_(self, request):
        """Excel import (楼栋, 房号, 收费项目, 期间, 读数, 确认): all rows or none."""
        project = get_object_or_404(Project, pk=int_param(request.data, "project") or 0)
        access.require(request.user, "billing.run", project)
        upload = request.FILES.get("file")
        if upload is None:
            raise BusinessRuleError({"file": [_("Upload an .xlsx file.")]})
        created, errors = excel.import_readings(upload, project=project, user=request.user)
        if errors:
            return Response({"errors": {"rows": errors}}, status=400)
        return Response({"created": created}, status=201)


class BillRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = BillRunSerializer

    def get_queryset(self):
        return BillRun.objects.filter(access.project_scope(self.request.user, "billing.view"))

    @extend_schema(request=BillRunRequest, responses={201: BillRunSerializer, 200: BillRunSerializer, 202: JobAccepted})
    def create(self, request):
        """Bill a project for a period; with ``Prefer: respond-async`` → 202 ``{"job": id}`` (see /api/v1/jobs/{id})."""
        data = BillRunRequest(data=request.data)
        data.is_valid(raise_exception=True)
        project = Project.objects.filter(pk=data.validated_data["project"]).first()
        if project is None:
            raise BusinessRuleError({"project": [_("Unknown project.")]})
        access.require(request.user, "billing.run", project)
        if wants_async(request):
            services.check_period_may_be_billed(data.validated_data["period"])
            return accepted(job_enqueue("billing.run", user=request.user,
                                        params={"project": project.pk, "period": data.validated_data["period"]}))
        run, created = services.bill_run_create(project=project, period=data.validated_data["period"], user=request.user)
        if created:
            services.fee_notice_task_create(run=run)
        return Response(BillRunSerializer(run).data, status=201 if created else 200)


@extend_schema_view(list=extend_schema(parameters=[
    OpenApiParameter("unit", int), OpenApiParameter("period", str), OpenApiParameter("status", str),
    OpenApiParameter("project", int)]))
class BillViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = BillSerializer
    filterset_class = BillFilter
    queryset = Bill.objects.none()

    def get_queryset(self):
        # the ledger's order: a month's bills project by project (two projects may both have building A's unit 101;
        # pages must neither repeat nor skip one of them), each by building name and unit number
        return selectors.bills_visible_to(self.request.user).order_by("-period", "project_id", "unit__building__name",
                                                                      "unit__number", "id")

    def paginate_queryset(self, queryset):
        """Bills are paged month by month, each month project by project and building by building
        (``selectors.MonthByMonth``): one project's (``?project=``), or the projects of someone who sees several of
        them whole (a group's manager). 600,000 units, three months: one project's page without ``?period=``
        1.8 s -> 112 ms; a group of 40 projects' 1.1 s -> see docs/scaling.md. The count is taken on the bills
        alone. One unit's bills (``?unit=``) and a floor butler's are few: sorted as they are."""
        params = self.request.query_params
        if (project := int_param(params, "project")) is not None:
            queryset = selectors.MonthByMonth(queryset, project, params.get("period"))
        elif int_param(params, "unit") is None and len(projects := selectors.projects_seen_whole(self.request.user)) > 1:
            queryset = selectors.MonthByMonth(queryset, projects, params.get("period"))
        return super().paginate_queryset(queryset)

    @extend_schema(request=AdjustRequest, responses={201: BillSerializer})
    @action(detail=True, methods=["post"])
    def adjust(self, request, pk=None):
        bill = self.get_object()
        access.require(request.user, "billing.reverse", bill.project_id)
        data = AdjustRequest(data=request.data)
        data.is_valid(raise_exception=True)
        services.bill_adjust(bill=bill, user=request.user, **data.validated_data)
        return Response(BillSerializer(self.get_queryset().get(pk=bill.pk)).data, status=201)

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def notice(self, request, pk=None):
        """The fee notice (交费通知单) of this bill as PDF."""
        bill = self.get_object()
        bills = pdfs.bills_for_notices(selectors.bills_visible_to(request.user).filter(pk=bill.pk))
        return _file(pdfs.fee_notice_pdf(bills), f"fee-notice-{bill.period}-{bill.pk}.pdf", "application/pdf")


@extend_schema(parameters=[OpenApiParameter("project", int), OpenApiParameter("period", str),
                           OpenApiParameter("building", int), OpenApiParameter("unit", int)],
               responses={(200, "application/pdf"): OpenApiTypes.BINARY})
@api_view(["GET"])
def fee_notices(request):
    """Batch fee notices of a building (or one unit) for a period: one A4 page per unit."""
    project = _project(request)
    period = _period(request)
    bills = selectors.bills_visible_to(request.user).filter(project=project, period=period)
    if (building := int_param(request.query_params, "building")) is not None:
        bills = bills.filter(building_id=building)  # the bills' own building (their unit's)
    if (unit := int_param(request.query_params, "unit")) is not None:
        bills = bills.filter(unit_id=unit)
    if building is None and unit is None:
        raise BusinessRuleError({"building": [_("Choose a building or a unit.")]})
    return _file(pdfs.fee_notice_pdf(pdfs.bills_for_notices(bills)), f"fee-notices-{period}.pdf", "application/pdf")


class PaymentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Payments are only created and reversed: PUT, PATCH and DELETE answer 405."""

    serializer_class = PaymentSerializer
    filterset_class = PaymentFilter
    queryset = Payment.objects.none()
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return selectors.payments_visible_to(self.request.user)

    @extend_schema(request=PaymentRequest, responses={201: PaymentSerializer},
                   parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER)])
    def create(self, request):
        key = request.headers.get("Idempotency-Key", "").strip()

        def record():
            data = PaymentRequest(data=request.data)
            data.is_valid(raise_exception=True)
            values = data.validated_data
            bill = unit = None
            if values.get("bill"):
                bill = get_object_or_404(selectors.bills_visible_to(request.user), pk=values["bill"])
                unit = bill.unit
            else:
                unit = get_object_or_404(Unit.objects.filter(access.unit_scope(request.user, "billing.view")),
                                         pk=values["unit"])
            if not access.allows_unit(request.user, "billing.collect", unit):
                raise PermissionDenied()
            payment = services.payment_record(bill=bill, unit=unit, amount=values["amount"], method=values["method"],
                                              reference=values.get("reference", ""), user=request.user,
                                              prepay=values.get("prepayment", False))
            return 201, PaymentSerializer(selectors.payments_visible_to(request.user).get(pk=payment.pk)).data

        code, body = idempotent(user=request.user, key=key, data=request.data, action=record)
        return Response(body, status=code)

    @extend_schema(request=ReasonRequest, responses={201: PaymentSerializer})
    @action(detail=True, methods=["post"])
    def reverse(self, request, pk=None):
        payment = self.get_object()
        access.require(request.user, "billing.reverse", payment.project_id)
        data = ReasonRequest(data=request.data)
        data.is_valid(raise_exception=True)
        services.payment_reverse(payment=payment, reason=data.validated_data["reason"], user=request.user)
        return Response(PaymentSerializer(self.get_queryset().get(pk=payment.pk)).data, status=201)

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def receipt(self, request, pk=None):
        """The receipt (收款收据) as PDF."""
        payment = self.get_object()
        return _file(pdfs.receipt_pdf(payment), f"receipt-{payment.receipt.label}.pdf", "application/pdf")


class LateFeeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = LateFeeSerializer
    filterset_class = LateFeeFilter
    queryset = LateFee.objects.none()

    def get_queryset(self):
        return selectors.late_fees_visible_to(self.request.user)

    @extend_schema(request=ReasonRequest, responses={200: LateFeeSerializer})
    @action(detail=True, methods=["post"])
    def waive(self, request, pk=None):
        late_fee = self.get_object()
        access.require(request.user, "billing.reverse", late_fee.bill.project_id)
        data = ReasonRequest(data=request.data)
        data.is_valid(raise_exception=True)
        late_fee = services.late_fee_waive(late_fee=late_fee, reason=data.validated_data["reason"], user=request.user)
        return Response(LateFeeSerializer(late_fee).data)


@extend_schema(parameters=[OpenApiParameter("project", int), OpenApiParameter("period", str),
                           OpenApiParameter("by", str, enum=["building", "butler", "month"])],
               responses={200: OpenApiTypes.OBJECT})
@api_view(["GET"])
def collection_rate(request):
    """Collection rate = received ÷ receivable of the period's bills (seeds/004_418914185ea837fa.txt: ≥ 95 %)."""
    project = _project(request)
    period = _period(request, default=selectors.current_period())
    by = request.query_params.get("by")
    buildings = None
    if by == "building":  # the project's total adds up its buildings'
        total, buildings = selectors.collection_by_building_with_total(project=project, period=period)
    else:
        total = selectors.collection_rate(project=project, period=period)
    body = {"project": project.pk, "period": period, **total, "target": str(selectors.collection_rate_target())}
    if buildings is not None:
        body["by_building"] = buildings
    elif by == "butler":
        body["by_butler"] = selectors.collection_rate_by_butler(project=project, period=period)
    elif by == "month":
        body["by_month"] = selectors.collection_rate_trend(project=project, until_period=period)
    return Response(body)


@extend_schema(parameters=[OpenApiParameter("project", int), OpenApiParameter("as_of", str)],
               responses={200: OpenApiTypes.OBJECT})
@api_view(["GET"])
def arrears(request):
    """Arrears per unit in aged buckets by days past the due date."""
    project = _project(request)
    as_of = _date(request)
    paginator = Pagination()
    page = paginator.paginate_queryset(selectors.arrears_page_rows(request.user, project, as_of), request)
    response = paginator.get_paginated_response([selectors.arrears_row(r) for r in page])
    response.data["as_of"] = as_of.isoformat()
    return response


ASYNC = "; with ``Prefer: respond-async`` → 202 ``{\"job\": id}``, the file then at the job's ``result.download``."


@extend_schema(parameters=[OpenApiParameter("project", int), OpenApiParameter("as_of", str)],
               responses={(200, XLSX): OpenApiTypes.BINARY, 202: JobAccepted}, description="Arrears as .xlsx" + ASYNC)
@api_view(["GET"])
def arrears_export(request):
    project = _project(request)
    as_of = _date(request)
    if wants_async(request):
        return accepted(job_enqueue("billing.export_arrears", user=request.user,
                                    params={"project": project.pk, "as_of": as_of.isoformat()}))
    return _file(*exports.arrears_file(user=request.user, project=project, as_of=as_of), XLSX)


@extend_schema(parameters=[OpenApiParameter("project", int), OpenApiParameter("period", str)],
               responses={(200, XLSX): OpenApiTypes.BINARY, 202: JobAccepted}, description="Bills as .xlsx" + ASYNC)
@api_view(["GET"])
def bills_export(request):
    project = _project(request)
    period = _period(request) if request.query_params.get("period") else None
    if wants_async(request):
        return accepted(job_enqueue("billing.export_bills", user=request.user,
                                    params={"project": project.pk, "period": period}))
    return _file(*exports.bills_file(user=request.user, project=project, period=period), XLSX)


@extend_schema(parameters=[OpenApiParameter("project", int), OpenApiParameter("from", str), OpenApiParameter("to", str)],
               responses={(200, XLSX): OpenApiTypes.BINARY, 202: JobAccepted}, description="Payments as .xlsx" + ASYNC)
@api_view(["GET"])
def payments_export(request):
    project = _project(request)
    date_from = _date(request, "from") if request.query_params.get("from") else None
    date_to = _date(request, "to") if request.query_params.get("to") else None
    if wants_async(request):
        return accepted(job_enqueue("billing.export_payments", user=request.user, params={
            "project": project.pk, "from": date_from and date_from.isoformat(), "to": date_to and date_to.isoformat()}))
    return _file(*exports.payments_file(user=request.user, project=project, date_from=date_from, date_to=date_to), XLSX)


@extend_schema(parameters=[OpenApiParameter("project", int), OpenApiParameter("date", str)],
               responses={200: OpenApiTypes.OBJECT})
@api_view(["GET"])
def cash_up(request):
    """日清: each clerk's takings of a day per method. A collector sees only their own."""
    project = _project(request)
    day = _date(request, "date")
    only = None if access.has_perm(request.user, "billing.reverse", project) else request.user
    return Response({"project": project.pk, "date": day.isoformat(),
                     "rows": selectors.cash_up(project=project, day=day, user=only)})


@extend_schema(parameters=[OpenApiParameter("building", int)],
               responses={(200, "application/pdf"): OpenApiTypes.BINARY, 202: JobAccepted})
@api_view(["GET"])
def dunning_notices(request, pk):
    """The arrears follow-up notices of a dunning run as PDF (the units in the user's scope); with
    ``Prefer: respond-async`` → 202 ``{"job": id}``, the PDF then at the job's ``result.download``."""
    run = get_object_or_404(DunningRun.objects.filter(access.project_scope(request.user, "billing.view")), pk=pk)
    building = int_param(request.query_params, "building")
    if wants_async(request):
        return accepted(job_enqueue("billing.dunning_notices", user=request.user,
                                    params={"project": run.project_id, "run": run.pk, "building": building}))
    return _file(*exports.dunning_notices_file(user=request.user, run=run, building=building), "application/pdf")

