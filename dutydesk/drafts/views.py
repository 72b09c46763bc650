"""Staff pages (org.manage): drafts and the upload form; the review page with the source text beside the posts read
from it, every item editable or removable in place (htmx), the differences to the previous draft and the published
catalogue, and the publish button."""
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dutydesk.core.audit import history_rows
from dutydesk.core.errors import BusinessRuleError, StateConflict
from dutydesk.core.excel import MAX_IMPORT_BYTES
from dutydesk.drafts import services
from dutydesk.drafts.models import CatalogDraft
from dutydesk.drafts.selectors import draft_differences, draft_list
from dutydesk.drafts.text import TextRefused, read_upload
from dutydesk.org.access import staff_required
from dutydesk.web.forms import error_lists, error_text

SCHEDULES = [("daily", gettext_lazy("daily")), ("weekly", gettext_lazy("weekly")),
             ("monthly", gettext_lazy("monthly")), ("times_per_week", gettext_lazy("times a week"))]
HIDDEN = {"posts": lambda value: "…", "yaml": lambda value: "…", "warnings": lambda value: "…",
          "result": lambda value: "…"}  # large values: the history says what changed in its reason


@staff_required("org.manage")
def index(request: HttpRequest) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is not None:
                if (upload.size or 0) > MAX_IMPORT_BYTES:
                    raise BusinessRuleError({"file": [_("The file is larger than %(mb)s MB.") % {
                        "mb": MAX_IMPORT_BYTES // 2**20}]})
                text, name = read_upload(upload.read(), filename=upload.name or ""), (upload.name or "")[:200]
            else:
                text, name = request.POST.get("text", ""), ""
            draft = services.draft_create(text=text, user=request.user, source_name=name,
                                          catalog=request.POST.get("catalog", "").replace("\x00", "").strip(),
                                          name=request.POST.get("name", "").replace("\x00", "").strip())
        except TextRefused as exc:
            errors = {"text": [str(exc)]}
        except BusinessRuleError as exc:
            errors = error_lists(exc)
        else:
            messages.success(request, _("Draft #%(id)s read %(posts)s posts from the text.") % {
                "id": draft.pk, "posts": len(draft.posts)})
            return redirect("drafts:review", pk=draft.pk)
    page = Paginator(draft_list(), 25).get_page(request.GET.get("page"))
    return render(request, "drafts/index.html", {"page": page, "errors": errors, "posted": request.POST},
                  status=400 if errors else 200)


def _context(draft: CatalogDraft, **extra) -> dict:
    names = {post["key"]: post["name"] for post in draft.posts}
    posts = [{**post, "superior_name": names.get(post.get("superior_key") or "")} for post in draft.posts]
    return {"draft": draft, "posts": posts, "differences": draft_differences(draft), "schedules": SCHEDULES, **extra}


@staff_required("org.manage")
def review(request: HttpRequest, pk: int) -> HttpResponse:
    draft = get_object_or_404(CatalogDraft, pk=pk)
    lines = list(enumerate(draft.source_text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1))
    return render(request, "drafts/review.html", _context(draft, lines=lines,
                                                           history=history_rows(draft, masked=HIDDEN)))


def _after_change(request: HttpRequest, draft: CatalogDraft, error: str = "") -> HttpResponse:
    if request.headers.get("HX-Request"):
        return render(request, "drafts/_draft.html", _context(draft, error=error), status=200)
    if error:
        messages.error(request, error)
    return redirect("drafts:review", pk=draft.pk)


@require_POST
@staff_required("org.manage")
def edit_item(request: HttpRequest, pk: int, item: str) -> HttpResponse:
    draft = get_object_or_404(CatalogDraft, pk=pk)
    values = {key: value for key, value in request.POST.items() if key not in ("csrfmiddlewaretoken", "next")}
    try:
        draft = services.draft_item_update(draft=draft, item_id=item, values=values)
    except (BusinessRuleError, StateConflict) as exc:
        draft.refresh_from_db()
        return _after_change(request, draft, error_text(exc) if isinstance(exc, BusinessRuleError) else exc.detail)
    return _after_change(request, draft)


@require_POST
@staff_required("org.manage")
def remove_item(request: HttpRequest, pk: int, item: str) -> HttpResponse:
    draft = get_object_or_404(CatalogDraft, pk=pk)
    try:
        draft = services.draft_item_remove(draft=draft, item_id=item)
    except (BusinessRuleError, StateConflict) as exc:
        draft.refresh_from_db()
        return _after_change(request, draft, error_text(exc) if isinstance(exc, BusinessRuleError) else exc.detail)
    return _after_change(request, draft)


@require_POST
@staff_required("org.manage")
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    draft = get_object_or_404(CatalogDraft, pk=pk)
    try:
        result = services.draft_publish(draft=draft, user=request.user)
    except BusinessRuleError as exc:
        messages.error(request, _("Not published: %(errors)s") % {"errors": error_text(exc)})
    except StateConflict as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("Catalogue '%(code)s' published: %(created)s posts created, %(updated)s updated.") % {
            "code": result.catalog.code, "created": result.posts_created, "updated": result.posts_updated})
    return redirect("drafts:review", pk=draft.pk)
