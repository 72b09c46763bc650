"""What a vendor is scored on each month, by kind of service: criteria with weights (%) summing to 100, each scored
0–100. From the seed's supervision duties (seeds/000_d44081c6db2527f0.txt, 篇18):
- quality and conduct: :516 10.2 监督检查清洁、消杀等外包单位作业人员仪容仪表及作业标准、规范、流程及服务质量;
  :519 每月对…外包供应商的服务质量和效果进行考评;
- attendance: :520 负责清洁、消杀外包方员工出勤、工作量核定; :529 对绿化外包供应商驻场人员出勤监督、考勤汇总;
- rectification: :436 3.2 对不合格项提出整改意见并监督整改完成.
Security and lift maintenance are the property's other contracts; their criteria are the product's defaults.
A criterion's name and weight are copied into each score, so a later change here leaves past evaluations as made."""
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dutydesk.vendors.models import Vendor


@dataclass(frozen=True)
class Criterion:
    code: str
    label: Promise
    weight: int


LABELS = {
    "quality": _("Quality of the work"),
    "conduct": _("Work standards and staff appearance"),
    "attendance": _("Attendance and staffing"),
    "rectification": _("Rectification of faults found"),
    "patrol": _("Posts kept and patrols made"),
    "response": _("Response to incidents and faults"),
    "maintenance": _("Maintenance plan carried out"),
    "safety": _("Safety and statutory inspections"),
    "records": _("Maintenance records and reports"),
}
_ENVIRONMENT = [("quality", 40), ("conduct", 20), ("attendance", 20), ("rectification", 20)]
WEIGHTS: dict[str, list[tuple[str, int]]] = {
    Vendor.Kind.CLEANING: _ENVIRONMENT,
    Vendor.Kind.GREENING: _ENVIRONMENT,
    Vendor.Kind.PEST_CONTROL: _ENVIRONMENT,
    Vendor.Kind.SECURITY: [("patrol", 40), ("conduct", 20), ("attendance", 20), ("response", 20)],
    Vendor.Kind.LIFTS: [("maintenance", 40), ("response", 30), ("safety", 20), ("records", 10)],
    Vendor.Kind.OTHER: [("quality", 50), ("conduct", 20), ("response", 30)],
}


def criteria_for(kind: str) -> list[Criterion]:
    return [Criterion(code, LABELS[code], weight) for code, weight in WEIGHTS.get(kind, WEIGHTS[Vendor.Kind.OTHER])]


def label_of(code: str, stored_name: str = "") -> str:
    """A criterion's name in the reader's language; a code no longer defined keeps the name it was scored under."""
    return str(LABELS[code]) if code in LABELS else stored_name or code
