"""Monthly scorecards per person and per post, computed on the fly from the catalogue's KPIs (so a
changed weight or target counts from the next computation) and the KPI sources (dutydesk.org.kpis).

Scoring rule (also shown on the scorecard page and in docs/decisions.md):
- higher is better: score = min(actual ÷ target, 1) × 100 (capped at 100; a target of 0 scores 100);
- lower is better: score = 100 when actual ≤ target, else 100 × target ÷ actual (0 when the target is 0);
- weights: the catalogue's weights; when no KPI of the post has a weight, every KPI weighs the same;
- a KPI with no data is shown as "no data" and left out of the total; the total is
  Σ(score × weight) ÷ Σ(weight) over the KPIs that have data (the weights renormalised);
- ``measured_weight`` is the share of the weights whose KPI had data (0..1, 4 places): below one half
  (``MIN_MEASURED_WEIGHT``) the card has no total (status ``insufficient_data``, 数据不足) — one measured
  KPI out of eight does not make a score of 100 — and it is not ranked;
- person cards of a post are ranked by their total (1 = best; equal totals share a rank); cards without a
  total have no rank;
- scores and the total are rounded half-up to 2 decimals.
"""
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import partial

from django.contrib.auth import get_user_model

from dutydesk.archive.selectors import floor_unit_ids
from dutydesk.org.kpis import NO_DATA, Cards, measure_cards
from dutydesk.org.models import KPI, Post, PostHolding

HUNDRED = Decimal("100")
CENT = Decimal("0.01")
SHARE = Decimal("0.0001")
MIN_MEASURED_WEIGHT = Decimal("0.5")  # shared/API.md "Duty coverage": below half the weights measured, no total
SCORED, INSUFFICIENT_DATA = "scored", "insufficient_data"


def score_of(kpi, actual):
    if actual is None:
        return None
    actual, target = Decimal(actual), Decimal(kpi.target)
    if kpi.direction == KPI.Direction.LOWER:
        if actual <= target:
            score = HUNDRED
        else:
            score = HUNDRED * target / actual if target > 0 else Decimal("0")
    else:
        score = HUNDRED if target <= 0 else min(actual / target, Decimal("1")) * HUNDRED
    return score.quantize(CENT, ROUND_HALF_UP)


def effective_weights(kpis):
    """{kpi.pk: weight}: the catalogue's weights, or equal weights when none is given."""
    if all(k.weight is None for k in kpis):
        equal = (HUNDRED / len(kpis)).quantize(CENT, ROUND_HALF_UP) if kpis else Decimal("0")
        return {k.pk: equal for k in kpis}, True
    return {k.pk: Decimal(k.weight or 0) for k in kpis}, False


@dataclass
class Row:
    kpi: KPI
    weight: Decimal
    actual: Decimal | None
    score: Decimal | None
    records_url: str = ""
    detail: dict = field(default_factory=dict)

    @property
    def no_data(self):
        return self.actual is None


@dataclass
class Scorecard:
    post: Post
    project: object
    period: object
    user: object = None
    rows: list = field(default_factory=list)
    total: Decimal | None = None
    equal_weights: bool = False
    measured_weight: Decimal = Decimal("0")
    rank: int | None = None  # among the person cards of the post (``scorecards``); None: not ranked

    @property
    def kind(self):
        return "person" if self.user is not None else "post"

    @property
    def status(self):
        return INSUFFICIENT_DATA if self.total is None else SCORED

    @property
    def insufficient_data(self):
        return self.total is None


def _card(*, post, project, period, user, kpis, measurements):
    """One card from the measurements of the computation (``dutydesk.org.kpis.measure_cards``)."""
    weights, equal = effective_weights(kpis)
    card = Scorecard(post=post, project=project, period=period, user=user, equal_weights=equal)
    weighted, weight_sum, all_weights = Decimal("0"), Decimal("0"), Decimal("0")
    for kpi in kpis:
        measurement = measurements.get((kpi.pk, getattr(user, "pk", None)), NO_DATA)
        score = score_of(kpi, measurement.actual)
        row = Row(kpi=kpi, weight=weights[kpi.pk], actual=measurement.actual, score=score,
                  records_url=measurement.records_url, detail=measurement.detail)
        card.rows.append(row)
        if row.weight > 0:
            # equal weights: every KPI counts the same (exact, not the rounded 100/n)
            weight = Decimal("1") if equal else row.weight
            all_weights += weight
            if score is not None:
                weighted += score * weight
                weight_sum += weight
    if all_weights:
        card.measured_weight = (weight_sum / all_weights).quantize(SHARE, ROUND_HALF_UP)
    if weight_sum and weight_sum / all_weights >= MIN_MEASURED_WEIGHT:
        card.total = (weighted / weight_sum).quantize(CENT, ROUND_HALF_UP)
    return card


