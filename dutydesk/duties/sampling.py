"""The duty manager's spot check (seeds/001_fc79cbfac9aecb91.txt:105 篇3 一(二)3 現場巡視): 採取隨機抽查方式 —
營業員人數5人以下，全員檢查；5—20人，抽查總數的50%；20人以上抽查總數的30%.

``inspection_sample_size`` is the rule; ``inspection_sample`` draws the day's sample among the staff of the posts
that report to the checking post in the project (the same draw all day: seeded by project, post and day); and
``inspection_samples_describe`` writes it into that day's task of the catalogue routine ``daily-floor-inspection``
(the telecom-store catalogue: "上班后1小时内在厅内全面巡视，按比例随机抽查营业员"), so the duty manager's inbox says whom to
check. One duty, one task: the sample goes into the routine's task, as the ticket sweeps write their lists."""
import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from dutydesk.archive.models import Project
from dutydesk.core import clock
from dutydesk.inbox.models import Task
from dutydesk.inbox.services import task_describe
from dutydesk.org.models import Post, PostHolding

INSPECTION_ROUTINE = "daily-floor-inspection"  # the routine code of the telecom-store catalogue's 值班经理


def inspection_sample_size(staff: int) -> int:
    """How many of ``staff`` to check: all up to 5; 50 % from 6 to 20; 30 % above 20 — rounded up, a share of a
    person being a person (seed 001 :105: 5人以下全员检查；5—20人抽查50%；20人以上抽查30%)."""
    if staff <= 5:
        return max(staff, 0)
    if staff <= 20:
        return (staff + 1) // 2
    return (staff * 3 + 9) // 10


@dataclass(frozen=True)
class Sample:
    staff: int  # how many the checking post oversees in the project
    people: list[Any]  # the users drawn, by name


def inspection_sample(*, post: Post | int, project: Project | int, day: date) -> Sample:
    """The day's sample among the active holders of the posts whose superior is ``post`` in ``project`` (a holder of
    ``post`` itself is not checked by it)."""
    post_id: int = post.pk if isinstance(post, Post) else post
    project_id: int = project.pk if isinstance(project, Project) else project
    holdings = PostHolding.objects.filter(project_id=project_id, active=True)
    checkers = set(holdings.filter(post_id=post_id).values_list("user_id", flat=True))
    staff = sorted(set(holdings.filter(post__superior_id=post_id).values_list("user_id", flat=True)) - checkers)
    drawn = random.Random(f"{project_id}:{post_id}:{day.isoformat()}").sample(staff, inspection_sample_size(len(staff)))
    people = sorted(get_user_model().objects.filter(pk__in=drawn), key=lambda u: (_name(u), u.pk))
    return Sample(staff=len(staff), people=people)


def inspection_samples_describe(*, day: date, project: Project | int) -> int:
    """Write the day's sample into each open ``daily-floor-inspection`` task of ``day`` in ``project``; the routine
    tasks are made first (idempotent), so the order of the day's jobs does not matter. Returns the tasks written."""
    from dutydesk.duties.services import routine_tasks_generate

    routine_tasks_generate(day=day, project=project)
    start, end = clock.at(day, "00:00"), clock.at(day + timedelta(days=1), "00:00")
    tasks = (Task.objects.filter(source="routine", routine__code=INSPECTION_ROUTINE, project=project,
                                 due_at__gte=start, due_at__lt=end, status=Task.Status.OPEN)
             .select_related("routine"))
    written = 0
    for task in tasks:
        assert task.routine is not None  # the filter above
        sample = inspection_sample(post=task.routine.post_id, project=project, day=day)
        written += task_describe(task=task, description=describe(sample))
    return written


def describe(sample: Sample) -> str:
    if not sample.staff:
        return _("No staff report to this post in the project: nobody to spot-check.")
    rule = (_("all, 5 or fewer staff") if sample.staff <= 5 else
            _("50 %, 6 to 20 staff") if sample.staff <= 20 else _("30 %, more than 20 staff"))
    heading = _("Spot-check today: %(size)s of %(staff)s staff (%(rule)s)") % {
        "size": len(sample.people), "staff": sample.staff, "rule": rule}
    return "\n".join([heading, *(f"- {_name(person)}" for person in sample.people)])


def _name(user: Any) -> str:
    return user.get_full_name() or user.username
