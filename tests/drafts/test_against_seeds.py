"""The drafter against the hand-written catalogues (dutydesk/drafts/evaluation.py; scripts/draft_eval.py prints the
whole table). The issue's bar: ≥ 90 % of the posts, standards and routines of property-cs from seed 000 篇18 and seed
004 are found. Precision is held too, below what was measured (see docs/decisions.md) so a rule that starts reading
noise fails here."""
import pytest

from dutydesk.drafts.evaluation import SEEDS_DIR, SEGMENTS, evaluate

pytestmark = pytest.mark.skipif(not SEEDS_DIR.exists(), reason="the seed files (../shared/seeds) are not beside the project")

PROPERTY_CS = {segment.seed: segment for segment in SEGMENTS if segment.catalog == "property-cs"}


@pytest.mark.parametrize("seed", ["000", "004"])
def test_property_cs_posts_standards_and_routines_are_found(db, seed):
    result = evaluate(PROPERTY_CS[seed])
    for kind in ("posts", "standards", "routines"):
        score = getattr(result, kind)
        assert score.recall is None or score.recall >= 0.9, (kind, result.missed[kind])


@pytest.mark.parametrize("seed, posts, routines", [("000", 0.95, 0.8), ("004", 0.8, 0.8)])
def test_property_cs_drafts_little_that_the_catalogue_lacks(db, seed, posts, routines):
    result = evaluate(PROPERTY_CS[seed])
    assert result.posts.precision >= posts, result.extra["posts"]
    assert result.routines.precision >= routines, result.extra["routines"]
    assert result.standards.precision is None or result.standards.precision >= 0.9, result.extra["standards"]


def test_seed_000_篇18_reads_17_posts_with_their_reporting_lines(db):
    result = evaluate(PROPERTY_CS["000"])
    assert (result.posts.expected, result.posts.found) == (17, 17)


def test_seed_004_reads_every_time_standard(db):
    result = evaluate(PROPERTY_CS["004"])
    assert (result.standards.expected, result.standards.found, result.standards.drafted) == (13, 13, 13)
