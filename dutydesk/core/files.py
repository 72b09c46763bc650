"""Stored files (photos, generated reports) are served only through a permission check, with debug on or off
(shared/API.md "Auth and limits"). Each app says who may read the files under its folder, from its own
``files.py`` (autodiscovered)::

    @files.reader("tickets/")
    def ticket_attachment(user, name):
        return TicketAttachment.objects.filter(file=name, ticket__in=tickets_visible_to(user)).exists()

A file no reader claims is never served. ``DUTYDESK_SENDFILE=nginx`` hands the bytes to nginx (X-Accel-Redirect to
the internal location ``/protected-media/``), ``apache`` to mod_xsendfile; by default Django streams the file.
"""
import mimetypes
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.utils.module_loading import autodiscover_modules

Reader = Callable[[Any, str], object]  # (user, storage name) -> may read
_readers: list[tuple[str, Reader]] = []
_discovered = False
INLINE = {"image/jpeg", "image/png", "image/gif", "image/webp", "image/heic", "application/pdf"}


def reader(prefix: str) -> Callable[[Reader], Reader]:
    """Decorator: ``func(user, name) -> bool`` decides who may read stored files whose name starts with ``prefix``."""
    def register(func: Reader) -> Reader:
        _readers.append((prefix, func))
        return func
    return register


def may_read(user: Any, name: str) -> bool:
    global _discovered
    if not _discovered:
        autodiscover_modules("files")
        _discovered = True
    for prefix, func in _readers:
        if name.startswith(prefix):
            return bool(func(user, name))
    return False


def clean_name(name: str) -> str | None:
    """The storage name, or None for anything that tries to leave the media folder."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or "\\" in name or not name:
        return None
    return str(path)


def file_response(name: str) -> HttpResponse | FileResponse:
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    disposition = "inline" if content_type in INLINE else "attachment"
    mode = getattr(settings, "DUTYDESK_SENDFILE", "")
    response: HttpResponse | FileResponse
    if mode == "nginx":
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = f"/protected-media/{name}"
    elif mode == "apache":
        response = HttpResponse(content_type=content_type)
        response["X-Sendfile"] = default_storage.path(name)
    else:
        if not default_storage.exists(name):
            raise Http404
        response = FileResponse(default_storage.open(name, "rb"), content_type=content_type)
    response["Content-Disposition"] = f'{disposition}; filename="{PurePosixPath(name).name}"'
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    response["Cache-Control"] = "private, max-age=3600"
    return response
