"""The rules of shared/PRODUCT.md for the retail seeds, as the shipped catalogues and their registers run them
(issue 12):

- freshness (000 篇1 篇4): pouch milk adjusted 15 days after production, Tetra pillow 25 days, ambient 3 months; new goods
  shelved on the day they arrive;
- the telecom duty manager's spot check (001 篇3): all of ≤ 5 staff, 50 % of 5–20, 30 % of > 20; monthly reports by
  the 3rd, moved over holidays;
- the tobacco account manager (003): the weekly visit plan made before the weekend; the visit log signed by the
  customer; the monthly sales analysis before the 5th, postponed over holidays;
- the 4S-shop complaint form closed within 3 days, then a return visit checks the customer is satisfied (000 篇11);
- the supermarket warehouse's weekly stock count (000 篇5; the rest of the stores rules are tests/stock).
"""
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from dutydesk.core import workdays as cn_calendar
from dutydesk.duties import jobs as duty_jobs
from dutydesk.duties.sampling import inspection_sample, inspection_sample_size
from dutydesk.inbox.models import Task
from dutydesk.org.catalog import import_catalog
from dutydesk.org.catalog_yaml import load_shipped
from dutydesk.org.models import Post, Routine
from dutydesk.registers import freshness
from dutydesk.registers import jobs as register_jobs
from dutydesk.registers.models import Entry
from tests.factories import ProjectFactory, UserFactory, hold

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*args):
    return datetime(*args, tzinfo=SHANGHAI)


def tick_routines(moment):
    with time_machine.travel(moment, tick=False):
        return duty_jobs.generate_routine_tasks(moment)


def record(api, user, project, register, values, moment):
    with time_machine.travel(moment, tick=False):
        return api(user).post(f"/api/v1/registers/{register}/entries", {"project": project.pk, "values": values},
                              format="json")


def shipped(code):
    return import_catalog(load_shipped(code)).catalog


# ---- freshness (seeds/000_d44081c6db2527f0.txt:140–142 篇4; :20 篇1) -----------------------------------------------

@pytest.mark.parametrize("kind, produced, adjust", [
    ("pouch", date(2026, 10, 1), date(2026, 10, 16)),  # 百利包: 15 days
    ("pillow", date(2026, 10, 1), date(2026, 10, 26)),  # 利乐枕、优酸包: 25 days
    ("ambient", date(2026, 7, 15), date(2026, 10, 15)),  # 常配产品: 3 months
    ("ambient", date(2026, 11, 30), date(2027, 2, 28)),  # 3 months from 30 Nov: the end of February
    ("pouch", date(2026, 12, 20), date(2027, 1, 4)),  # across the year
])
def test_the_adjustment_day_follows_the_product_class(kind, produced, adjust):
    assert freshness.adjust_from(kind, produced) == adjust
    assert freshness.must_adjust(kind, produced, adjust) is True
    assert freshness.must_adjust(kind, produced, adjust - timedelta(days=1)) is False


@pytest.fixture
def store(db):
    shipped("supermarket")
    project = ProjectFactory(code="store1", name="一号店")
    people = {"clerk": UserFactory(username="clerk"), "clerk2": UserFactory(username="clerk2"),
              "supervisor": UserFactory(username="smsupervisor"), "keeper": UserFactory(username="keeper")}
    hold(people["clerk"], "sm-stock-clerk", project)
    hold(people["clerk2"], "sm-stock-clerk", project)
    hold(people["supervisor"], "sm-supervisor", project)
    hold(people["keeper"], "sm-warehouse-keeper", project)
    return project, people


def check(product="纯牛奶百利包", kind="pouch", produced="2026-10-01", action="on_sale", store_name="南城店"):
    return {"store": store_name, "product": product, "freshness": kind, "produced_on": produced, "action": action}


def test_a_batch_on_sale_becomes_a_task_on_its_adjustment_day_once(store, api):
    project, people = store
    assert record(api, people["clerk"], project, "sm-freshness-check", check(), at(2026, 10, 10, 10)).status_code == 201
    # seen again on the next visit of the 2-day route, by another clerk: still one batch
    again = record(api, people["clerk2"], project, "sm-freshness-check", check(), at(2026, 10, 12, 10))
    assert again.status_code == 201
    assert freshness.freshness_tasks(at(2026, 10, 15, 23, 0)) == 0  # day 14 after production
    assert freshness.freshness_tasks(at(2026, 10, 16, 8, 0)) == 1  # day 15: 百利包 must be adjusted
    assert freshness.freshness_tasks(at(2026, 10, 16, 9, 0)) == 0
    task = Task.objects.get(source="registers.freshness")
    assert task.assignee == people["clerk"] and task.post.code == "sm-stock-clerk" and task.project == project
    assert task.due_at == at(2026, 10, 16, 17, 0)
    assert "纯牛奶百利包" in task.title and "2026-10-16" in task.title


