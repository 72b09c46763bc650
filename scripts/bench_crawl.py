#!/usr/bin/env python
"""Benchmark: every page a post reaches, timed at the scale of the database it runs on.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dutydesk_bench_tickets \\
        .venv/bin/python scripts/bench_crawl.py bench-manager bench-butler bench-supervisor [--depth 2] [--runs 3]

Logs in as each named user (of a database filled by scripts/bench_tickets.py or bench_modules.py), follows the
links of their pages ``--depth`` levels deep from the home page (at most ``--per-pattern`` URLs of one URL pattern,
as the crawler test does), times each page ``--runs`` times and prints the slowest first: median ms, statements and
their raw replay. A page over ``--slow`` ms (default 150, the goal of issue 11) is flagged. GET only; no form is
sent. The benchmarks of single pages (bench_tickets.py, bench_modules.py) say how fast the pages we know of are;
this one says which page we did not think of is slow at a group's scale (it found the 2.8 s home page of a floor
butler at 10M work orders). ``--url PATH`` (repeatable) times those paths instead, API lists included."""
import argparse
import statistics
import time
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from benchkit import replayed_sql  # noqa: E402  (sets Django up first)

from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import Resolver404, resolve  # noqa: E402

SKIP_PREFIXES = ("/logout", "/i18n/", "/static/", "/media/", "/api/", "/admin/")
# downloads and files: timed by their own benchmarks (exports run as jobs at scale)
SKIP_WORDS = ("export", "download", ".xlsx", ".pdf", "print", "/qr")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)


def _pattern(path: str) -> str:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return path
    return f"{match.view_name}:{sorted(match.kwargs)}"


def _followable(base: str, href: str) -> str | None:
    url = urljoin(base, href)
    parts = urlsplit(url)
    if parts.netloc not in ("", "testserver") or href.startswith(("#", "mailto:", "tel:", "javascript:")):
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if path.startswith(SKIP_PREFIXES) or any(word in path for word in SKIP_WORDS):
        return None
    return path


def crawl(client: Client, depth: int, per_pattern: int) -> list[str]:
    """The pages reachable from home, ``depth`` links deep, at most ``per_pattern`` of one URL pattern."""
    seen, per, frontier, pages = {"/"}, {}, ["/"], ["/"]
    for _level in range(depth):
        following = []
        for path in frontier:
            response = client.get(path)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            parser = _Links()
            parser.feed(response.content.decode(errors="replace"))
            for href in parser.links:
                target = _followable(path, href)
                if target is None or target in seen:
                    continue
                seen.add(target)
                pattern = _pattern(target)
                if per.get(pattern, 0) >= per_pattern:
                    continue
                per[pattern] = per.get(pattern, 0) + 1
                following.append(target)
        pages += following
        frontier = following
    return pages


def timed(client: Client, path: str, runs: int) -> tuple[int, float, int, float]:
    """(status, median ms, statements, median ms of the statements replayed raw)."""
    response = client.get(path)  # warm-up
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(path)
        samples.append((time.perf_counter() - started) * 1000)
    count, replay = replayed_sql(lambda: client.get(path))
    raw = []
    for _ in range(runs):
        started = time.perf_counter()
        replay()
        raw.append((time.perf_counter() - started) * 1000)
    return response.status_code, statistics.median(samples), count, statistics.median(raw)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("users", nargs="+", help="usernames to crawl as")
    parser.add_argument("--depth", type=int, default=2)
    parser.add_argument("--per-pattern", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--slow", type=float, default=150.0, help="flag pages slower than this (ms)")
    parser.add_argument("--top", type=int, default=25, help="print this many of the slowest pages")
    parser.add_argument("--url", action="append", default=[],
                        help="time this path (API paths too) instead of crawling; repeat for several")
    args = parser.parse_args()

    from dutydesk.core.serving import prepare_process

    prepare_process()
    results = []
    for username in args.users:
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        started = time.perf_counter()
        pages = args.url or crawl(client, args.depth, args.per_pattern)
        print(f"{username}: {len(pages)} pages found in {time.perf_counter() - started:.0f} s", flush=True)
        for path in pages:
            status, ms, statements, raw = timed(client, path, args.runs)
            results.append((ms, username, path, status, statements, raw))
            if ms > args.slow:
                print(f"  slow: {ms:.0f} ms ({statements} statements, {raw:.0f} ms raw) {path}", flush=True)
    results.sort(reverse=True)
    slow = [row for row in results if row[0] > args.slow]
    print(f"\n{len(results)} pages timed, {len(slow)} over {args.slow:.0f} ms; the slowest {args.top}:")
    print(f"{'ms':>8} {'SQL ms':>7} {'stmts':>5} {'status':>6}  user  page")
    for ms, username, path, status, statements, raw in results[:args.top]:
        flag = "!" if ms > args.slow else " "
        print(f"{ms:8.1f} {raw:7.1f} {statements:5d} {status:6d} {flag} {username}  {path}")


if __name__ == "__main__":
    main()
