"""A post may do what its duties say it does (issue 15): the permissions of every property-cs post are checked against
the words of its duties, and the floor butler, who keeps the keys of their floors (seeds/000_d44081c6db2527f0.txt:570
篇18 14.2: 负责区域楼层相关钥匙保管、借用和领用登记管理), lends a key."""
import re

import pytest

from dutydesk.org.catalog_yaml import load_shipped
from dutydesk.org.models import Post

# words of a duty → the permission its holder needs to do it in DutyDesk
DUTY_WORDS = {
    r"钥匙": "frontdesk.keys",
    r"来访登记|访客": "frontdesk.visitors",
    r"IC卡": "frontdesk.cards",
    r"平信|平邮|信件": "frontdesk.mail",
    r"出入证|装修许可证": "frontdesk.passes",
    r"物品进出|物品放行": "frontdesk.goods",
    r"收缴|催缴": "billing.view",
    r"满意度?调查": "duties.surveys",
    r"(?<!通知客服岗位跟进)回访": "tickets.return_visit",  # the technician only tells the desk to call back
    r"投诉|报修|请修": "tickets.create",
    r"业[户主]档案": "archive.edit",
}


def _document():
    return load_shipped("property-cs").document


def test_every_property_post_may_do_what_its_duties_say(db):
    missing = []
    for post in _document()["posts"]:
        for words, permission in DUTY_WORDS.items():
            texts = [duty if isinstance(duty, str) else duty["text"] for duty in post.get("duties", [])]  # {text, by}
            duty = next((text for text in texts if re.search(words, text)), None)
            if duty is not None and permission not in post.get("permissions", []):
                missing.append(f"{post['code']} lacks {permission} for “{duty[:40]}”")
    assert missing == []


def test_the_floor_butler_keeps_the_keys_and_issues_renovation_passes(catalog):
    permissions = Post.objects.get(code="floor-butler").permissions
    assert "frontdesk.keys" in permissions and "frontdesk.passes" in permissions


@pytest.fixture
def key(staff, project, unit):
    from dutydesk.frontdesk import services

    return services.key_register(project=project, clerk=staff["archivist"], label="A-1201 钥匙", unit=unit)


def test_a_floor_butler_lends_and_takes_back_a_key_of_their_project(staff, key, api):
    client = api(staff["butler"])
    assert client.get("/api/v1/keys/").status_code == 200
    lent = client.post(f"/api/v1/keys/{key.pk}/lend", {"borrower_name": "装修工人", "borrower_phone": "13912345678",
                                                        "purpose": "进场施工"}, format="json")
    assert lent.status_code == 200, lent.content
    assert lent.json()["status"] == "lent"
    assert client.post(f"/api/v1/keys/{key.pk}/lend", {"borrower_name": "别人", "borrower_phone": "13912345679",
                                                        "purpose": "看房"}, format="json").status_code == 409
    assert client.post(f"/api/v1/keys/{key.pk}/return").status_code == 200


def test_a_post_without_key_duties_still_may_not_lend_keys(staff, key, api):
    response = api(staff["visitordesk"]).post(f"/api/v1/keys/{key.pk}/lend", {
        "borrower_name": "张三", "borrower_phone": "13912345678", "purpose": "维修"}, format="json")
    assert response.status_code == 403
