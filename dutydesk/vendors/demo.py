"""Demo vendors of Sunshine Garden, through the services: cleaning, greening, pest-control, security and lift
contractors, supervised by the demo's manager (seeds/000_d44081c6db2527f0.txt:409 篇18 1.2 对外包单位的服务质量进行考评)
and, for security, the customer-service supervisor too; the last months evaluated, the month that ended still waiting
for the supervisor (their reminder task is made as the scheduler would). Idempotent: loaded once."""
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from dutydesk.archive.models import Project
from dutydesk.core.periods import Period
from dutydesk.org.models import Post
from dutydesk.vendors import services
from dutydesk.vendors.criteria import criteria_for
from dutydesk.vendors.models import Vendor

# name, kind, contact, phone, supervising post codes
VENDORS = [
    ("深圳洁净物业清洁服务有限公司", Vendor.Kind.CLEANING, "刘经理", "13923001001", ["cs-manager"]),
    ("绿源园林绿化工程有限公司", Vendor.Kind.GREENING, "黄主管", "13923001002", ["cs-manager"]),
    ("安康有害生物防治中心", Vendor.Kind.PEST_CONTROL, "邓师傅", "13923001003", ["cs-manager"]),
    ("鹏城保安服务有限公司", Vendor.Kind.SECURITY, "陈队长", "13923001004", ["cs-manager", "cs-supervisor"]),
    ("迅达电梯维保（深圳）有限公司", Vendor.Kind.LIFTS, "吴工", "13923001005", ["cs-manager"]),
]
COMMENTS = ["整体良好，个别区域需加强", "本月有一次业户投诉，已整改", "按计划完成，记录齐全", ""]


@transaction.atomic
def load(project: Project, stdout: Any = None) -> None:
    say = stdout.write if stdout else (lambda *_: None)
    if Vendor.objects.filter(project=project).exists():
        return
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["manager", "supervisor"])}
    posts = {p.code: p for p in Post.objects.filter(code__in=["cs-manager", "cs-supervisor"])}
    if len(users) < 2 or len(posts) < 2:
        say("vendors demo: catalogue or demo users missing, skipped")
        return
    current = Period.current()
    months = [current.previous().previous().previous(), current.previous().previous(), current.previous()]
    evaluators = {"cs-manager": users["manager"], "cs-supervisor": users["supervisor"]}
    for n, (name, kind, contact, phone, post_codes) in enumerate(VENDORS):
        vendor = services.vendor_save(project=project, name=name, kind=kind, contact_name=contact, phone=phone,
                                      contract_starts_on=date(current.start.year - 1, 1, 1),
                                      contract_ends_on=date(current.start.year + 1, 12, 31),
                                      supervising_posts=[posts[code] for code in post_codes])
        for m, month in enumerate(months):
            for code in post_codes:
                if code == "cs-supervisor" and month == months[-1]:
                    continue  # the month that ended: the supervisor has not evaluated yet
                scores = {c.code: 95 - 4 * ((n + m + i) % 4) for i, c in enumerate(criteria_for(kind))}
                services.evaluation_record(vendor=vendor, month=month, post=posts[code], evaluated_by=evaluators[code],
                                           scores=scores, comments=COMMENTS[(n + m) % len(COMMENTS)])
    reminders = services.evaluation_reminders(project=project, month=months[-1])
    say(f"vendors: {len(VENDORS)} vendors, evaluations of {months[0].label}–{months[-1].label}, "
        f"{reminders} reminder(s)")
