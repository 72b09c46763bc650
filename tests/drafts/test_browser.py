"""The review page in Chromium: edit one duty, remove one, publish."""
import pytest

from dutydesk.drafts import services
from dutydesk.drafts.models import CatalogDraft
from dutydesk.org.models import Post
from tests.conftest import login


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_manager_edits_removes_and_publishes(page, staff, jd_text):
    draft = services.draft_create(text=jd_text, user=staff["manager"], catalog="browser-cs", name="浏览器客服中心")
    login(page, "manager")
    page.goto(f"{page.base_url}/org/drafts/{draft.pk}/")
    assert page.inner_text("#L10").strip() == "2、确保5分钟内完成来访登记;"
    duty = page.locator("#item-p2-d1")
    duty.locator("summary").click()
    duty.locator("textarea").fill("负责接待来访业户并引导访客")
    duty.locator("button.primary").click()
    page.wait_for_selector("#item-p2-d1 .text:has-text('负责接待来访业户并引导访客')")
    page.locator("#item-p1-d1 button.remove").click()
    page.wait_for_selector("#item-p1-d1", state="detached")
    page.screenshot(path="/tmp/drafts-review.png", full_page=False)
    page.click("#publish-form button.primary")
    page.wait_for_load_state("networkidle")
    assert "browser-cs" in page.inner_text(".messages")
    assert page.locator("#published").count() == 1
    page.screenshot(path="/tmp/drafts-published.png", full_page=False)
    draft = CatalogDraft.objects.get(pk=draft.pk)
    assert draft.status == "published"
    clerk = Post.objects.get(catalog__code="browser-cs", name="客服员")
    assert list(clerk.duties.values_list("text", flat=True))[0] == "负责接待来访业户并引导访客"
    supervisor = Post.objects.get(catalog__code="browser-cs", name="客服主管")
    assert "负责客服中心日常管理工作" not in list(supervisor.duties.values_list("text", flat=True))
    assert page.console_errors == []
