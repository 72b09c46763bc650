"""The patrol KPIs: KPI sources (dutydesk.org.kpis) built on patrols/selectors.py, set-based (one grouped query for
every card of a computation).

Which rounds a card counts: the rounds of the routes its post walks — on a person's card those the person walked (the
first to record a checkpoint), on the post's card all of them, walked or not — and the rounds of the routes of every
post below it in the reporting lines, on each of its cards (a supervisor answers for the patrol record of the posts
under them: seeds/000_d44081c6db2527f0.txt:436 篇18 3.2 每周不少于三次巡视物业现场，对发现的…问题或隐患，追究相关岗位人员的
管理责任; :453 4.2 全面负责物业管辖区域的设施、环境巡查，建立并完善巡查记录档案). A round counts once it has fallen due."""
from collections import defaultdict
from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

from dutydesk.core import clock
from dutydesk.org import kpis
from dutydesk.org.kpis import CardKey, Cards, Measurement
from dutydesk.org.models import KPI
from dutydesk.patrols import selectors

ROUNDS = (["patrols:rounds"], "/api/v1/patrols/rounds/")
Grouped = dict[tuple[int, int | None], tuple[int, int]]


def _measure(group: list[KPI], cards: Cards, read: Callable[..., Grouped]) -> dict[CardKey, Measurement]:
    period = cards.period
    end = min(period.end_at, clock.now())
    if end <= period.start_at:
        return {}
    own_posts = sorted({kpi.post_id for kpi in group})
    below = selectors.posts_below(own_posts)
    rows = read(project=cards.project, start=period.start_at, end=end,
                post_ids=set(own_posts).union(*below.values()))
    by_post: defaultdict[int, dict[int | None, tuple[int, int]]] = defaultdict(dict)
    for (post_id, walker_id), row in rows.items():
        by_post[post_id][walker_id] = row
    results = {}
    for kpi, user_id in cards.each(group):
        own = by_post[kpi.post_id]
        sums = kpis.add_up(own, own if user_id is None else [user_id], 2)
        for post_id in below[kpi.post_id]:
            sums = [a + b for a, b in zip(sums, kpis.add_up(by_post[post_id], by_post[post_id], 2), strict=True)]
        due, on_time = sums
        share = kpis.percent(on_time, due)
        if share is not None:
            results[kpi.pk, user_id] = Measurement(
                share, kpis.url(*ROUNDS, project=getattr(cards.project, "pk", cards.project),
                                month=period.label, walker=user_id),
                detail={"due": due, "on_time": on_time})
    return results


@kpis.source("patrol_rounds_on_time", _("patrol rounds on time"))
def patrol_rounds_on_time(group: list[KPI], cards: Cards) -> dict[CardKey, Measurement]:
    """Rounds that fell due in the month with every checkpoint recorded by the due time ÷ rounds that fell due, in %:
    a missed checkpoint or a late round lowers it (seeds/000_d44081c6db2527f0.txt:535 篇18 12.2 每天不间断对广场公共区域
    全面巡查…并做好记录; seeds/002_59da8478c28f7f86.txt:180 坚持每天上、下午巡查管辖区域)."""
    return _measure(group, cards, selectors.rounds_due_by_post_and_walker)


@kpis.source("patrol_checkpoints_on_time", _("patrol checkpoints recorded on time"))
def patrol_checkpoints_on_time(group: list[KPI], cards: Cards) -> dict[CardKey, Measurement]:
    """Checkpoints of the rounds that fell due in the month recorded by the round's due time ÷ all their
    checkpoints, in %: each missed checkpoint counts (seeds/000_d44081c6db2527f0.txt:453 篇18 4.2 建立并完善巡查记录
    档案)."""
    return _measure(group, cards, selectors.checkpoints_due_by_post_and_walker)
