"""How well the drafter reads the seeds: the shipped catalogues (dutydesk/org/catalogs/*.yaml) were written by hand from
the seed files and cite them in comments, so each is the answer for the part of a seed it was written from.
``evaluate()`` drafts each such part and compares posts (by name), time standards (post, limit) and routines (post,
schedule, and the count of a times_per_week) with the catalogue's items from that seed. ``scripts/draft_eval.py``
prints the table; ``tests/drafts/test_against_seeds.py`` holds the figures to thresholds."""
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from dutydesk.drafts.parser import ParsedPost, parse_text
from dutydesk.drafts.text import name_key
from dutydesk.org.catalog_yaml import CATALOG_DIR, catalog_from_yaml

SEEDS_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"  # ../shared/seeds beside the project


@dataclass(frozen=True)
class Segment:
    """The lines of a seed a shipped catalogue was written from; ``aliases`` are posts of the seed the catalogue
    merged into another (004 篇2 客户助理 is, in property-cs, the 前台客户助理 of 004 (三))."""

    seed: str  # "000"
    first: int
    last: int
    catalog: str
    aliases: tuple[tuple[str, str], ...] = ()

    @property
    def label(self) -> str:
        return f"{self.seed}:{self.first}-{self.last} {self.catalog}"


SEGMENTS = [
    Segment("000", 1, 164, "supermarket"),  # 第1篇 篇1–篇5 理货
    Segment("000", 245, 294, "auto-4s-customer-care"),  # 第11篇 客户总监
    Segment("000", 295, 339, "bank-account-manager"),  # 第12篇, 第13篇 客户经理
    Segment("000", 368, 381, "hotel-sales"),  # 第17篇 客户经理 (酒店)
    Segment("000", 382, 599, "property-cs"),  # 第18篇 客户服务部 (17 posts)
    Segment("001", 71, 366, "telecom-store"),  # 篇3 营业厅
    Segment("003", 1, 55, "tobacco-account"),
    Segment("003", 56, 242, "foot-spa"),
    Segment("004", 1, 182, "property-cs", aliases=(("客户助理", "前台客户助理"),)),
]
_CITATION = re.compile(r"(?:seeds/)?(?<!\d)(00\d)(?:_[0-9a-f]+\.txt)?(?::(\d+))?(?!\d)")


@dataclass
class Score:
    expected: int = 0
    drafted: int = 0
    found: int = 0  # expected items the draft has
    right: int = 0  # drafted items the catalogue has (the same as found, but for posts read twice under an alias)

    @property
    def precision(self) -> float | None:
        return self.right / self.drafted if self.drafted else None

    @property
    def recall(self) -> float | None:
        return self.found / self.expected if self.expected else None

    def __iadd__(self, other: "Score") -> "Score":
        self.expected += other.expected
        self.drafted += other.drafted
        self.found += other.found
        self.right += other.right
        return self


@dataclass
class Result:
    segment: Segment
    posts: Score = field(default_factory=Score)
    standards: Score = field(default_factory=Score)
    routines: Score = field(default_factory=Score)
    missed: dict[str, list] = field(default_factory=dict)
    extra: dict[str, list] = field(default_factory=dict)


def seed_path(seed: str, seeds_dir: Path = SEEDS_DIR) -> Path:
    return next(seeds_dir.glob(f"{seed}_*.txt"))


def segment_text(segment: Segment, seeds_dir: Path = SEEDS_DIR) -> str:
    """The segment's lines, the others left blank, so line numbers stay the file's."""
    lines = seed_path(segment.seed, seeds_dir).read_text(encoding="utf-8").split("\n")
    return "\n".join(line if segment.first <= number <= segment.last else ""
                     for number, line in enumerate(lines, start=1))


# -- what the catalogue says --------------------------------------------------------------------------------------

def _comments_above(lines: list[str], line: int) -> str:
    """The comment lines right above line ``line`` (1-based) of the YAML text."""
    found = []
    index = line - 2
    while index >= 0 and lines[index].strip().startswith("#"):
        found.append(lines[index])
        index -= 1
    return "\n".join(reversed(found))


