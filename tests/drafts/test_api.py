"""POST /api/v1/catalogs/drafts and /publish (shared/API.md "Catalogue drafts from job-description text")."""
import io
import os

import pytest
import yaml
from docx import Document

from dutydesk.drafts.models import CatalogDraft
from dutydesk.org.catalog import validate_catalog
from dutydesk.org.catalog_yaml import catalog_from_yaml
from dutydesk.org.models import Catalog, Post

URL = "/api/v1/catalogs/drafts"


def post_text(client, text, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return client.post(f"{URL}{'?' + query if query else ''}", data=text.encode("utf-8"), content_type="text/plain")


def test_a_text_becomes_a_draft_with_posts_items_and_valid_yaml(api, staff, jd_text):
    response = post_text(api(staff["manager"]), jd_text)
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) >= {"id", "yaml", "posts", "warnings"}
    posts = {post["name"]: post for post in body["posts"]}
    assert list(posts) == ["客服主管", "客服员"]
    clerk, supervisor = posts["客服员"], posts["客服主管"]
    assert clerk["superior"] == "客服主管" and supervisor["superior"] is None
    assert clerk["duties"][0] == "负责接待来访业户"
    assert [(s["limit_minutes"], s["line"]) for s in clerk["standards"]] == [(5, 10), (None, 12)]
    assert [(r["schedule"], r["at"], r["line"]) for r in clerk["routines"]] == [("daily", "17:00", 11)]
    assert [(r["schedule"], r["day"], r["times"]) for r in supervisor["routines"]] == [("weekly", None, None),
                                                                                      ("monthly", 5, None)]
    assert [(k["name"], k["target"], k["unit"]) for k in supervisor["kpis"]] == [("管理费收费率", "95.00", "%")]
    assert any("客户服务总监" in w for w in body["warnings"])  # a superior outside the text: a warning, no post
    assert any("铃响三声内" in w for w in body["warnings"])  # counted, not timed
    validate_catalog(catalog_from_yaml(body["yaml"]))  # passes the catalogue schema
    document = yaml.safe_load(body["yaml"])
    assert [p["name"] for p in document["posts"]] == ["客服主管", "客服员"]
    assert all(k.get("source", "manual") == "manual" for p in document["posts"] for k in p.get("kpis", []))


def test_a_multipart_txt_or_docx_upload(api, staff, jd_text):
    client = api(staff["manager"])
    txt = io.BytesIO(jd_text.encode("gb18030"))
    txt.name = "jd.txt"
    response = client.post(URL, {"file": txt, "catalog": "cs-text"}, format="multipart")
    assert response.status_code == 201, response.content
    assert response.json()["catalog"] == "cs-text" and len(response.json()["posts"]) == 2
    document = Document()
    for line in jd_text.splitlines():
        document.add_paragraph(line)
    data = io.BytesIO()
    document.save(data)
    data.seek(0)
    data.name = "jd.docx"
    response = client.post(URL, {"file": data}, format="multipart")
    assert response.status_code == 201, response.content
    assert CatalogDraft.objects.get(pk=response.json()["id"]).source_name == "jd.docx"


@pytest.mark.parametrize("body", [b"", b"   \n", b"\x00\x01\x02\x03junk\x00" * 10, os.urandom(4096),
                                  "没有岗位的一段文字。".encode()], ids=["empty", "blank", "nul", "random", "no-post"])
def test_empty_junk_or_postless_text_is_400(api, staff, body):
    response = api(staff["manager"]).post(URL, data=body, content_type="text/plain")
    assert response.status_code == 400, response.content
    assert "errors" in response.json()
    assert not CatalogDraft.objects.exists()


def test_a_text_over_5_mb_is_400_naming_the_limit(api, staff):
    response = api(staff["manager"]).post(URL, data=b"a" * (5 * 1024 * 1024 + 1), content_type="text/plain")
    assert response.status_code == 400
    assert "5 MB" in str(response.json()["errors"])


def test_a_bad_catalogue_code_is_400(api, staff, jd_text):
    assert post_text(api(staff["manager"]), jd_text, catalog="Bad%20Code").status_code == 400


