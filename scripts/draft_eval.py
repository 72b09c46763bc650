#!/usr/bin/env python
"""Precision and recall of the catalogue drafter (issue 14) on the seed files: each shipped catalogue is the answer for
the part of a seed it was written from (dutydesk/drafts/evaluation.py). Run: .venv/bin/python scripts/draft_eval.py
[-v: list what was missed and what was extra]."""
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dutydesk.settings")
os.environ.setdefault("DUTYDESK_DEBUG", "1")

import django  # noqa: E402

django.setup()

from dutydesk.drafts.evaluation import Score, evaluate_all  # noqa: E402


def cell(score: Score) -> str:
    def pct(value):
        return "  —  " if value is None else f"{value * 100:5.1f}"
    return f"{pct(score.precision)} {pct(score.recall)} ({score.found}/{score.expected}, {score.drafted} drafted)"


def main() -> None:
    verbose = "-v" in sys.argv
    results = evaluate_all()
    print(f"{'seed:lines catalogue':34} {'posts P / R':30} {'standards P / R':30} {'routines P / R':30}")
    by_seed: dict[str, list] = {}
    for result in results:
        by_seed.setdefault(result.segment.seed, []).append(result)
        print(f"{result.segment.label:34} {cell(result.posts):30} {cell(result.standards):30} {cell(result.routines):30}")
        if verbose:
            for kind in ("posts", "standards", "routines"):
                if result.missed[kind]:
                    print(f"    missed {kind}: {result.missed[kind]}")
                if result.extra[kind]:
                    print(f"    extra {kind}: {result.extra[kind]}")
    print()
    for seed, rows in sorted(by_seed.items()):
        totals = [Score(), Score(), Score()]
        for row in rows:
            totals[0] += row.posts
            totals[1] += row.standards
            totals[2] += row.routines
        print(f"{'seed ' + seed + ' (all parts above)':34} {cell(totals[0]):30} {cell(totals[1]):30} {cell(totals[2]):30}")


if __name__ == "__main__":
    main()