def test_a_batch_found_past_its_day_is_chased_at_once_and_a_recalled_one_is_not(store, api):
    project, people = store
    record(api, people["clerk"], project, "sm-freshness-check",
           check("优酸乳利乐枕", "pillow", "2026-09-01"), at(2026, 10, 10, 10))  # its day was 26 Sep
    record(api, people["clerk"], project, "sm-freshness-check",
           check("高钙奶百利包", "pouch", "2026-09-01", action="recall"), at(2026, 10, 10, 10, 5))
    record(api, people["clerk"], project, "sm-freshness-check",
           check("纯牛奶盒装", "ambient", "2026-09-01"), at(2026, 10, 10, 10, 10))  # its day: 1 December
    # the scheduler's own job (hourly) makes the task
    assert register_jobs.freshness_due(at(2026, 10, 10, 11, 0)) == 1
    task = Task.objects.get(source="registers.freshness")
    assert "优酸乳利乐枕" in task.title and task.due_at == at(2026, 10, 10, 11, 0)
    # the recall went to the supervisor as the catalogue's follow-up (seed :147 报备主管人员)
    recall = Task.objects.get(source="registers.follow_up")
    assert recall.post.code == "sm-supervisor" and recall.due_at.astimezone(SHANGHAI).date() == date(2026, 10, 12)
    # a later check that records the adjustment stops the chase of a batch not yet chased
    record(api, people["clerk"], project, "sm-freshness-check",
           check("纯牛奶盒装", "ambient", "2026-09-01", action="adjust"), at(2026, 11, 28, 10))
    assert freshness.freshness_tasks(at(2026, 12, 1, 9, 0)) == 0


def test_new_goods_are_shelved_on_their_day_of_arrival(store, api):
    project, people = store
    # the daily routine asks each clerk the same day, by 17:00, that today's deliveries are on the shelf
    tick_routines(at(2026, 10, 12, 0, 5))
    shelving = Routine.objects.get(post__code="sm-stock-clerk", code="daily-shelve-new-goods")
    due = sorted(t.due_at for t in Task.objects.filter(routine=shelving))
    assert due == [at(2026, 10, 12, 17, 0)] * 2
    # a shelf check that finds new goods of the day not on the shelf calls the supervisor within the day
    values = {"area": "乳品区", "barcodes_ok": True, "price_tags_ok": True, "empty_facings": 0,
              "new_goods_not_shelved": 3}
    assert record(api, people["clerk"], project, "sm-shelf-check", values, at(2026, 10, 12, 14, 0)).status_code == 201
    task = Task.objects.get(source="registers.follow_up")
    assert task.post.code == "sm-supervisor" and task.due_at == at(2026, 10, 12, 16, 0)
    record(api, people["clerk"], project, "sm-shelf-check", {**values, "new_goods_not_shelved": 0},
           at(2026, 10, 13, 14, 0))
    assert Task.objects.filter(source="registers.follow_up").count() == 1
    body = api(people["supervisor"]).get(f"/api/v1/reports/scorecards?period=2026-10&project={project.pk}").json()
    card = next(c for c in body["results"] if c["user"] and c["user"]["username"] == "clerk")
    kpi = next(k for k in card["kpis"] if k["code"] == "new_goods_left_unshelved")
    assert Decimal(kpi["actual"]) == 3 and Decimal(kpi["target"]) == 0 and kpi["direction"] == "lower"


def test_the_warehouse_counts_its_stock_every_week(store):
    for offset in range(28):  # four whole ISO weeks: Mon 5 Oct – Sun 1 Nov 2026
        tick_routines(at(2026, 10, 5, 0, 5) + timedelta(days=offset))
    count = Routine.objects.get(post__code="sm-warehouse-keeper", code="weekly-stock-count")
    tasks = Task.objects.filter(routine=count)
    assert sorted(t.due_at.astimezone(SHANGHAI).date() for t in tasks) == [
        date(2026, 10, 9), date(2026, 10, 16), date(2026, 10, 23), date(2026, 10, 30)]
    assert {(t.assignee, t.post.code) for t in tasks} == {(None, "sm-warehouse-keeper")}  # one per week, shared


