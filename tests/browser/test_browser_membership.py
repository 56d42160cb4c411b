"""A person asks to join a firm, an operator approves, the new member edits the firm: in Korean,
in a real browser (htmx search, the CSP in force, 390 px wide)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from seoulhub.accounts.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-for-tests-1"


@pytest.fixture
def world():
    from seoulhub.support.models import Firm
    from seoulhub.taxonomy.demo import load as load_taxonomy
    from seoulhub.taxonomy.models import District

    load_taxonomy(lambda line: None)  # transactional tests may have flushed the migrated reference data
    users = get_user_model().objects
    founder = users.create_user("founder", email="founder@example.com", password=PASSWORD)
    operator = users.create_user("op", password=PASSWORD, is_staff=True)
    operator.groups.add(Group.objects.get_or_create(name=Role.OPERATOR.value)[0])
    firm = Firm.objects.create(
        name_ko="예시 핀테크 (테스트)", district=District.objects.get(name_ko="마포구"), province="서울특별시"
    )
    return {"firm": firm, "founder": founder}


def _sign_in(page, username, next_path):
    page.context.clear_cookies()
    page.goto(f"/accounts/login/?next={next_path}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.form button[type=submit]")
    page.wait_for_url(f"**{next_path}")


def test_request_approval_and_edit_in_korean(page, world):
    refused = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    page.set_viewport_size({"width": 390, "height": 844})
    firm = world["firm"]

    _sign_in(page, "founder", "/support/membership/join/")
    assert page.locator("h1").inner_text() == "기업 가입 신청"
    # A new firm with a number that fails its check digit: refused, in Korean, nothing recorded.
    page.fill("#new-firm-form input[name=name_ko]", "예시 새회사")
    page.fill("#new-firm-form input[name=brn]", "123-45-67890")
    page.click("#new-firm-form button[type=submit]")
    assert "검증번호가 맞지 않습니다" in page.locator("#new-firm-form").inner_text()

    page.fill("#firm-q", "핀테크")  # htmx fetches the matches as the person types
    result = page.locator("#firm-results a", has_text="예시 핀테크 (테스트)")
    result.wait_for()
    result.click()
    page.wait_for_url(f"**/support/membership/join/?firm={firm.pk}")
    page.fill("#join-form textarea[name=message]", "대표이사입니다")
    page.click("#join-form button[type=submit]")
    page.wait_for_url("**/support/membership/")
    assert "가입 신청을 보냈습니다" in page.locator(".messages").inner_text()
    assert "대기 중" in page.locator("table.membership-requests").inner_text()

    _sign_in(page, "op", "/support/membership/requests/")
    item = page.locator(".membership-queue li", has_text="founder")
    assert "대표이사입니다" in item.inner_text()
    item.locator("textarea[name=note]").fill("확인 완료")
    item.locator("button[value=approve]").click()
    page.wait_for_url("**/support/membership/requests/")
    assert "구성원입니다" in page.locator(".messages").inner_text()

    _sign_in(page, "founder", "/support/membership/")
    assert "승인됨" in page.locator("table.membership-requests").inner_text()
    page.click("text=프로필 편집")
    page.wait_for_url(f"**/support/firms/{firm.pk}/profile/")
    page.select_option("select[name=district]", label="강남구")
    page.fill("input[name=employees]", "-5")
    page.click("#profile-form button[type=submit]")  # the browser refuses it already (min=0); the server too
    assert page.eval_on_selector("input[name=employees]", "input => input.validity.rangeUnderflow")
    assert page.url.endswith("/profile/")
    page.fill("input[name=employees]", "25")
    page.select_option("select[name=stage]", "startup")
    page.locator("#profile-form input[name=technologies]").first.check()
    page.click("#profile-form button[type=submit]")
    page.wait_for_url(f"**/support/firms/{firm.pk}/history/")
    history = page.locator("table.firm-history").inner_text()
    assert "강남구" in history and "마포구" in history and "25" in history and "founder" in history
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling on a phone
    from seoulhub.support.models import MembershipRequest

    assert MembershipRequest.objects.count() == 1
    firm.refresh_from_db()
    assert firm.employees == 25 and firm.district.name_ko == "강남구"
    assert refused == []
