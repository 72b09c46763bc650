"""Demo patrols for Sunshine Garden, through the services: a patrol officer (demo user ``patrol``, 物业管理员（巡楼）),
a route of the common areas walked twice a day (seeds/002_59da8478c28f7f86.txt:180 坚持每天上、下午巡查管辖区域) and an
evening floor patrol every two hours; the rounds of the last week walked — one checkpoint missed, one round late, one
issue that opened a work order routed to the repair technicians — and today's rounds released as tasks.
Idempotent: each part is loaded once."""
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from dutydesk.archive.models import Project, Unit
from dutydesk.core import clock
from dutydesk.org.models import Post, PostHolding
from dutydesk.patrols import services
from dutydesk.patrols.models import Round, RoundCheckpoint, Route
from dutydesk.tickets.models import TicketCategory

PATROL_USER = ("patrol", "何巡楼", "patrol-officer")
ROUTES = [
    ("A座公共区域设施巡查", {"times": ["10:00", "15:00"], "window_minutes": 60}, [
        ("P01", "A座首层大堂", "大堂服务台东侧", "public-area", "A-101"),
        ("P02", "A座电梯厅", "首层电梯厅", "lift", "A-101"),
        ("P03", "A座消防楼梯", "12层消防楼梯前室", "doors-locks", "A-1201"),
        ("P04", "地下车库配电房", "负一层", "electrical", "A-101"),
        ("P05", "垃圾中转站", "B座北侧", "cleaning", "B-101"),
    ]),
    ("夜间巡楼", {"every_hours": 2, "from": "18:00", "until": "22:00", "window_minutes": 45}, [
        ("N01", "A座天台门", "A座顶层", "doors-locks", "A-3001"),
        ("N02", "B座天台门", "B座顶层", "doors-locks", "B-3001"),
        ("N03", "小区东门岗", "东门", "public-area", "A-101"),
    ]),
]
DAYS_BACK = 7


def _user(project: Project) -> Any:
    username, name, post_code = PATROL_USER
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username, defaults={
        "first_name": name, "email": f"{username}@example.com"})
    if created:
        user.set_password(settings.DUTYDESK_DEMO_PASSWORD)
        user.save()
    PostHolding.objects.get_or_create(user=user, post=Post.objects.get(code=post_code), project=project)
    return user


def _unit(project: Project, label: str) -> Unit | None:
    building, number = label.split("-", 1)
    return Unit.objects.filter(project=project, building__name=building, number=number).first()


@transaction.atomic
def load(project: Project, stdout: Any = None) -> None:
    say = stdout.write if stdout else (lambda *_: None)
    manager = get_user_model().objects.filter(username="manager").first()
    if manager is None or not Post.objects.filter(code=PATROL_USER[2]).exists():
        say("patrols demo: demo users missing, skipped")
        return
    walker = _user(project)
    now = clock.now()
    today = timezone.localtime(now).date()
    if not Route.objects.filter(project=project).exists():
        first_day = today - timedelta(days=DAYS_BACK)
        for name, schedule, points in ROUTES:
            checkpoints = [{"code": code, "name": label, "location": location,
                            "category": TicketCategory.objects.filter(code=category, project=None).first(),
                            "unit": _unit(project, unit)} for code, label, location, category, unit in points]
            services.route_create(project=project, actor=manager, name=name, schedule=schedule,
                                  checkpoints=checkpoints, post=Post.objects.get(code=PATROL_USER[2]),
                                  now=clock.at(first_day, "00:00"))
        for offset in range(DAYS_BACK, 0, -1):
            day = today - timedelta(days=offset)
            services.rounds_release(project=project, day=day, now=clock.at(day, "00:00"))
            _walk(project, walker, day)
        services.rounds_close_missed(project=project, before=clock.at(today, "00:00"))
        services.rounds_release(project=project, day=today, now=now)
    say(f"patrols: {Route.objects.filter(project=project).count()} routes, "
        f"{Round.objects.filter(project=project).count()} rounds")


def _walk(project: Project, walker: Any, day: Any) -> None:
    """A week of rounds as they went: most on time, the evening round of the second day late, a checkpoint missed on
    the fourth, and one issue on the third day's morning round that opened a work order."""
    offset = (clock.today() - day).days
    start = clock.at(day, "00:00")
    rounds = list(Round.objects.filter(project=project, starts_at__gte=start, starts_at__lt=start + timedelta(days=1))
                  .select_related("route").order_by("starts_at", "pk"))
    for index, round_ in enumerate(rounds):
        late = offset == DAYS_BACK - 1 and index == len(rounds) - 1
        points = list(RoundCheckpoint.objects.filter(round=round_).order_by("position"))
        for number, point in enumerate(points):
            if offset == DAYS_BACK - 3 and index == 0 and number == len(points) - 1:
                continue  # not walked: a missed checkpoint
            at = round_.starts_at + timedelta(minutes=8 * (number + 1) + (60 if late else 0))
            if offset == DAYS_BACK - 2 and index == 0 and point.code == "P04":
                services.checkpoint_record(round=round_, code=point.code, walker=walker, result="issue",
                                           note="配电房门锁损坏，门无法关闭", now=at)
            else:
                services.checkpoint_record(round=round_, code=point.code, walker=walker, result="ok", now=at)
