"""JSON API of the front-desk registers (shared/API.md "Front desk registers"). Thin: validate with
the input serializer, call the service, answer with the output serializer."""
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from dutydesk.core import clock
from dutydesk.frontdesk import selectors, services
from dutydesk.frontdesk import serializers as s
from dutydesk.frontdesk.filters import AccessPassFilter, CardFilter, KeyFilter, MailFilter, VisitFilter
from dutydesk.frontdesk.models import AccessPass, Card, ExpectedVisitor, Key, MailItem, Visit
from dutydesk.org import access
from dutydesk.web.params import int_param, project_ids_for


def _valid(serializer_class, request, **extra):
    serializer = serializer_class(data=request.data, context={"request": request, **extra})
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class RegisterViewSet(viewsets.GenericViewSet):
    """Staff whose posts grant ``perm`` in some project; objects outside their scope are 404."""

    perm: str  # the register's permission code, named by each register's viewset

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        access.require(request.user, self.perm)

    def out(self, obj, serializer_class=None, code=status.HTTP_200_OK):
        serializer_class = serializer_class or self.get_serializer_class()
        return Response(serializer_class(obj, context=self.get_serializer_context()).data, status=code)


# ---------------------------------------------------------------- keys
@extend_schema_view(list=extend_schema(parameters=[
    OpenApiParameter("status", str, enum=["in_custody", "lent", "lost"]), OpenApiParameter("overdue", bool),
    OpenApiParameter("kind", str), OpenApiParameter("unit", int), OpenApiParameter("project", int),
    OpenApiParameter("q", str)]))
