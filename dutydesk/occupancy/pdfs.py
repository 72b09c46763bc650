"""The move-in form to sign (入住交接确认书): the checklist as it was worked through (each step, when and by whom),
keys and meter readings, and lines for the resident's and the clerk's signatures (seeds/004_418914185ea837fa.txt:128:
接待业主、验证身份、填写业主资料、签署业主公约). Always rendered in simplified Chinese, as the billing documents are."""
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from dutydesk.core import pdf
from dutydesk.core.privacy import mask_id_number
from dutydesk.occupancy.models import METERS, MoveIn


def _person(user: object) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username  # type: ignore[attr-defined]


def meter_name(meter: str) -> str:
    return str(dict(METERS).get(meter, meter))


def move_in_form_pdf(move_in: MoveIn) -> bytes:
    with override("zh-hans"):
        resident, unit = move_in.resident, move_in.unit
        rows = [[_("Step"), _("Done at"), _("Done by"), _("Details")]]
        for step in move_in.steps.all():
            details = [step.note] if step.note else []
            if "count" in step.data:
                details.append(_("%(count)s keys") % {"count": step.data["count"]})
            for meter, reading in step.data.get("readings", {}).items():
                details.append(f"{meter_name(meter)} {reading}")
            rows.append([step.get_code_display(),
                         timezone.localtime(step.done_at).strftime("%Y-%m-%d %H:%M") if step.done_at else "",
                         _person(step.done_by), "；".join(details)])
        story = [
            pdf.paragraph(move_in.project.name, "heading"),
            pdf.paragraph(_("Move-in handover form"), "title"),
            pdf.table([[_("Unit"), str(unit), _("Area (m²)"), unit.area_m2],
                       [_("Resident"), resident.name, _("Role"), resident.get_role_display()],
                       [_("Phone"), resident.phone, _("ID number"), mask_id_number(resident.id_number)],
                       [_("Move-in date"), move_in.date.isoformat(), _("Keys handed over"),
                        move_in.keys_count if move_in.keys_count is not None else ""]], header=False),
            pdf.spacer(),
            pdf.table(rows),
            pdf.spacer(),
            pdf.paragraph(_("The resident has received the unit, its keys and the welcome pack (resident handbook and "
                            "renovation handbook) as listed above, and agrees to observe the residents' covenant.")),
            pdf.spacer(10),
            pdf.table([[_("Resident's signature"), "", _("Clerk's signature"), ""],
                       [_("Date"), "", _("Date"), ""]], header=False),
        ]
        return pdf.render(story, title=_("Move-in handover form"))
