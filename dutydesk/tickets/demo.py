"""Demo work orders: a few dozen tickets in every state, spread over the last two weeks.
Idempotent: the demo tickets are recognised by their title prefix and made only once."""
import random
from datetime import timedelta

from django.contrib.auth import get_user_model

from dutydesk.archive.models import Resident
from dutydesk.core import clock
from dutydesk.org.models import Post
from dutydesk.tickets import services
from dutydesk.tickets.models import Ticket, TicketCategory

MARK = "【演示】"
SAMPLES = [
    ("repair", "plumbing", "厨房水龙头漏水"), ("repair", "electrical", "客厅灯不亮"), ("repair", "doors-locks", "入户门锁卡顿"),
    ("repair", "lift", "电梯按钮失灵"), ("repair", "public-area", "楼道灯损坏"), ("complaint", "noise", "楼上夜间装修噪音"),
    ("complaint", "public-area", "垃圾清运不及时"), ("complaint", "other", "快递员随意停放车辆"),
    ("enquiry", "other", "如何办理停车月卡"), ("suggestion", "public-area", "建议增加儿童游乐设施"),
    ("praise", "other", "感谢保安帮忙搬运物品"), ("repair", "plumbing", "卫生间下水道堵塞"),
]
# the state each demo ticket is taken to, in order
PATHS = ["new", "dispatched", "in_progress", "on_hold", "resolved", "closed", "reopened", "post_queue", "cancelled"]


def load(project, stdout=None):
    if Ticket.objects.filter(project=project, title__startswith=MARK).exists():
        if stdout:
            stdout.write("tickets: demo work orders already there")
        return
    User = get_user_model()
    users = {u.username: u for u in User.objects.filter(username__in=["frontdesk", "supervisor", "engineer", "butler"])}
    if len(users) < 4:
        return
    rng = random.Random(7)
    residents = list(Resident.objects.filter(unit__project=project).select_related("unit")[:400])
    categories = {c.code: c for c in TicketCategory.objects.filter(project__isnull=True)}
    technician_post = Post.objects.filter(code="repair-technician").first()
    now = clock.now()
    made = 0
    for index in range(36):
        kind, category, title = SAMPLES[index % len(SAMPLES)]
        path = PATHS[index % len(PATHS)]
        resident = rng.choice(residents)
        received = now - timedelta(days=rng.randint(0, 13), hours=rng.randint(0, 8), minutes=rng.randint(0, 59))
        receiver = users["butler"] if index % 5 == 0 and 1 <= resident.unit.floor <= 15 and resident.unit.building.name == "A" \
            else users["frontdesk"]
        ticket = services.ticket_create(
            actor=receiver, unit=resident.unit, resident=resident, kind=kind, title=f"{MARK}{title}",
            description=f"{resident.name}来电反映：{title}。", channel=rng.choice(["phone", "front_desk", "phone"]),
            priority="urgent" if index % 11 == 3 else "normal", category=categories.get(category), now=received)
        step = received + timedelta(minutes=20)
        if path == "new":
            made += 1
            continue
        if path == "post_queue" and technician_post:
            services.ticket_dispatch(ticket=ticket, actor=users["supervisor"], post=technician_post, now=step)
            made += 1
            continue
        if path == "cancelled":
            services.ticket_cancel(ticket=ticket, actor=receiver, reason="业主来电撤销", now=step)
            made += 1
            continue
        services.ticket_dispatch(ticket=ticket, actor=users["supervisor"], assignee=users["engineer"], now=step)
        if path != "dispatched":
            services.ticket_start(ticket=ticket, actor=users["engineer"], now=step + timedelta(minutes=30))
        if path == "on_hold":
            services.ticket_hold(ticket=ticket, actor=users["engineer"], reason="业主不在家，约定改日上门",
                                 now=step + timedelta(minutes=50))
        if path in ("resolved", "closed", "reopened"):
            extra = {"materials": "密封圈 x2", "labour_minutes": 35} if kind == "repair" else {}
            if kind == "repair" and index % 4 == 0:
                extra["charge_amount"] = "30.00"
            services.ticket_resolve(ticket=ticket, actor=users["engineer"], resolution="已上门处理完毕", now=step + timedelta(hours=2), **extra)
        if path in ("closed", "reopened"):
            if ticket.needs_return_visit:
                services.ticket_return_visit(ticket=ticket, actor=users["frontdesk"], method="phone",
                                             satisfaction=5 if path == "closed" else 2,
                                             comment="满意" if path == "closed" else "问题仍未解决", now=step + timedelta(hours=5))
            else:
                services.ticket_close(ticket=ticket, actor=users["frontdesk"], now=step + timedelta(hours=5))
        made += 1
    home = Resident.objects.filter(unit__project=project, user__username="resident").select_related("unit").first()
    if home is not None:  # something for the demo resident to follow and rate in the portal
        ticket = services.ticket_create(actor=users["frontdesk"], unit=home.unit, resident=home, kind="repair",
                                        title=f"{MARK}阳台地漏返味", category=categories.get("plumbing"),
                                        now=now - timedelta(days=1))
        services.ticket_dispatch(ticket=ticket, actor=users["supervisor"], assignee=users["engineer"], now=now - timedelta(hours=20))
        services.ticket_start(ticket=ticket, actor=users["engineer"], now=now - timedelta(hours=19))
        services.ticket_resolve(ticket=ticket, actor=users["engineer"], resolution="已更换防臭地漏芯", now=now - timedelta(hours=18))
        made += 1
    if stdout:
        stdout.write(f"tickets: {made} demo work orders")
