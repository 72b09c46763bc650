"""JSON API of the vendors: ``/vendors/`` (the contractors of a project and the posts that supervise them),
``/vendor-evaluations/`` (one per vendor, month and evaluating post: a second → 409) and
``/reports/vendors?project=&year=`` (the scores over the year). Thin: the web edge checks the permission and the
project, the input serializer the fields, the service the rules.

403: the user's posts do not grant the action in the project, or (from the service) the post does not supervise the
vendor; 404: an object outside the user's projects."""
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import api_view
from rest_framework.response import Response

from dutydesk.archive.models import Project
from dutydesk.core import clock
from dutydesk.core.errors import BusinessRuleError
from dutydesk.org import access
from dutydesk.org.models import Post
from dutydesk.vendors import selectors, services
from dutydesk.vendors import serializers as s
from dutydesk.vendors.filters import EvaluationFilter, VendorFilter
from dutydesk.vendors.models import Evaluation, Vendor
from dutydesk.web.params import int_param, project_param


def valid(serializer_class: Any, data: Any, **kwargs: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def project_posts(project: Project, post_ids: list[int], field: str = "supervising_posts") -> list[Post]:
    posts = list(Post.objects.filter(pk__in=post_ids))
    if len(posts) != len(set(post_ids)):
        raise BusinessRuleError({field: [_("Choose posts held in the project.")]})
    return posts


class VendorsViewSet(viewsets.GenericViewSet):
    """Staff whose posts grant ``vendors.view`` somewhere; objects outside their projects are 404."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        access.require(request.user, "vendors.view")

    def out(self, obj, serializer_class=None, code=status.HTTP_200_OK):
        serializer_class = serializer_class or self.get_serializer_class()
        return Response(serializer_class(obj, context=self.get_serializer_context()).data, status=code)


@extend_schema_view(list=extend_schema(parameters=[
    OpenApiParameter("project", int), OpenApiParameter("kind", str, description="cleaning, greening, pest_control, "
                                                                                "security, lifts, other (several: a,b)"),
    OpenApiParameter("active", bool)]))
class VendorViewSet(VendorsViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Outsourced vendors (外包方) with the posts that supervise them and the criteria they are scored on."""

    serializer_class = s.VendorSerializer
    filterset_class = VendorFilter
    queryset = Vendor.objects.none()

    def get_queryset(self):
        return selectors.vendors_visible_to(self.request.user).order_by("project_id", "kind", "name", "id")

    @extend_schema(request=s.VendorCreateSerializer, responses={201: s.VendorSerializer})
    def create(self, request):
        project = project_param(request.data, request.user, "vendors.manage", required=_("Choose the project."),
                                invalid=_("Choose the project."))
        data = valid(s.VendorCreateSerializer, request.data)
        data.pop("project")
        data["supervising_posts"] = project_posts(project, data["supervising_posts"])
        vendor = services.vendor_save(project=project, **data)
        return self.out(self.get_queryset().get(pk=vendor.pk), code=status.HTTP_201_CREATED)

    @extend_schema(request=s.VendorUpdateSerializer, responses={200: s.VendorSerializer})
    def partial_update(self, request, pk=None):
        vendor = self.get_object()
        access.require(request.user, "vendors.manage", vendor.project_id)
        data = valid(s.VendorUpdateSerializer, request.data)
        current: dict[str, Any] = {field: getattr(vendor, field) for field in
                                   ("name", "kind", "contact_name", "phone", "contract_starts_on", "contract_ends_on",
                                    "active")}
        current["supervising_posts"] = list(vendor.supervising_posts.all())
        if "supervising_posts" in data:
            data["supervising_posts"] = project_posts(vendor.project, data["supervising_posts"])
        current.update(data)
        services.vendor_save(project=vendor.project, vendor=vendor, **current)
        return self.out(self.get_queryset().get(pk=vendor.pk))


@extend_schema_view(list=extend_schema(parameters=[
    OpenApiParameter("project", int), OpenApiParameter("vendor", int), OpenApiParameter("post", int),
    OpenApiParameter("month", str, description="YYYY-MM"), OpenApiParameter("year", int)]))
class EvaluationViewSet(VendorsViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Monthly evaluations: a score 0–100 per criterion, the weighted ``total``, who evaluated as which post."""

    serializer_class = s.EvaluationSerializer
    filterset_class = EvaluationFilter
    queryset = Evaluation.objects.none()

    def get_queryset(self):
        return selectors.evaluations_visible_to(self.request.user).order_by("-month", "vendor_id", "post_id", "id")

    @extend_schema(request=s.EvaluationCreateSerializer, responses={201: s.EvaluationSerializer})
    def create(self, request):
        data = valid(s.EvaluationCreateSerializer, request.data)
        vendor = selectors.vendors_visible_to(request.user).filter(pk=data["vendor"]).first()
        if vendor is None:
            raise BusinessRuleError({"vendor": [_("Unknown vendor.")]})
        access.require(request.user, "vendors.evaluate", vendor.project_id)
        post = Post.objects.filter(pk=data["post"]).first() if "post" in data else None
        if "post" in data and post is None:
            raise BusinessRuleError({"post": [_("Unknown post.")]})
        services.evaluation_month(data["month"])
        post = services.evaluation_post(vendor=vendor, user=request.user, post=post)
        evaluation = services.evaluation_record(vendor=vendor, month=data["month"], post=post,
                                                evaluated_by=request.user, scores=data["scores"],
                                                comments=data["comments"])
        return self.out(self.get_queryset().get(pk=evaluation.pk), code=status.HTTP_201_CREATED)


def report_year(params: Any) -> int:
    year = int_param(params, "year", error=_("Give the year as YYYY."))
    if year is None:
        return clock.today().year
    if not 2000 <= year <= 2100:
        raise BusinessRuleError({"year": [_("Give the year as YYYY.")]})
    return year


@extend_schema(parameters=[OpenApiParameter("project", int), OpenApiParameter("year", int)],
               responses={200: s.VendorReportSerializer})
@api_view(["GET"])
def vendor_report(request):
    """Each vendor's scores over the year: every month's average total (the posts' evaluations averaged), the year's
    average and the number of evaluations."""
    project = project_param(request.query_params, request.user, "vendors.view", invalid=_("Choose the project."))
    year = report_year(request.query_params)
    rows = selectors.year_report(project=project, year=year)
    return Response(s.report_as_dict(project=project.pk, year=year, rows=rows))
