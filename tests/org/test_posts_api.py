from django.db import connection
from django.test.utils import CaptureQueriesContext

from dutydesk.org.models import Post


def test_it_follows_the_reporting_lines_of_seed_000_chapter_18(staff, api):
    client = api(staff["frontdesk"])
    supervisor = client.get("/api/v1/posts/", {"name": "客服主管"}).json()["results"][0]
    deputy = client.get(f"/api/v1/posts/{supervisor['superior']}/").json()
    assert deputy["name"] == "客户服务副经理"
    manager = client.get(f"/api/v1/posts/{deputy['superior']}/").json()
    assert manager["name"] == "客户服务经理"
    assert manager["superior"] is None
    env_deputy = client.get("/api/v1/posts/", {"name": "环境管理副主管"}).json()["results"][0]
    assert Post.objects.get(pk=env_deputy["superior"]).name == "环境管理主管"


def test_it_ships_the_front_desk_time_standards_of_seed_004(staff, api):
    posts = api(staff["manager"]).get("/api/v1/posts/", {"page_size": 200}).json()["results"]
    limits = {(s["procedure"]): s["limit_minutes"] for post in posts for s in post["standards"]}
    assert limits["key_lending"] == 5
    assert limits["ic_card_issue"] == 20
    assert limits["move_in"] == 30
    assert limits["access_pass"] == 15
    assert limits["visitor_registration"] == 10
    targets = {k["target"] for post in posts for k in post["kpis"] if k["code"] == "collection_rate"}
    assert targets == {"95.00"}


def test_subordinates_lists_the_posts_reporting_to_a_post(staff, api):
    supervisor = Post.objects.get(code="cs-supervisor")
    names = {p["name"] for p in api(staff["manager"]).get(f"/api/v1/posts/{supervisor.pk}/subordinates").json()}
    assert {"客服员", "楼层管家", "前台客户助理", "档案室资料员"} <= names
    assert "客户服务经理" not in names


def test_post_list_runs_a_constant_number_of_queries(staff, api):
    client = api(staff["manager"])
    with CaptureQueriesContext(connection) as small:
        assert client.get("/api/v1/posts/", {"page_size": 2}).status_code == 200
    with CaptureQueriesContext(connection) as large:
        assert client.get("/api/v1/posts/", {"page_size": 200}).status_code == 200
    assert len(small) == len(large)


def test_posts_need_a_token(db, api):
    assert api().get("/api/v1/posts/").status_code == 401


def test_a_resident_may_not_read_the_post_catalogue(staff, resident_user, api):
    assert api(resident_user).get("/api/v1/posts/").status_code == 403