# ---- the telecom duty manager (seeds/001_fc79cbfac9aecb91.txt:105, :111 篇3) --------------------------------------

@pytest.mark.parametrize("staff, sample", [(0, 0), (1, 1), (5, 5), (6, 3), (7, 4), (20, 10), (21, 7), (40, 12)])
def test_the_spot_check_takes_all_of_5_half_of_up_to_20_and_30_percent_above(staff, sample):
    assert inspection_sample_size(staff) == sample


@pytest.fixture
def telecom(db):
    shipped("telecom-store")
    project = ProjectFactory(code="hall1", name="中心营业厅")
    manager = UserFactory(username="dutymanager")
    hold(manager, "tc-duty-manager", project)
    return project, manager


def _staff(project, count, prefix="staff"):
    posts = ["tc-service-agent", "tc-floor-consultant", "tc-vip-reception", "tc-complaint-reception", "tc-demo-agent"]
    people = []
    for number in range(count):
        person = UserFactory(username=f"{prefix}{number}", first_name=f"营业员{prefix}{number}")
        hold(person, posts[number % len(posts)], project)
        people.append(person)
    return people


def test_the_days_spot_check_names_half_of_six_staff_in_the_inspection_task(telecom):
    project, manager = telecom
    staff = _staff(project, 6)
    _staff(ProjectFactory(), 9, prefix="elsewhere")  # another store's staff are not this manager's
    moment = at(2026, 10, 12, 0, 5)
    with time_machine.travel(moment, tick=False):
        assert duty_jobs.inspection_sample(moment) == 1
    task = Task.objects.get(routine__code="daily-floor-inspection", assignee=manager)
    assert task.due_at == at(2026, 10, 12, 9, 30)
    lines = task.description.splitlines()
    assert "3" in lines[0] and "6" in lines[0]
    named = [line.removeprefix("- ") for line in lines[1:]]
    assert len(named) == 3 and set(named) <= {p.first_name for p in staff}
    # the same draw all day, another one another day
    again = inspection_sample(post=Post.objects.get(code="tc-duty-manager"), project=project, day=date(2026, 10, 12))
    assert sorted(p.first_name for p in again.people) == sorted(named)


def test_a_store_of_21_gets_a_sample_of_7_and_one_of_5_is_checked_whole(telecom):
    project, _manager = telecom
    post = Post.objects.get(code="tc-duty-manager")
    _staff(project, 21)
    sample = inspection_sample(post=post, project=project, day=date(2026, 10, 12))
    assert (sample.staff, len(sample.people)) == (21, 7)
    small = ProjectFactory()
    hold(UserFactory(), "tc-duty-manager", small)
    five = _staff(small, 5, prefix="small")
    sample = inspection_sample(post=post, project=small, day=date(2026, 10, 12))
    assert {p.pk for p in sample.people} == {p.pk for p in five}


@pytest.mark.parametrize("month_start, due", [
    (date(2026, 10, 1), date(2026, 10, 8)),  # 3 October is inside the National Day holiday: the next working day
    (date(2026, 5, 1), date(2026, 5, 6)),  # Labour Day holiday 1–5 May
    (date(2026, 11, 1), date(2026, 11, 3)),  # a working 3rd stays the 3rd
])
def test_the_telecom_monthly_reports_fall_due_by_the_3rd_moved_over_holidays(telecom, month_start, due):
    assert cn_calendar.is_working_day(due)
    tick_routines(at(month_start.year, month_start.month, 1, 0, 5))
    task = Task.objects.get(routine__code="monthly-reports-by-3rd")
    assert task.due_at.astimezone(SHANGHAI).date() == due
    assert task.post.code == "tc-duty-manager" and task.assignee is None


# ---- the tobacco account manager (seeds/003_8a370fd4b7ddc47d.txt) -------------------------------------------------

@pytest.fixture
def tobacco(db):
    shipped("tobacco-account")
    project = ProjectFactory(code="district1", name="城东片区")
    people = {"account": UserFactory(username="account"), "regional": UserFactory(username="regional")}
    hold(people["account"], "ta-account-manager", project)
    hold(people["regional"], "ta-regional-manager", project)
    return project, people


