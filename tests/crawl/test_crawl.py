"""The crawler: after the demo and a played day, every demo user follows every link of their pages two levels
deep. No 5xx anywhere; no English words or raw codes on zh-hans pages; the resident never sees a staff note.
Every problem is listed at once (user, url, problem)."""
import re
from collections import defaultdict
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from tests.playday import play_day

# pages are the same on both databases; the crawl (a minute per post) runs in the PostgreSQL pass, the production one
pytestmark = pytest.mark.crawl

USERS = ["manager", "supervisor", "frontdesk", "butler", "archivist", "visitordesk", "cardclerk", "engineer", "clerk",
         "resident", "patrol"]  # patrol: the patrol officer of dutydesk/patrols/demo.py
SKIP_PREFIXES = ("/logout", "/i18n/", "/static/", "/api/v1/docs", "/api/v1/schema", "/admin/")
PER_PATTERN = 3  # at most this many URLs of one url pattern per user
# Words that are fine on a Chinese page.
ALLOWED_WORDS = {"DutyDesk", "KPI", "KPIs", "IC", "PDF", "Excel", "QR", "API", "WeChat", "SMS", "Email", "English",
                 "HEIC", "JPEG", "PNG", "GIF", "WebP", "xlsx", "pdf", "htmx", "OK", "ID", "SLA", "WiFi", "Wi", "Fi",
                 "UTC", "CNY", "YYYY", "MM", "DD", "HH", "Bearer", "Alt", "Tab", "Enter", "Esc"}
WORD = re.compile(r"(?<![\w@.-])[A-Za-z][A-Za-z]{2,}(?![\w@-])")
PASS_CODE = re.compile(r"^[A-Z0-9]{4,}$")  # pass and card codes people read aloud (GYFCCBRH)
RAW_CODE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b|\b[a-z]+\.[a-z_]+\b(?!\.)|\b[a-z]+(?:-[a-z]+)+\b")


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.text, self._skip = [], [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template", "code", "pre"):
            self._skip += 1
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template", "code", "pre") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.text.append(data.strip())


def _pattern(path):
    try:
        match = resolve(path)
    except Resolver404:
        return path
    return f"{match.view_name}:{sorted(match.kwargs)}"


def _text_problems(text):
    problems = []
    english = sorted({w for w in WORD.findall(text) if w not in ALLOWED_WORDS and not PASS_CODE.match(w)})
    if english:
        problems.append(f"English words: {english[:12]}")
    codes = sorted({c for c in RAW_CODE.findall(text) if "@" not in c and not c.endswith((".com", ".cn"))})
    if codes:
        problems.append(f"raw codes: {codes[:12]}")
    return problems


@pytest.fixture(scope="module")
def played(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        day = play_day()
        yield day
        from django.core.management import call_command

        call_command("flush", "--noinput", verbosity=0)


@pytest.mark.django_db
@pytest.mark.parametrize("username", USERS)
def test_every_page_of_every_post_works_after_a_played_day(played, username, settings):
    from django.contrib.auth import get_user_model

    settings.LANGUAGE_CODE = "zh-hans"
    user = get_user_model().objects.get(username=username)
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans", raise_request_exception=False)
    client.force_login(user)
    problems, seen, per_pattern, linked_from = [], set(), defaultdict(int), {}
    frontier = ["/"]
    if username == "resident":
        frontier.append(f"/portal/tickets/{played.worked_ticket.pk}/")
    for depth in range(3):  # the start pages, their links, and the links of those
        next_frontier = []
        for url in frontier:
            path = urlsplit(url).path
            if url in seen or path.startswith(SKIP_PREFIXES):
                continue
            pattern = _pattern(path)
            if per_pattern[pattern] >= PER_PATTERN:
                continue
            seen.add(url)
            per_pattern[pattern] += 1
            response = client.get(url)
            if response.status_code >= 500:
                problems.append((url, f"HTTP {response.status_code}"))
                continue
            if response.status_code in (403, 404):  # a page shows this post a link it may not open, or a dead one
                problems.append((url, f"HTTP {response.status_code}, linked from {linked_from.get(url, '-')}"))
                continue
            if response.status_code in (301, 302):
                next_frontier.append(response["Location"])
                continue
            if "text/html" not in response.get("Content-Type", "") or response.status_code != 200:
                continue
            html = response.content.decode()
            page = _Page()
            page.feed(html)
            text = " ".join(page.text)
            for problem in _text_problems(text):
                problems.append((url, problem))
            if username == "resident" and (played.internal_note in html or played.dispatch_note in html):
                problems.append((url, "a staff note is visible to the resident"))
            for href in page.links:
                target = urljoin(url, href)
                parts = urlsplit(target)
                if parts.scheme in ("", "http") and parts.netloc in ("", "testserver") and not href.startswith("#"):
                    link = parts.path + (f"?{parts.query}" if parts.query else "")
                    linked_from.setdefault(link, url)
                    next_frontier.append(link)
        frontier = next_frontier
    if username == "resident":
        from rest_framework.authtoken.models import Token

        token, _ = Token.objects.get_or_create(user=user)
        history = Client().get(f"/api/v1/tickets/{played.worked_ticket.pk}/history",
                               HTTP_AUTHORIZATION=f"Bearer {token.key}").content.decode()
        if played.internal_note in history or played.dispatch_note in history:
            problems.append(("/api/v1/tickets/{id}/history", "a staff note is visible to the resident"))
        if played.reply not in history:
            problems.append(("/api/v1/tickets/{id}/history", "the reply to the resident is missing"))
    assert len(seen) > 5, f"the crawler reached only {sorted(seen)}"
    assert not problems, f"{username}: {len(problems)} problems on {len(seen)} pages\n" + "\n".join(
        f"  {url}: {problem}" for url, problem in problems)
