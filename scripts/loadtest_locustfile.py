"""The simulated staff of `scripts/loadtest` (Locust): a morning at the front desk of 阳光花园.

Run by scripts/loadtest, which prepares the data and passes, in the environment, LOADTEST_PLAN (the accounts with
their sessions, and per scope some work orders, units and residents), LOADTEST_RESULT (where the samples are
written), LOADTEST_THINK ("low,high" seconds between two steps), LOADTEST_USERS, LOADTEST_LOGINS (the share of users
who log in through the form) and LOADTEST_SMOKE (each user takes every step of its role once, in turn, then the run
ends).

Each user takes the next account of the plan. Every 1/LOGINS-th logs in through the login form (CSRF token from the
cookie, as the browser sends it); the others come back with yesterday's session cookie and open the home page.
Then each repeats one step of its role at a time, chosen by weight. The weights are a guess at a real morning,
mostly reading: the lists and work orders, a caller's unit found at intake, a new work order now and then, visitors
and keys at the desk; the supervisor also looks at the dashboard. Every answer is checked: the expected status
(redirects are not followed, so a lost session shows as a 302 to the login page, a failure) and what the page must
contain.
"""
import json
import os
import random
import re
import time
from collections import defaultdict
from http.cookiejar import Cookie
from itertools import count, cycle
from pathlib import Path
from urllib.parse import urlencode

import gevent
from locust import FastHttpUser, between, events, task

PLAN = json.loads(Path(os.environ["LOADTEST_PLAN"]).read_text())
THINK = tuple(float(part) for part in os.environ.get("LOADTEST_THINK", "5,15").split(","))
SMOKE = os.environ.get("LOADTEST_SMOKE") == "1"
USERS = int(os.environ.get("LOADTEST_USERS", "0")) or len(PLAN["accounts"])
LOGINS = float(os.environ.get("LOADTEST_LOGINS", "1"))
ACCOUNTS = cycle(PLAN["accounts"])
NUMBERS = count()
STARTED = time.monotonic()
SAMPLES = defaultdict(list)  # page -> [(seconds into the run, ms, ok)]
FAILURES = []
STATE = {"logged_in": 0, "all_logged_in_at": None,  # users in (by the form or by yesterday's session)
         "done": 0}  # smoke: users that took each of their steps once
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
HTMX = {**FORM, "HX-Request": "true"}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
TITLES = ["厨房水龙头漏水", "客厅灯不亮", "入户门锁卡顿", "楼上夜间装修噪音", "楼道灯损坏", "卫生间下水道堵塞", "咨询停车月卡办理"]


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception=None, **_kwargs):
    ok = exception is None
    SAMPLES[name].append((round(time.monotonic() - STARTED, 3), round(response_time, 1), ok))
    if not ok and len(FAILURES) < 200:
        FAILURES.append(f"{request_type} {name}: {exception}"[:300])


@events.quitting.add_listener
def _write(**_kwargs):
    result = {"samples": SAMPLES, "failures": FAILURES, **STATE}
    Path(os.environ["LOADTEST_RESULT"]).write_text(json.dumps(result, ensure_ascii=False))


def phone():
    return f"13{random.randint(0, 9)}{random.randint(10000000, 99999999)}"