class KeyViewSet(RegisterViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """The key register (钥匙托管 and public-area keys). Lend → 200, lend again → 409, return → 200."""

    perm = "frontdesk.keys"
    serializer_class = s.KeySerializer
    filterset_class = KeyFilter
    queryset = Key.objects.none()  # for the schema; get_queryset scopes by user

    def get_queryset(self):
        return selectors.keys_for(self.request.user)

    @extend_schema(request=s.KeyCreateSerializer, responses={201: s.KeySerializer})
    def create(self, request):
        data = _valid(s.KeyCreateSerializer, request)
        key = services.key_register(clerk=request.user, **data)
        return self.out(self.get_queryset().get(pk=key.pk), code=status.HTTP_201_CREATED)

    @extend_schema(request=s.KeyLendSerializer, responses={200: s.KeySerializer, 409: None})
    @action(detail=True, methods=["post"])
    def lend(self, request, pk=None):
        key = self.get_object()
        services.key_lend(key=key, clerk=request.user, **_valid(s.KeyLendSerializer, request))
        return self.out(self.get_queryset().get(pk=key.pk))

    @extend_schema(request=None, responses={200: s.KeySerializer, 409: None})
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        key = self.get_object()
        services.key_return(key=key, clerk=request.user)
        return self.out(self.get_queryset().get(pk=key.pk))

    @extend_schema(request=None, responses={200: s.KeySerializer, 409: None})
    @action(detail=True, methods=["post"])
    def lost(self, request, pk=None):
        key = self.get_object()
        services.key_mark_lost(key=key, clerk=request.user, note=str(request.data.get("note", "")))
        return self.out(self.get_queryset().get(pk=key.pk))

    @extend_schema(responses=s.KeyLoanSerializer(many=True))
    @action(detail=True, filterset_class=None)
    def loans(self, request, pk=None):
        key = self.get_object()
        return Response(s.KeyLoanSerializer(key.loans.select_related("key")[:100], many=True).data)


class KeyCountViewSet(RegisterViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """The daily key count (盘点): confirm each key in custody; discrepancies are recorded."""

    perm = "frontdesk.keys"
    serializer_class = s.KeyCountSerializer

    def get_queryset(self):
        return selectors.key_counts_for(self.request.user).prefetch_related("lines")

    @extend_schema(request=s.KeyCountCreateSerializer, responses={201: s.KeyCountSerializer})
    def create(self, request):
        data = _valid(s.KeyCountCreateSerializer, request)
        count = services.key_count_record(clerk=request.user, project=data["project"], note=data["note"],
                                          confirmed_key_ids=data["confirmed"], unexpected_labels=data["unexpected"])
        return self.out(self.get_queryset().get(pk=count.pk), code=status.HTTP_201_CREATED)


# ---------------------------------------------------------------- visitors
@extend_schema_view(list=extend_schema(parameters=[
    OpenApiParameter("inside", bool, description="only visitors who have not left"),
    OpenApiParameter("unit", int), OpenApiParameter("date", str, description="YYYY-MM-DD of arrival"),
    OpenApiParameter("pass_code", str)]))
class VisitViewSet(RegisterViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    perm = "frontdesk.visitors"
    serializer_class = s.VisitSerializer
    filterset_class = VisitFilter
    queryset = Visit.objects.none()

    def get_queryset(self):
        return selectors.visits_for(self.request.user)

    @extend_schema(request=s.VisitCreateSerializer, responses={201: s.VisitCreatedSerializer})
    def create(self, request):
        """Register a visitor → 201 ``{id, pass_code, valid_until, ...}``."""
        visit = services.visit_register(clerk=request.user, **_valid(s.VisitCreateSerializer, request))
        return self.out(visit, s.VisitCreatedSerializer, code=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: s.VisitSerializer, 409: None})
    @action(detail=True, methods=["post"])
    def leave(self, request, pk=None):
        return self.out(services.visit_leave(visit=self.get_object(), clerk=request.user))


class ExpectedVisitorViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """A resident pre-registers a visitor and gets a code for the visitor desk."""

    serializer_class = s.ExpectedVisitorSerializer

    def get_queryset(self):
        user = self.request.user
        if getattr(self, "swagger_fake_view", False):
            return ExpectedVisitor.objects.none()
        if access.is_staff_member(user):
            access.require(user, "frontdesk.visitors")
            queryset = selectors.expected_visitors_for_desk(user)
            if self.request.query_params.get("code"):
                queryset = queryset.filter(code=self.request.query_params["code"].strip().upper())
            return queryset
        return selectors.expected_visitors_for_resident(user)

    @extend_schema(request=s.ExpectedVisitorCreateSerializer, responses={201: s.ExpectedVisitorSerializer})
    def create(self, request):
        if access.is_staff_member(request.user):
            raise PermissionDenied()
        data = _valid(s.ExpectedVisitorCreateSerializer, request)
        data.pop("unit", None)
        expected = services.expected_visitor_create(**data)
        return Response(s.ExpectedVisitorSerializer(expected).data, status=status.HTTP_201_CREATED)


# ---------------------------------------------------------------- goods release
class GoodsReleaseViewSet(RegisterViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    perm = "frontdesk.goods"
    serializer_class = s.GoodsReleaseSerializer

    def get_queryset(self):
        return selectors.goods_releases_for(self.request.user)

    @extend_schema(request=s.GoodsReleaseCreateSerializer, responses={201: s.GoodsReleaseSerializer})
    def create(self, request):
        release = services.goods_release_create(clerk=request.user, **_valid(s.GoodsReleaseCreateSerializer, request))
        return self.out(release, code=status.HTTP_201_CREATED)


# ---------------------------------------------------------------- access passes
@extend_schema_view(list=extend_schema(parameters=[
    OpenApiParameter("expired", bool), OpenApiParameter("status", str), OpenApiParameter("kind", str),
    OpenApiParameter("unit", int)]))
class AccessPassViewSet(RegisterViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    perm = "frontdesk.passes"
    serializer_class = s.AccessPassSerializer
    filterset_class = AccessPassFilter
    queryset = AccessPass.objects.none()

    def get_queryset(self):
        return selectors.passes_for(self.request.user)

    @extend_schema(request=s.AccessPassCreateSerializer, responses={201: s.AccessPassSerializer})
    def create(self, request):
        access_pass = services.pass_issue(clerk=request.user, **_valid(s.AccessPassCreateSerializer, request))
        return self.out(access_pass, code=status.HTTP_201_CREATED)

    @extend_schema(request=s.AccessPassRenewSerializer, responses={200: s.AccessPassSerializer, 409: None})
    @action(detail=True, methods=["post"])
    def renew(self, request, pk=None):
        access_pass = self.get_object()
        data = _valid(s.AccessPassRenewSerializer, request)
        return self.out(services.pass_renew(access_pass=access_pass, clerk=request.user, **data))

    @extend_schema(request=None, responses={200: s.AccessPassSerializer, 409: None})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self.out(services.pass_cancel(access_pass=self.get_object(), clerk=request.user))


# ---------------------------------------------------------------- IC cards
class CardBatchViewSet(RegisterViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    perm = "frontdesk.cards"
    serializer_class = s.CardBatchSerializer

    def get_queryset(self):
        return selectors.card_batches_for(self.request.user)

    @extend_schema(request=s.CardBatchCreateSerializer, responses={201: s.CardBatchSerializer})
    def create(self, request):
        batch = services.card_batch_record(clerk=request.user, **_valid(s.CardBatchCreateSerializer, request))
        return self.out(batch, code=status.HTTP_201_CREATED)


@extend_schema_view(list=extend_schema(parameters=[OpenApiParameter("status", str), OpenApiParameter("resident", int)]))
class CardViewSet(RegisterViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """IC cards: made for a resident (POST), confirmed by a second look (issued), returned, scrapped."""

    perm = "frontdesk.cards"
    serializer_class = s.CardSerializer
    filterset_class = CardFilter
    queryset = Card.objects.none()

    def get_queryset(self):
        return selectors.cards_for(self.request.user)

    @extend_schema(request=s.CardCreateSerializer, responses={201: s.CardSerializer, 409: None})
    def create(self, request):
        card = services.card_make(clerk=request.user, **_valid(s.CardCreateSerializer, request))
        return self.out(card, code=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: s.CardSerializer, 409: None})
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        return self.out(services.card_confirm(card=self.get_object(), clerk=request.user))

    @extend_schema(request=s.StartedAtSerializer, responses={200: s.CardSerializer, 409: None})
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        started_at = _valid(s.StartedAtSerializer, request).get("started_at")
        return self.out(services.card_return(card=self.get_object(), clerk=request.user, started_at=started_at))

    @extend_schema(request=s.CardScrapSerializer, responses={200: s.CardSerializer, 409: None})
    @action(detail=True, methods=["post"])
    def scrap(self, request, pk=None):
        card = self.get_object()
        return self.out(services.card_scrap(card=card, clerk=request.user, **_valid(s.CardScrapSerializer, request)))


# ---------------------------------------------------------------- mail
@extend_schema_view(list=extend_schema(parameters=[
    OpenApiParameter("status", str), OpenApiParameter("building", int), OpenApiParameter("floor", int),
    OpenApiParameter("unit", int)]))
class MailViewSet(RegisterViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Mail and parcels signed for by the desk; delivered by the butler or collected."""

    perm = "frontdesk.mail"
    serializer_class = s.MailItemSerializer
    filterset_class = MailFilter
    queryset = MailItem.objects.none()

    def get_queryset(self):
        return selectors.mail_for(self.request.user)

    @extend_schema(request=s.MailItemCreateSerializer, responses={201: s.MailItemSerializer})
    def create(self, request):
        item = services.mail_sign_for(clerk=request.user, **_valid(s.MailItemCreateSerializer, request))
        return self.out(item, code=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: s.MailItemSerializer, 409: None})
    @action(detail=True, methods=["post"])
    def deliver(self, request, pk=None):
        return self.out(services.mail_deliver(item=self.get_object(), user=request.user))

    @extend_schema(request=s.MailCollectSerializer, responses={200: s.MailItemSerializer, 409: None})
    @action(detail=True, methods=["post"])
    def collect(self, request, pk=None):
        item = self.get_object()
        return self.out(services.mail_collect(item=item, clerk=request.user, **_valid(s.MailCollectSerializer, request)))

    @extend_schema(responses=inline_serializer("PendingMailFloor", {
        "building": serializers.CharField(), "floor": serializers.IntegerField(), "count": serializers.IntegerField()},
        many=True))
    @action(detail=False, url_path="pending-by-floor", pagination_class=None)
    def pending_by_floor(self, request):
        """Items waiting at the desk per building and floor (the butler's round)."""
        return Response(selectors.mail_pending_by_floor(self.filter_queryset(self.get_queryset())))


# ---------------------------------------------------------------- reports
def _report_projects(request, *codes: str) -> list[int]:
    """The ``?project=`` of a report among the projects where the user's posts grant one of ``codes`` (none → 403),
    else all of them; a project outside them, or not a number → 404."""
    ids = project_ids_for(request.user, *codes)
    if not request.query_params.get("project"):
        return sorted(ids)
    project = int_param(request.query_params, "project")
    if project not in ids:
        raise Http404
    return [project]


RATE_HELP = "within_limit ÷ count as a decimal string with 4 places (\"0.8333\")."
ServiceTimeRow = inline_serializer("ServiceTimeRow", {
    "procedure": serializers.CharField(), "procedure_name": serializers.CharField(),
    "limit_minutes": serializers.IntegerField(), "count": serializers.IntegerField(),
    "within_limit": serializers.IntegerField(), "compliance_rate": serializers.CharField(help_text=RATE_HELP)})


@extend_schema(
    parameters=[OpenApiParameter("period", str, required=True, description="YYYY-MM"),
                OpenApiParameter("procedure", str), OpenApiParameter("clerk", int), OpenApiParameter("project", int)],
    responses=inline_serializer("ServiceTimeReport", {
        "period": serializers.CharField(), "results": ServiceTimeRow,
        "by_clerk": inline_serializer("ServiceTimeClerkRow", {
            "procedure": serializers.CharField(), "clerk": serializers.IntegerField(),
            "clerk_name": serializers.CharField(), "limit_minutes": serializers.IntegerField(),
            "count": serializers.IntegerField(), "within_limit": serializers.IntegerField(),
            "compliance_rate": serializers.CharField(help_text=RATE_HELP)}, many=True)}),
    tags=["frontdesk"])
@api_view(["GET"])
def service_time_report(request):
    """Every timed register entry of the period against the standard of the clerk's post as it is
    in the catalogue now. ``compliance_rate`` = within_limit ÷ count, decimal string, 4 places."""
    params = request.query_params
    return Response(selectors.service_time_report(
        project_ids=_report_projects(request, "frontdesk.reports"), period=params.get("period", ""),
        procedure=params.get("procedure") or None, clerk=int_param(params, "clerk")))


@extend_schema(
    parameters=[OpenApiParameter("period", str, required=True, description="YYYY-MM"), OpenApiParameter("project", int)],
    responses=inline_serializer("CardReport", {"period": serializers.CharField(), "bought": serializers.IntegerField(),
                                               "made": serializers.IntegerField(), "scrapped": serializers.IntegerField(),
                                               "remaining": serializers.IntegerField()}),
    tags=["frontdesk"])
@api_view(["GET"])
def card_report(request):
    """The monthly IC-card report (004): bought, made, scrapped in the month; blanks remaining at its end."""
    return Response(selectors.card_report(project_ids=_report_projects(request, "frontdesk.cards", "frontdesk.reports"),
                                          period=request.query_params.get("period", "")))


@extend_schema(
    parameters=[OpenApiParameter("period", str, required=True, description="YYYY-MM"), OpenApiParameter("project", int)],
    responses=inline_serializer("KeySummary", {
        "period": serializers.CharField(), "lends": serializers.IntegerField(), "returns": serializers.IntegerField(),
        "overdue": serializers.IntegerField(), "lost": serializers.IntegerField(),
        "in_register": serializers.IntegerField()}),
    tags=["frontdesk"])
@api_view(["GET"])
def key_summary(request):
    """The monthly key summary (004 档案室资料员: 每月做好全区钥匙总结工作)."""
    return Response(selectors.key_summary(project_ids=_report_projects(request, "frontdesk.keys", "frontdesk.reports"),
                                          period=request.query_params.get("period", "") or clock.today().strftime("%Y-%m")))
