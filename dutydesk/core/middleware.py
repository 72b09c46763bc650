"""Request guards that apply to every page and endpoint."""
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

# C0 control characters that no field of ours may contain (tab, newline and carriage return are allowed).
_JUNK = {chr(c) for c in range(32)} - {"\t", "\n", "\r"}


def _has_junk(text: str) -> bool:
    return any(ch in _JUNK for ch in text)


def _junk_parameter(request: HttpRequest) -> str | None:
    """The name of the first query/form parameter (or the path) that carries a NUL or other control byte."""
    if _has_junk(request.path):
        return "path"
    sources = [request.GET]
    if request.method == "POST" and request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        sources.append(request.POST)
    for source in sources:
        for key, values in source.lists():
            if _has_junk(key) or any(_has_junk(v) for v in values):
                return key
    if request.content_type == "application/json" and b"\\u0000" in request.body:
        return "body"
    return None


class RejectControlCharactersMiddleware:
    """A NUL byte (or another control character) in any parameter is bad input: 400 before any view runs.

    PostgreSQL refuses NUL in text, so without this one place every filter and search would answer 500.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        name = _junk_parameter(request)
        if name is not None:
            message = _("The value contains a control character (such as a NUL byte).")
            if request.path.startswith("/api/"):
                return JsonResponse({"errors": {name: [message]}}, status=400)
            return render(request, "400.html", {"message": message}, status=400)
        return self.get_response(request)