def rank(cards):
    """Number the person cards of each post by their total, best first (equal totals share a rank: 1, 2, 2, 4);
    cards without a total (no data, or too little of it) are not ranked."""
    by_post = {}
    for card in cards:
        if card.user is not None and card.total is not None:
            by_post.setdefault(card.post.pk, []).append(card)
    for ranked in by_post.values():
        ranked.sort(key=lambda card: card.total, reverse=True)
        for position, card in enumerate(ranked, start=1):
            card.rank = position if position == 1 or card.total != ranked[position - 2].total \
                else ranked[position - 2].rank
    return cards


def _measured(*, project, period, cards_wanted, kpis_by_post, unit_ids=None):
    """The measurements of every wanted card ({post: [user or None]}): each KPI source once, for all cards.
    ``unit_ids``: how to read the ids of the units of some floor holdings (``Cards.covering``)."""
    cards = Cards.load(project, period, {post: [getattr(user, "pk", None) for user in users]
                                         for post, users in cards_wanted.items()}, unit_ids=unit_ids)
    return measure_cards([kpi for post in cards_wanted for kpi in kpis_by_post.get(post.pk, [])], cards)


def scorecard(*, post, project, period, user=None, kpis=None):
    """One card (the post's, or ``user``'s); ``scorecards`` computes many at the same cost."""
    kpis = list(kpis if kpis is not None else post.kpis.all())
    measurements = _measured(project=project, period=period, cards_wanted={post: [user]}, kpis_by_post={post.pk: kpis})
    return _card(post=post, project=project, period=period, user=user, kpis=kpis, measurements=measurements)


def scorecards(*, project, period, posts=None, user=None):
    """The post's card and one card per active holder, for every post with KPIs and holders in the
    project (optionally only ``posts``; optionally only the cards of one ``user``), the person cards ranked per post
    (``rank``). Set-based: a constant number of queries whatever the number of posts and holders (each KPI source
    reads once for all cards)."""
    return scorecards_of_projects(projects=[project], period=period, posts=posts, user=user)[project.pk]


def scorecards_of_projects(*, projects, period, posts=None, user=None):
    """``scorecards`` of several projects, {project id: cards}: who holds which post, the posts, the people and the
    KPIs are read once for all of them (four statements), then each project's KPI sources (a group's manager's home
    page asked those four for each of five projects)."""
    holdings = (PostHolding.objects.filter(project__in=projects, active=True, post__kpis__isnull=False)
                .values_list("project_id", "post_id", "user_id").distinct()
                .order_by("project_id", "post__position", "post_id", "user__username"))
    if posts is not None:
        holdings = holdings.filter(post__in=posts)
    if user is not None:
        holdings = holdings.filter(user=user)
    triples = list(holdings)  # (project, post, holder) once each, however many buildings/floors the post is held on
    post_of = Post.objects.in_bulk({post_id for _project_id, post_id, _user_id in triples})
    user_of = get_user_model().objects.in_bulk({user_id for _project_id, _post_id, user_id in triples})
    kpis_by_post = {}
    for kpi in KPI.objects.filter(post__in=list(post_of.values())).select_related("post").order_by("post_id", "id"):
        kpis_by_post.setdefault(kpi.post_id, []).append(kpi)
    # one person's cards read the records of their own floors, by their units' ids (cached for the request, which
    # the work-order lists read by too)
    unit_ids = None if user is None else partial(floor_unit_ids, user)
    by_project = {}  # {project id: {post: [holders]}}
    for project_id, post_id, user_id in triples:
        by_project.setdefault(project_id, {}).setdefault(post_of[post_id], []).append(user_of[user_id])
    cards_of = {}
    for project in projects:
        wanted = {post: ([] if user is not None else [None]) + list(dict.fromkeys(holders))
                  for post, holders in by_project.get(project.pk, {}).items()}
        measurements = _measured(project=project, period=period, cards_wanted=wanted, kpis_by_post=kpis_by_post,
                                 unit_ids=unit_ids)
        cards = [_card(post=post, project=project, period=period, user=holder, kpis=kpis_by_post.get(post.pk, []),
                       measurements=measurements)
                 for post, holders in wanted.items() for holder in holders]
        cards_of[project.pk] = cards if user is not None else rank(cards)  # one person's cards: nobody to rank
    return cards_of


def _has_records(row):
    """Was something recorded behind this figure? A KPI of a month with no activity can still
    measure 0 (no deductions, no opinions): that is not data to open the page on."""
    if row.no_data:
        return False
    counts = [value for key, value in row.detail.items()
              if key != "staff" and isinstance(value, int) and not isinstance(value, bool)]
    return any(counts) if counts else True


def latest_period_with_scores(*, project, posts=None, until=None, lookback=6):
    """The newest month, up to ``until`` (default: this month) and at most ``lookback`` months back,
    in which a post card of ``posts`` has a measured KPI (so the page opens on figures, not on an
    empty new month); ``until`` itself when none has. Bounded: ≤ ``lookback`` computations."""
    from dutydesk.core.periods import Period

    until = until or Period.current()
    period = until
    for _ in range(lookback):
        cards = scorecards(project=project, period=period, posts=posts)
        if any(_has_records(row) for card in cards if card.user is None for row in card.rows):
            return period
        period = period.previous()
    return until