def test_the_weekly_visit_plan_is_due_before_the_weekend(tobacco):
    _project, people = tobacco
    tick_routines(at(2026, 11, 9, 0, 5))  # Monday: the week's tasks are released
    task = Task.objects.get(routine__code="weekly-visit-plan", assignee=people["account"])
    due = task.due_at.astimezone(SHANGHAI)
    assert due == at(2026, 11, 13, 17, 0) and due.isoweekday() == 5  # Friday, before Saturday's weekend


@pytest.mark.parametrize("month_start, due", [
    (date(2026, 10, 1), date(2026, 10, 8)),  # 5 October is inside the National Day holiday
    (date(2026, 4, 1), date(2026, 4, 7)),  # the Qingming holiday, 4–6 April
    (date(2026, 11, 1), date(2026, 11, 5)),
])
def test_the_monthly_sales_analysis_is_due_before_the_5th_postponed_over_holidays(tobacco, month_start, due):
    tick_routines(at(month_start.year, month_start.month, 1, 0, 5))
    task = Task.objects.get(routine__code="monthly-sales-analysis-before-5th")
    assert task.due_at.astimezone(SHANGHAI).date() == due


def test_a_visit_is_logged_only_with_the_customers_signature(tobacco, api):
    project, people = tobacco
    visit = {"retailer": "幸福便利店", "kind": "regular", "findings": "库存正常，建议增订", "price_violation": True,
             "unlicensed_found": False}
    unsigned = record(api, people["account"], project, "ta-customer-visit", visit, at(2026, 11, 10, 10))
    assert unsigned.status_code == 400 and list(unsigned.json()["errors"]) == ["values.customer_signature"]
    assert not Entry.objects.exists()
    signed = record(api, people["account"], project, "ta-customer-visit", {**visit, "customer_signature": "王老板"},
                    at(2026, 11, 10, 10))
    assert signed.status_code == 201 and signed.json()["values"]["customer_signature"] == "王老板"
    # a price breach goes to the regional manager for the downgrade (4.1.3 f)
    task = Task.objects.get(source="registers.follow_up")
    assert task.post.code == "ta-regional-manager" and task.due_at == at(2026, 11, 11, 10, 0)
    listed = api(people["regional"]).get(f"/api/v1/registers/ta-customer-visit/entries?project={project.pk}").json()
    assert listed["count"] == 1


# ---- the 4S-shop complaint form (seeds/000_d44081c6db2527f0.txt:264 篇11) ----------------------------------------

def test_a_complaint_form_is_closed_within_3_days_or_the_director_is_told(db, api):
    shipped("auto-4s-customer-care")
    project = ProjectFactory(code="dealer1", name="一号店")
    visitor, director = UserFactory(username="visitor"), UserFactory(username="director")
    hold(visitor, "s4-return-visitor", project)
    hold(director, "s4-customer-director", project)
    form = {"customer": "李先生", "source": "hotline", "department": "aftersales", "content": "保养后异响"}
    start = at(2026, 10, 13, 10, 0)  # a Tuesday
    first = record(api, visitor, project, "s4-complaint-form", form, start).json()
    second = record(api, visitor, project, "s4-complaint-form", form, start).json()
    assert first["status"] == "open"
    with time_machine.travel(start + timedelta(days=2, hours=23), tick=False):
        closed = api(visitor).post(f"/api/v1/registers/s4-complaint-form/entries/{first['id']}/finish").json()
    assert closed["on_time"] is True
    assert register_jobs.registers_overdue(start + timedelta(days=3) - timedelta(minutes=1)) == 0
    assert register_jobs.registers_overdue(start + timedelta(days=3, minutes=1)) == 1  # still open after 3 days
    task = Task.objects.get(source="registers.overdue")
    assert task.post.code == "s4-customer-director"
    with time_machine.travel(start + timedelta(days=4), tick=False):
        late = api(visitor).post(f"/api/v1/registers/s4-complaint-form/entries/{second['id']}/finish").json()
    assert late["on_time"] is False
    # the return visit verifies the customer is satisfied; an unsatisfied one goes back to the director
    record(api, visitor, project, "s4-return-visit", {"form_number": first["number"], "satisfied": False},
           start + timedelta(days=3))
    assert Task.objects.get(source="registers.follow_up").post.code == "s4-customer-director"
    body = api(director).get(f"/api/v1/reports/scorecards?period=2026-10&project={project.pk}").json()
    card = next(c for c in body["results"] if c["user"] and c["user"]["username"] == "visitor")
    kpi = next(k for k in card["kpis"] if k["code"] == "complaint_closed_3d")
    assert Decimal(kpi["actual"]) == 50 and Decimal(kpi["target"]) == 100
