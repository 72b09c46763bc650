"""The vendors API: the manager keeps the vendor list; each supervising post evaluates a vendor once a month (a score
0–100 per criterion, the weighted total, who and comments) — a second evaluation of the same vendor, month and post is
a 409, a post that does not supervise the vendor a 403; the report gives the scores over the year."""
import json
from decimal import Decimal

import pytest

from dutydesk.vendors import selectors
from dutydesk.vendors.models import Evaluation, Vendor
from dutydesk.vendors.serializers import VendorReportSerializer
from tests.vendors.conftest import scores

pytestmark = pytest.mark.django_db


def _evaluate(client, vendor, month="2026-10", **changes):
    body = {"vendor": vendor.pk, "month": month, "scores": scores(), "comments": "地库保洁不到位，已要求整改", **changes}
    return client.post("/api/v1/vendor-evaluations/", body, format="json")


def test_the_manager_adds_a_vendor_with_its_supervising_posts(api, staff, project, posts, env, inspector):
    body = {"project": project.pk, "name": "绿源园林绿化工程有限公司", "kind": "greening",
            "supervising_posts": [posts["env-supervisor"].pk], "contract_starts_on": "2026-01-01",
            "contract_ends_on": "2027-12-31"}
    response = api(staff["manager"]).post("/api/v1/vendors/", body, format="json")
    assert response.status_code == 201, response.content
    vendor = response.json()
    assert (vendor["kind"], vendor["supervising_posts"], vendor["active"]) == (
        "greening", [posts["env-supervisor"].pk], True)
    assert [c["code"] for c in vendor["criteria"]] == ["quality", "conduct", "attendance", "rectification"]
    assert sum(c["weight"] for c in vendor["criteria"]) == 100
    assert api(staff["manager"]).post("/api/v1/vendors/", body, format="json").status_code == 400  # same name
    not_held = api(staff["manager"]).post("/api/v1/vendors/", {**body, "name": "别家",
                                          "supervising_posts": [posts["greening-inspector"].pk]}, format="json")
    assert not_held.status_code == 400 and "supervising_posts" in not_held.json()["errors"]
    assert api(staff["frontdesk"]).post("/api/v1/vendors/", {**body, "name": "前台建的"},
                                        format="json").status_code == 403
    changed = api(staff["manager"]).patch(f"/api/v1/vendors/{vendor['id']}", {"active": False}, format="json")
    assert changed.status_code == 200 and changed.json()["active"] is False
    assert changed.json()["name"] == "绿源园林绿化工程有限公司"


def test_a_supervising_post_evaluates_once_a_month(api, env, cleaning):
    response = _evaluate(api(env), cleaning)
    assert response.status_code == 201, response.content
    evaluation = response.json()
    # 90×40 % + 80×20 % + 100×20 % + 70×20 % = 36 + 16 + 20 + 14
    assert evaluation["total"] == "86.00"
    assert (evaluation["month"], evaluation["post_name"], evaluation["evaluated_by"]) == ("2026-10", "环境管理主管",
                                                                                         env.pk)
    assert [(s["criterion"], s["name"], s["weight"], s["score"]) for s in evaluation["scores"]][0] == (
        "quality", "作业质量与服务效果", 40, 90)
    assert _evaluate(api(env), cleaning, scores=scores(quality=10)).status_code == 409
    assert Evaluation.objects.get().total == Decimal("86.00")
    assert Evaluation.objects.get().history.count() == 1


def test_each_supervising_post_gives_its_own_evaluation(api, env, inspector, cleaning):
    assert _evaluate(api(env), cleaning).status_code == 201
    assert _evaluate(api(inspector), cleaning, scores=scores(quality=60)).status_code == 201
    assert Evaluation.objects.filter(vendor=cleaning, month="2026-10").count() == 2


def test_a_post_that_does_not_supervise_the_vendor_may_not_evaluate_it(api, staff, env, cleaning, security):
    assert _evaluate(api(staff["supervisor"]), cleaning).status_code == 403  # evaluates, but not this vendor
    assert _evaluate(api(env), security, scores={"patrol": 80, "conduct": 80, "attendance": 80,
                                                 "response": 80}).status_code == 403
    assert _evaluate(api(staff["frontdesk"]), cleaning).status_code == 403  # no vendors.evaluate at all
    wrong_post = _evaluate(api(env), cleaning, post=staff["supervisor"].holdings.get().post_id)
    assert wrong_post.status_code == 403
    assert not Evaluation.objects.exists()