def test_errors_speak_english_when_asked(api, staff):
    response = api(staff["manager"], language="en").post(URL, data=b"", content_type="text/plain")
    assert response.status_code == 400 and "text/plain" in str(response.json()["errors"])


def test_without_org_manage_it_is_403_and_anonymous_401(api, staff, jd_text):
    assert post_text(api(staff["frontdesk"]), jd_text).status_code == 403
    assert post_text(api(), jd_text).status_code == 401
    draft_id = post_text(api(staff["manager"]), jd_text).json()["id"]
    assert api(staff["frontdesk"]).post(f"{URL}/{draft_id}/publish").status_code == 403
    assert api(staff["frontdesk"]).get(f"{URL}/{draft_id}").status_code == 403


def test_publish_imports_the_catalogue_once(api, staff, jd_text):
    client = api(staff["manager"])
    draft_id = post_text(client, jd_text, catalog="cs-drafted", name="测试客服中心").json()["id"]
    response = client.post(f"{URL}/{draft_id}/publish")
    assert response.status_code == 201, response.content
    assert response.json() == {"catalog": "cs-drafted", "posts_created": 2, "posts_updated": 0}
    catalog = Catalog.objects.get(code="cs-drafted")
    posts = {post.name: post for post in Post.objects.filter(catalog=catalog)}
    assert posts["客服员"].superior == posts["客服主管"] and posts["客服主管"].superior is None
    assert posts["客服员"].standards.get().limit_minutes == 5
    assert posts["客服员"].routines.get().at.strftime("%H:%M") == "17:00"
    assert catalog.name == "测试客服中心"
    assert client.post(f"{URL}/{draft_id}/publish").status_code == 409  # published already
    assert CatalogDraft.objects.get(pk=draft_id).history.first().history_user == staff["manager"]
    assert client.post(f"{URL}/999999/publish").status_code == 404


def test_a_reimport_keeps_the_codes_and_shows_the_difference(api, staff, jd_text):
    client = api(staff["manager"])
    first = post_text(client, jd_text, catalog="cs-again").json()
    client.post(f"{URL}/{first['id']}/publish")
    edited = jd_text.replace("4、电话铃响三声内接听。\n", "4、负责业户信件的分发。\n") + "三、楼层管家岗位职责\n1、负责业户档案。\n"
    second = post_text(client, edited, catalog="cs-again").json()
    assert {p["name"]: p["code"] for p in second["posts"]}["客服员"] == {p["name"]: p["code"] for p in first["posts"]}["客服员"]
    against_draft, against_catalogue = second["differences"]
    assert against_draft["posts_added"] == ["楼层管家"] and against_draft["posts_removed"] == []
    assert {"post": "客服员", "text": "负责业户信件的分发"} in against_draft["duties_added"]
    assert {"post": "客服员", "text": "电话铃响三声内接听"} in against_draft["duties_removed"]
    assert "cs-again" in against_catalogue["against"] and against_catalogue["posts_added"] == ["楼层管家"]
    response = client.post(f"{URL}/{second['id']}/publish")
    assert response.json() == {"catalog": "cs-again", "posts_created": 1, "posts_updated": 1}


def test_post_codes_are_unique_across_catalogues(api, staff):
    # the shipped property-cs holds cs-clerk etc.; a draft never takes another catalogue's code
    client = api(staff["manager"])
    body = post_text(client, "客服员岗位职责\n1、负责接待。\n", catalog="other-one").json()
    code = body["posts"][0]["code"]
    assert client.post(f"{URL}/{body['id']}/publish").status_code == 201
    again = post_text(client, "客服员岗位职责\n1、负责接待来访。\n", catalog="other-two").json()
    assert again["posts"][0]["code"] != code
    assert client.post(f"{URL}/{again['id']}/publish").status_code == 201


def test_the_draft_reads_back(api, staff, jd_text):
    client = api(staff["manager"])
    draft_id = post_text(client, jd_text).json()["id"]
    body = client.get(f"{URL}/{draft_id}").json()
    assert body["catalog"] == f"draft-{draft_id}" and body["status"] == "draft" and len(body["posts"]) == 2
