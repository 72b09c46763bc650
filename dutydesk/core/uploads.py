"""Uploads are recognised by their content, not their name (shared/API.md "Auth and limits"): images
(JPEG/PNG/GIF/WebP/HEIC) and PDF only, ≤ 10 MB. An HTML page named ``photo.jpg`` is refused."""
from django.core.files import File
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
HEIC_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"mif1", b"msf1", b"heim", b"heis"}


def sniff(head: bytes) -> str | None:
    """The kind of file the first bytes say it is: jpeg, png, gif, webp, heic, pdf — or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp" and head[8:12] in HEIC_BRANDS:
        return "heic"
    if head.startswith(b"%PDF-"):
        return "pdf"
    return None


def upload_problem(upload: File, *, images_only: bool = False) -> str | None:
    """Why this upload is refused (translated), or None when it is a photo/PDF within the size limit."""
    if upload.size > MAX_UPLOAD_BYTES:
        return _("A file may be at most 10 MB.")
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    kind = sniff(upload.read(32))
    upload.seek(position)
    if kind is None or (images_only and kind == "pdf"):
        return (_("Only photos (JPEG, PNG, GIF, WebP, HEIC) can be uploaded here.") if images_only else
                _("Only photos (JPEG, PNG, GIF, WebP, HEIC) and PDF files can be uploaded."))
    return None
