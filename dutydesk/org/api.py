from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action, api_view, parser_classes
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import BaseParser
from rest_framework.response import Response

from dutydesk.org import access
from dutydesk.org.catalog import CatalogInvalid
from dutydesk.org.catalog_yaml import import_catalog_yaml
from dutydesk.org.filters import PostFilter
from dutydesk.org.models import Catalog, Post
from dutydesk.org.selectors import duty_coverage as duty_coverage_of
from dutydesk.org.selectors import post_list
from dutydesk.org.serializers import MeSerializer, PostSerializer


class PostViewSet(viewsets.ReadOnlyModelViewSet):
    """Posts (岗位) with duties, time standards, routines, KPIs and holders."""

    serializer_class = PostSerializer
    filterset_class = PostFilter
    queryset = Post.objects.none()

    def get_queryset(self):
        return post_list()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not access.is_staff_member(request.user):
            raise PermissionDenied()

    @extend_schema(parameters=[OpenApiParameter("name", str), OpenApiParameter("code", str), OpenApiParameter("catalog", str)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @action(detail=True)
    def subordinates(self, request, pk=None):
        post = self.get_object()
        queryset = self.filter_queryset(self.get_queryset()).filter(superior=post)
        return Response(PostSerializer(queryset, many=True, context={"request": request}).data)


class YAMLTextParser(BaseParser):
    media_type = "application/yaml"

    def parse(self, stream, media_type=None, parser_context=None):
        return stream.read().decode("utf-8", errors="replace")


class PlainYAMLParser(YAMLTextParser):
    media_type = "text/yaml"


@extend_schema(
    request={"application/yaml": str},
    responses={201: inline_serializer("CatalogImportResult", {"posts_created": serializers.IntegerField(),
                                                              "posts_updated": serializers.IntegerField()})},
    tags=["org"],
)
@api_view(["POST"])
@parser_classes([YAMLTextParser, PlainYAMLParser])
def catalog_import(request):
    """Import a post catalogue (docs/catalog.md). All or nothing; the same file twice changes nothing."""
    access.require(request.user, "org.manage")
    text = request.data if isinstance(request.data, str) else ""
    if not text.strip():
        return Response({"errors": {"catalog": [_("Send the catalogue as YAML text (Content-Type: application/yaml).")]}},
                        status=status.HTTP_400_BAD_REQUEST)
    try:
        result = import_catalog_yaml(text)
    except CatalogInvalid as exc:
        return Response({"errors": {"catalog": exc.errors}}, status=status.HTTP_400_BAD_REQUEST)
    return Response({"posts_created": result.posts_created, "posts_updated": result.posts_updated},
                    status=status.HTTP_201_CREATED)


@extend_schema(parameters=[OpenApiParameter("catalog", str, description="catalogue code (default: every catalogue)")],
               responses={200: inline_serializer("DutyCoverage", {
                   "duties": serializers.IntegerField(), "executed": serializers.IntegerField(),
                   "rate": serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True),
                   "posts": inline_serializer("PostCoverage", {
                       "code": serializers.CharField(), "name": serializers.CharField(),
                       "duties": serializers.IntegerField(), "executed": serializers.IntegerField(),
                       "rate": serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True)}, many=True)})},
               tags=["reports"])
@api_view(["GET"])
def duty_coverage(request):
    """Duty coverage (issue 15): how many duty sentences of each post something in the system executes."""
    if not access.is_staff_member(request.user):
        raise PermissionDenied()
    catalog = None
    if request.query_params.get("catalog"):
        catalog = Catalog.objects.filter(code=str(request.query_params["catalog"])).first()
        if catalog is None:
            return Response({"errors": {"catalog": [_("No such catalogue.")]}}, status=status.HTTP_400_BAD_REQUEST)
    coverage = duty_coverage_of(catalog)

    def rate(value):
        return None if value is None else f"{value:.4f}"

    return Response({"duties": coverage.duties, "executed": coverage.executed, "rate": rate(coverage.rate),
                     "posts": [{"code": post.code, "name": post.display_name, "duties": c.duties,
                                "executed": c.executed, "rate": rate(c.rate)} for post, c in coverage.posts]})


@extend_schema(responses=MeSerializer, tags=["auth"])
@api_view(["GET"])
def me(request):
    """Who am I: my posts, projects and permissions."""
    user = request.user
    posts = {h.post_id: h.post for h in access.holdings(user)}
    return Response(MeSerializer({
        "id": user.pk, "username": user.username, "name": user.get_full_name() or user.username,
        "posts": list(posts.values()), "projects": sorted(access.project_ids(user)),
        "permissions": sorted(access.permissions(user)), "is_resident": access.is_resident(user),
    }).data)
