from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import api_view, parser_classes
from rest_framework.parsers import BaseParser, FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from dutydesk.core.errors import BusinessRuleError
from dutydesk.core.excel import MAX_IMPORT_BYTES
from dutydesk.drafts import services
from dutydesk.drafts.models import CatalogDraft
from dutydesk.drafts.serializers import DraftSerializer, DraftPublishResultSerializer, draft_body
from dutydesk.drafts.text import TextRefused, read_upload
from dutydesk.org import access


class PlainTextParser(BaseParser):
    """text/plain: the body's bytes, one past the import limit at most (the view names the limit)."""

    media_type = "text/plain"

    def parse(self, stream, media_type=None, parser_context=None) -> Any:  # bytes: the view reads them
        return stream.read(MAX_IMPORT_BYTES + 1) if stream is not None else b""


def _clean(value: Any) -> str:
    return str(value or "").replace("\x00", "").strip()


def _source(request: Request) -> tuple[bytes, str]:
    """(bytes, file name) of the request: a text/plain body, or the multipart part ``file`` (.txt / .docx)."""
    if isinstance(request.data, bytes):
        return request.data, ""
    upload = request.FILES.get("file")
    if upload is not None:
        if upload.size > MAX_IMPORT_BYTES:
            raise BusinessRuleError({"file": [_("The file is larger than %(mb)s MB.") % {"mb": MAX_IMPORT_BYTES // 2**20}]})
        return upload.read(), _clean(upload.name)[:200]
    text = request.data.get("text") if hasattr(request.data, "get") else None
    if isinstance(text, str):
        return text.encode("utf-8"), ""
    raise BusinessRuleError({"text": [_("Send the job description as text/plain, or as a .txt or .docx file in the "
                                        "multipart part 'file'.")]})


@extend_schema(
    request={"text/plain": str, "multipart/form-data": inline_serializer("CatalogDraftUpload", {
        "file": serializers.FileField(help_text=".txt (UTF-8, GB18030, UTF-16) or .docx, ≤ 5 MB"),
        "catalog": serializers.SlugField(required=False), "name": serializers.CharField(required=False)})},
    parameters=[OpenApiParameter("catalog", str, description="catalogue code (default draft-<id>); an existing "
                                 "catalogue's posts keep their codes"),
                OpenApiParameter("name", str, description="catalogue name (default: the department the text names)")],
    responses={201: DraftSerializer}, tags=["org"],
)
@api_view(["POST"])
@parser_classes([PlainTextParser, MultiPartParser, FormParser])
def draft_create(request: Request) -> Response:
    """Read a job description (one or more posts) into a catalogue draft: posts, superiors, duties, time standards,
    routines and KPIs, each with its source line, and the catalogue YAML they make."""
    access.require(request.user, "org.manage")
    data, filename = _source(request)
    if len(data) > MAX_IMPORT_BYTES:
        raise BusinessRuleError({"text": [_("The file is larger than %(mb)s MB.") % {"mb": MAX_IMPORT_BYTES // 2**20}]})
    try:
        text = read_upload(data, filename=filename)
    except TextRefused as exc:
        raise BusinessRuleError({"file" if filename else "text": [str(exc)]})
    form = request.data if hasattr(request.data, "get") else {}
    draft = services.draft_create(
        text=text, user=request.user, source_name=filename,
        catalog=_clean(request.query_params.get("catalog") or form.get("catalog")),
        name=_clean(request.query_params.get("name") or form.get("name")))
    return Response(draft_body(draft), status=status.HTTP_201_CREATED)


@extend_schema(responses={200: DraftSerializer}, tags=["org"])
@api_view(["GET"])
def draft_detail(request: Request, pk: int) -> Response:
    """A catalogue draft as the review page shows it, with its differences to the previous draft and the published
    catalogue."""
    access.require(request.user, "org.manage")
    return Response(draft_body(get_object_or_404(CatalogDraft, pk=pk)))


@extend_schema(request=None, responses={201: DraftPublishResultSerializer}, tags=["org"])
@api_view(["POST"])
def draft_publish(request: Request, pk: int) -> Response:
    """Publish a draft: the normal catalogue import (validated, all or nothing). 409 when it is published already."""
    access.require(request.user, "org.manage")
    draft = get_object_or_404(CatalogDraft, pk=pk)
    result = services.draft_publish(draft=draft, user=request.user)
    return Response(DraftPublishResultSerializer({"catalog": result.catalog.code, "posts_created": result.posts_created,
                                             "posts_updated": result.posts_updated}).data, status=status.HTTP_201_CREATED)
