"""Fixtures of the vendors tests: a fixed day (2026-11-10, 10:00 Asia/Shanghai), the environment supervisor and the
cleaning inspector who supervise the cleaning contractor (seeds/000_d44081c6db2527f0.txt:437 篇18 3.2 月度考评; :519
10.2 每月对清洁、消杀…外包供应商…进行考评), and the customer-service supervisor who supervises the security company."""
import datetime as dt

import pytest
import time_machine

from dutydesk.org.models import Post
from dutydesk.vendors import services
from tests.factories import UserFactory, hold

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture(autouse=True)
def traveller():
    with time_machine.travel(dt.datetime(2026, 11, 10, 10, 0, tzinfo=SHANGHAI), tick=False) as traveller:
        yield traveller


@pytest.fixture
def posts(catalog):
    return {post.code: post for post in Post.objects.filter(
        code__in=["cs-manager", "cs-supervisor", "env-supervisor", "cleaning-inspector", "greening-inspector"])}


@pytest.fixture
def env(project, posts):
    user = UserFactory(username="env", first_name="环境主管老郭")
    hold(user, "env-supervisor", project)
    return user


@pytest.fixture
def inspector(project, posts):
    user = UserFactory(username="inspector", first_name="清洁监管小周")
    hold(user, "cleaning-inspector", project)
    return user


@pytest.fixture
def cleaning(project, posts, env, inspector):
    return services.vendor_save(project=project, name="深圳洁净物业清洁服务有限公司", kind="cleaning",
                                contact_name="刘经理", phone="13923001001",
                                supervising_posts=[posts["env-supervisor"], posts["cleaning-inspector"]])


@pytest.fixture
def security(project, posts, staff):
    return services.vendor_save(project=project, name="鹏城保安服务有限公司", kind="security",
                                supervising_posts=[posts["cs-supervisor"]])


def scores(**changes):
    """A cleaning vendor's scores: quality 90 (40 %), conduct 80, attendance 100, rectification 70 (20 % each)."""
    return {"quality": 90, "conduct": 80, "attendance": 100, "rectification": 70, **changes}