class Staff(FastHttpUser):
    wait_time = between(*THINK)

    def on_start(self):
        number, self.account = next(NUMBERS), next(ACCOUNTS)
        # every 1/LOGINS-th user logs in through the form; the others' browsers still hold yesterday's session
        self.uses_form = int(number * LOGINS) != int((number + 1) * LOGINS)
        self.logged_in = self.finished = False
        self.scope = PLAN["scopes"][self.account["scope"]]
        self.visits = []  # visitors this clerk registered who are still inside
        self.key_lent = False
        steps = STEPS[self.account["role"]]
        self.in_turn = iter([step for step, _weight in steps])
        self.steps, self.weights = zip(*steps)
        self.log_in()

    @task
    def next_step(self):
        if not self.logged_in:
            return self.log_in()
        if not SMOKE:
            return random.choices(self.steps, weights=self.weights)[0](self)
        step = next(self.in_turn, None)
        if step is not None:
            return step(self)
        if self.finished:
            return
        self.finished = True  # smoke: every step taken once; the run ends when every user is there
        STATE["done"] += 1
        if STATE["done"] == USERS:
            gevent.spawn_later(0.1, self.environment.runner.quit)
        self.wait_time = lambda: 3600

    # ------------------------------------------------------------ helpers
    def csrf(self):
        return next((c.value for c in self.client.cookiejar if c.name == "csrftoken"), "")

    def page(self, url, name, expect=200, must=None, headers=None):
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True, headers=headers) as answer:
            check(answer, expect, must)
            return answer

    def post(self, url, name, data, expect=200, must=None, headers=HTMX):
        body = urlencode({"csrfmiddlewaretoken": self.csrf(), **data})
        with self.client.post(url, name=name, data=body, headers=headers, allow_redirects=False,
                              catch_response=True) as answer:
            check(answer, expect, must)
            return answer

    def log_in(self):
        if self.uses_form:
            self.page("/login/", "login form", must="csrfmiddlewaretoken")
            answer = self.post("/login/", "log in (POST)", {"username": self.account["username"],
                                                            "password": self.account["password"], "next": ""},
                               expect=302, headers=FORM)
            self.logged_in = answer.status_code == 302 and answer.headers.get("Location") == "/"
        else:
            self.client.cookiejar.set_cookie(Cookie(
                version=0, name="sessionid", value=self.account["session"], port=None, port_specified=False,
                domain="127.0.0.1", domain_specified=False, domain_initial_dot=False, path="/", path_specified=True,
                secure=False, expires=None, discard=True, comment=None, comment_url=None, rest={}))
            self.logged_in = home(self).status_code == 200
        if self.logged_in:
            STATE["logged_in"] += 1
            if STATE["logged_in"] == USERS:
                STATE["all_logged_in_at"] = round(time.monotonic() - STARTED, 3)

    def resident(self):
        return random.choice(self.scope["residents"])

    def ticket_id(self):
        return random.choice(self.scope["tickets"])


def check(answer, expect, must):
    if answer.status_code != expect:
        where = answer.headers.get("Location", "") if answer.headers else ""
        answer.failure(f"status {answer.status_code}, expected {expect} {where}".strip())
    elif must and must not in (answer.text or ""):
        answer.failure(f"the answer lacks {must!r}")
    else:
        answer.success()


# ---------------------------------------------------------------- the steps of a morning
def home(user):
    return user.page("/", "home", must="logout")


def my_tasks(user):
    user.page("/duties/", "my tasks (/duties/)")


def ticket_list(user, tabs=("", "mine", "post", "overdue", "today", "new")):
    tab = random.choice(tabs)
    user.page(f"/tickets/?q={tab}" if tab else "/tickets/", f"tickets list: {tab or 'first tab'}", must="result-count")


def supervisor_ticket_list(user):
    ticket_list(user, tabs=("", "overdue", "new", "all", "post", "today"))


def ticket_search(user):
    term = random.choice([user.resident()["unit_label"], random.choice(TITLES)[:4]])
    user.page(f"/tickets/?{urlencode({'search': term})}", "tickets list: search", must="result-count")


def open_ticket(user, ticket_id=None):
    user.page(f"/tickets/{ticket_id or user.ticket_id()}/", "ticket detail", must="<h1")


def lookup(user, resident=None):
    """The intake's search as the clerk types (htmx fires as they pause): a phone, a name or a unit."""
    resident = resident or user.resident()
    kind = random.random()
    if kind < 0.4:
        terms = [resident["phone"][:4], resident["phone"]]
    elif kind < 0.7:
        terms = [resident["unit_label"][:4], resident["unit_label"]]
    else:
        terms = [resident["name"]]
    for term in terms:
        user.page(f"/tickets/lookup/?{urlencode({'term': term})}", "intake search (htmx)",
                  headers={"HX-Request": "true"})
    return resident


def unit_panel(user, unit_id=None):
    user.page(f"/tickets/new/caller-unit/?unit={unit_id or user.resident()['unit']}", "caller's unit panel (htmx)",
              headers={"HX-Request": "true"})