def test_scores_must_cover_every_criterion_from_0_to_100(api, env, cleaning):
    missing = _evaluate(api(env), cleaning, scores={"quality": 90})
    assert missing.status_code == 400
    assert {"scores.conduct", "scores.attendance", "scores.rectification"} <= set(missing.json()["errors"])
    assert _evaluate(api(env), cleaning, scores=scores(quality=101)).status_code == 400
    assert _evaluate(api(env), cleaning, scores=scores(quality=-1)).status_code == 400
    unknown = _evaluate(api(env), cleaning, scores=scores(smell=50))
    assert unknown.status_code == 400 and "scores" in unknown.json()["errors"]
    future = _evaluate(api(env), cleaning, month="2026-12")
    assert future.status_code == 400 and "month" in future.json()["errors"]
    assert _evaluate(api(env), cleaning, month="2026-13").status_code == 400
    assert not Evaluation.objects.exists()


def test_staff_of_another_project_do_not_see_the_vendors(api, cleaning, catalog):
    from tests.factories import ProjectFactory, UserFactory, hold

    outsider = UserFactory(username="outsider")
    hold(outsider, "env-supervisor", ProjectFactory(code="far", name="远方花园"))
    client = api(outsider)
    assert client.get("/api/v1/vendors/").json()["count"] == 0
    assert client.get(f"/api/v1/vendors/{cleaning.pk}").status_code == 404
    assert _evaluate(client, cleaning).status_code == 400  # an unknown vendor to them


def test_the_report_gives_the_scores_over_the_year(api, staff, project, env, inspector, cleaning, security):
    _evaluate(api(env), cleaning, month="2026-09")  # 86
    _evaluate(api(env), cleaning, month="2026-10")  # 86
    _evaluate(api(inspector), cleaning, month="2026-10", scores=scores(quality=70))  # 78
    response = api(staff["manager"]).get(f"/api/v1/reports/vendors?project={project.pk}&year=2026")
    assert response.status_code == 200
    rows = {row["name"]: row for row in response.json()["vendors"]}
    clean = rows["深圳洁净物业清洁服务有限公司"]
    assert clean["months"][8:10] == ["86.00", "82.00"]  # October: the two posts averaged
    assert clean["months"][:8] == [None] * 8 and clean["months"][10:] == [None, None]
    assert (clean["average"], clean["evaluations"]) == ("83.33", 3)  # (86 + 86 + 78) / 3
    assert (rows["鹏城保安服务有限公司"]["average"], rows["鹏城保安服务有限公司"]["evaluations"]) == (None, 0)
    as_declared = VendorReportSerializer({"project": project.pk, "year": 2026,
                                          "vendors": selectors.year_report(project=project, year=2026)}).data
    assert response.json() == json.loads(json.dumps(as_declared))  # the schema's serializer gives the same
    assert api(staff["manager"]).get(f"/api/v1/reports/vendors?project={project.pk}&year=2025").json()["vendors"][0][
        "evaluations"] == 0  # another year's months are not this year's
    assert api(staff["manager"]).get(f"/api/v1/reports/vendors?project={project.pk}&year=abc").status_code == 400
    assert api(staff["frontdesk"]).get(f"/api/v1/reports/vendors?project={project.pk}").status_code == 403


def test_the_evaluation_list_filters_by_month_and_vendor(api, env, inspector, cleaning):
    _evaluate(api(env), cleaning, month="2026-09")
    _evaluate(api(env), cleaning, month="2026-10")
    client = api(env)
    assert client.get("/api/v1/vendor-evaluations/?month=2026-10").json()["count"] == 1
    assert client.get(f"/api/v1/vendor-evaluations/?vendor={cleaning.pk}&year=2026").json()["count"] == 2
    assert client.get("/api/v1/vendor-evaluations/?month=oct").status_code == 400
    assert Vendor.objects.get().evaluations.count() == 2