def _cited(text: str, segment: Segment) -> bool | None:
    """True when ``text`` cites the segment's seed (at a line inside it when a line is given), False when it cites
    another seed or another part, None when it cites nothing."""
    citations = _CITATION.findall(text)
    if not citations:
        return None
    for seed, line in citations:
        if seed == segment.seed and (not line or segment.first <= int(line) <= segment.last or int(line) <= 1):
            return True
    return False


def expected_items(segment: Segment) -> dict[str, Counter]:
    """The catalogue's posts, standards and routines that come from the segment (by their comments)."""
    text = (CATALOG_DIR / f"{segment.catalog}.yaml").read_text(encoding="utf-8")
    lines = text.split("\n")
    document = catalog_from_yaml(text)
    header = "\n".join(lines[:12])
    sections = [(number, line) for number, line in enumerate(lines, start=1) if line.startswith("  # ====")]
    posts: Counter = Counter()
    standards: Counter = Counter()
    routines: Counter = Counter()
    for post in document.get("posts") or []:
        above = _comments_above(lines, post.line)
        if "ADDITION" in above:
            continue
        section = next((line for number, line in reversed(sections) if number < post.line), header)
        cited = _cited(above, segment)
        if cited is None:
            cited = _cited(section, segment) if _cited(section, segment) is not None else _cited(header, segment)
        if not cited:
            continue
        key = name_key(str(post["name"]))
        posts[key] += 1
        for standard in post.get("standards") or []:
            if _cited(_comments_above(lines, standard.line) + str(standard.get("note") or ""), segment) is not False:
                standards[(key, int(standard["limit_minutes"]))] += 1
        for routine in post.get("routines") or []:
            if _cited(_comments_above(lines, routine.line), segment) is not False:
                routines[_routine_key(key, routine["schedule"], routine.get("times"))] += 1
    return {"posts": posts, "standards": standards, "routines": routines}


def _routine_key(post: str, schedule: str, times) -> tuple:
    return (post, schedule, times if schedule == "times_per_week" else None)


# -- what the drafter reads ----------------------------------------------------------------------------------------

def drafted_items(posts: list[ParsedPost], aliases: dict[str, str]) -> dict[str, Counter]:
    drafted: dict[str, Counter] = {"posts": Counter(), "standards": Counter(), "routines": Counter()}
    for post in posts:
        key = name_key(post.name)
        drafted["posts"][aliases.get(key, key)] += 1
        key = aliases.get(key, key)
        for standard in post.standards:
            if standard.rule.limit_minutes:
                drafted["standards"][(key, standard.rule.limit_minutes)] += 1
        for routine in post.routines:
            drafted["routines"][_routine_key(key, routine.rule.schedule, routine.rule.times)] += 1
    return drafted


def evaluate(segment: Segment, seeds_dir: Path = SEEDS_DIR) -> Result:
    parsed = parse_text(segment_text(segment, seeds_dir))
    aliases = {name_key(a): name_key(b) for a, b in segment.aliases}
    drafted = drafted_items(parsed.posts, aliases)
    expected = expected_items(segment)
    result = Result(segment)
    for kind in ("posts", "standards", "routines"):
        found = sum((expected[kind] & drafted[kind]).values())
        right = found
        if kind == "posts":  # a post read twice under an alias (客户助理 = 前台客户助理) is right both times
            right = sum(count for key, count in drafted[kind].items() if key in expected[kind])
        setattr(result, kind, Score(sum(expected[kind].values()), sum(drafted[kind].values()), found, right))
        result.missed[kind] = sorted((expected[kind] - drafted[kind]).elements(), key=str)
        result.extra[kind] = sorted((drafted[kind] - expected[kind]).elements(), key=str)
    return result


def evaluate_all(seeds_dir: Path = SEEDS_DIR) -> list[Result]:
    return [evaluate(segment, seeds_dir) for segment in SEGMENTS]