def take_a_call(user):
    """The phone intake: open the form, find the caller, see their unit, save a work order, open it."""
    user.page("/tickets/new/", "intake form", must="intake-form")
    resident = lookup(user)
    unit_panel(user, resident["unit"])
    kind = random.choice(["repair", "repair", "complaint", "enquiry"])
    title = random.choice(TITLES)
    answer = user.post("/tickets/new/", "new work order (POST)", {
        "lookup": resident["unit_label"], "unit": resident["unit"], "resident": resident["id"],
        "picked": f"{resident['unit_label']} {resident['name']}", "caller_name": "", "caller_phone": "",
        "kind": kind, "category": "", "priority": "normal", "channel": "phone", "title": f"{title}（压测）",
        "description": f"{resident['name']}来电：{title}。", "location": ""}, expect=302, headers=FORM)
    match = re.match(r"^/tickets/(\d+)/$", answer.headers.get("Location", "") if answer.headers else "")
    if match:
        open_ticket(user, match.group(1))


def unit_page(user):
    user.page(f"/units/{random.choice(user.scope['units'])['id']}/", "unit page")


def front_desk(user):
    user.page("/frontdesk/", "front desk screen", must='id="panel"')


def desk_tab(user, tabs=("visitors", "keys", "passes", "goods", "mail")):
    tab = random.choice(tabs)
    user.page(f"/frontdesk/tab/{tab}/", f"front desk tab: {tab} (htmx)", headers={"HX-Request": "true"})


def butler_desk_tab(user):
    desk_tab(user, tabs=("mail", "goods"))


def visitor(user):
    """A visitor arrives: the unit typed with suggestions, registered, the pass printed now and then."""
    unit = random.choice(user.scope["units"])
    user.page(f"/frontdesk/options/units/?tab=visitors&q={unit['label'][:3]}", "unit suggestions (htmx)",
              headers={"HX-Request": "true"})
    answer = user.post("/frontdesk/tab/visitors/register/", "register a visitor (POST)", {
        "started_at": "", "expected_code": "", "visitor_name": random.choice(SURNAMES) + "先生", "visitor_phone": phone(),
        "id_number": "", "unit": unit["label"], "purpose": random.choice(["探亲", "送货", "维修", "访友"]), "headcount": "1"},
        must="created-visit")
    match = re.search(r"/frontdesk/visits/(\d+)/pass/", answer.text or "")
    if match:
        user.visits.append(match.group(1))
        if random.random() < 0.3:
            user.page(f"/frontdesk/visits/{match.group(1)}/pass/", "visitor pass (print)", must="pass-qr")


def visitor_leaves(user):
    if not user.visits:
        return visitor(user)
    visit = user.visits.pop(0)
    user.post("/frontdesk/tab/visitors/leave/", "visitor leaves (POST)", {"visit": visit}, must="feedback ok")


def key(user):
    """Lend the clerk's key to a contractor, or take it back."""
    key_id = user.account.get("key")
    if not key_id:
        return desk_tab(user)
    if user.key_lent:
        user.post("/frontdesk/tab/keys/return/", "take a key back (POST)", {"key": key_id}, must="feedback ok")
        user.key_lent = False
    else:
        user.page("/frontdesk/tab/keys/", "front desk tab: keys (htmx)", headers={"HX-Request": "true"})
        answer = user.post("/frontdesk/tab/keys/lend/", "lend a key (POST)", {
            "key": key_id, "borrower_name": random.choice(SURNAMES) + "师傅", "borrower_phone": phone(),
            "purpose": "维修入户", "started_at": ""}, must="feedback ok")
        user.key_lent = answer.status_code == 200 and "feedback ok" in (answer.text or "")


def dashboard(user):
    user.page("/duties/dashboard/", "dashboard")


# (step, weight): per role, roughly what a morning is made of
STEPS = {
    "frontdesk": [(ticket_list, 14), (open_ticket, 12), (lookup, 10), (unit_panel, 6), (take_a_call, 5),
                  (front_desk, 5), (desk_tab, 6), (visitor, 6), (visitor_leaves, 4), (key, 5), (home, 3),
                  (my_tasks, 3), (unit_page, 3)],
    "butler": [(ticket_list, 20), (open_ticket, 18), (lookup, 8), (unit_panel, 5), (take_a_call, 4), (unit_page, 6),
               (butler_desk_tab, 3), (home, 4), (my_tasks, 5)],
    "supervisor": [(supervisor_ticket_list, 20), (open_ticket, 15), (ticket_search, 4), (dashboard, 8), (home, 3),
                   (my_tasks, 3)],
}
