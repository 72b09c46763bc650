"""Demo shifts of Sunshine Garden, through the services: the seed's a/b/c shifts; four front-desk assistants (the
seed's rota is four people, seeds/002_59da8478c28f7f86.txt:1382 篇6) rostered by rotation last month and this month;
a day of leave and a swap waiting for the supervisor; yesterday's handovers — two acknowledged, the last one waiting
for this morning's shift (escalated to the supervisor once it is overdue, as the scheduler would). Idempotent: loaded
once per month's roster."""
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from dutydesk.archive.models import Project
from dutydesk.core import clock
from dutydesk.core.periods import Period
from dutydesk.org.models import Post, PostHolding
from dutydesk.shifts import selectors, services
from dutydesk.shifts.models import Handover, Roster, RosterEntry

POST = "frontdesk-assistant"
# the demo's front-desk assistant ("frontdesk") and three colleagues on the same rota
COLLEAGUES = [("frontdesk2", "何前台"), ("frontdesk3", "罗前台"), ("frontdesk4", "郑前台")]
NOTES = {
    "a": ("上午来访登记12人次，已全部离场；A-1201报修卫生间漏水已派工程部。", ["A-1201漏水维修进度待跟进", "快递柜旁有一件无主包裹"]),
    "b": ("下午装修工人出入正常；B栋电梯14:30短暂停运已恢复。", ["B-0803业主要求明早回电"]),
    "c": ("晚间值班接听热线3次，均已登记；无突发事件。", ["C栋地库照明有一处不亮，明早报修"]),
}


def _colleagues(project: Project, post: Post) -> list[Any]:
    User = get_user_model()
    people = []
    for username, name in COLLEAGUES:
        user, created = User.objects.get_or_create(username=username, defaults={
            "first_name": name, "email": f"{username}@example.com"})
        if created:
            user.set_password(settings.DUTYDESK_DEMO_PASSWORD)
            user.save()
        PostHolding.objects.get_or_create(user=user, post=post, project=project)
        people.append(user)
    return people


@transaction.atomic
def load(project: Project, stdout: Any = None) -> None:
    say = stdout.write if stdout else (lambda *_: None)
    post = Post.objects.filter(code=POST).first()
    frontdesk = get_user_model().objects.filter(username="frontdesk").first()
    if post is None or frontdesk is None:
        say("shifts demo: catalogue or demo users missing, skipped")
        return
    services.shifts_ensure(project=project)
    this_month = Period.current()
    if Roster.objects.filter(project=project, post=post, month=this_month.label).exists():
        return
    people = [frontdesk, *_colleagues(project, post)]
    for period in (this_month.previous(), this_month):
        roster = services.roster_get_or_create(project=project, post=post, month=period)
        services.roster_fill(roster=roster, users=people)
    today = clock.today()
    later = [entry for entry in RosterEntry.objects.filter(project=project, post=post, day__gt=today + timedelta(days=1))
             .order_by("day", "shift")]
    if later:
        services.leave_record(project=project, user=people[2], day=later[-1].day, reason="家中有事，已提前申请")
        mine = next((e for e in later if e.user_id == frontdesk.pk and e.status == "scheduled"), None)
        theirs = next((e for e in later if mine and e.user_id == people[1].pk and e.status == "scheduled"
                       and (e.day, e.shift) != (mine.day, mine.shift)), None)
        if mine and theirs:
            services.swap_request(entry=mine, other_entry=theirs, requested_by=frontdesk, reason="家里有事，已与何前台商量好")
    shifts = {shift.code: shift for shift in selectors.shifts_of(project)}
    yesterday = today - timedelta(days=1)
    written = []
    for code in ("a", "b", "c"):
        rostered = selectors.rostered_on(project=project, post=post, day=yesterday, shift=code).first()
        writer = rostered.user if rostered else frontdesk
        if shifts[code].span(yesterday)[0] > clock.now():
            continue
        notes, items = NOTES[code]
        written.append(services.handover_record(project=project, post=post, shift=code, day=yesterday, notes=notes,
                                                open_items=items, handed_by=writer))
    for handover in written:  # written at the end of each shift, as it would have been (the load runs later)
        end = shifts[handover.shift].span(handover.day)[1] - timedelta(minutes=5)
        next_start = shifts[handover.next_shift].span(handover.next_day)[0]
        Handover.objects.filter(pk=handover.pk).update(
            handed_at=end, ack_due_at=max(end, next_start) + timedelta(minutes=services.ack_minutes()))
        handover.refresh_from_db()
    for handover in written[:-1]:  # the last one waits for this morning's shift
        taker = selectors.rostered_on(project=project, post=post, day=handover.next_day,
                                      shift=handover.next_shift).first()
        if taker is not None and services.may_acknowledge(handover, taker.user):
            services.handover_acknowledge(handover=handover, user=taker.user, note="已接班")
    escalated = services.handovers_escalate()
    say(f"shifts: {RosterEntry.objects.filter(project=project).count()} roster entries, "
        f"{Handover.objects.filter(project=project).count()} handovers ({escalated} escalated)")
