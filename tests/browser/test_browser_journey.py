"""Issue 24 end to end, in Korean, in a real browser on a 390 px phone: a new person signs up,
verifies her address from the mail (locmem outbox), asks to join a firm in the registry, an
operator approves, she edits the firm and sees the change in its audited history, and subscribes
to a saved search with a webhook on a local HTTP server. Bad input at each step is refused with a
Korean message and changes nothing."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command

from alerts.test_delivery import Hook  # tests/alerts, on the path as a package
from seoulhub.accounts.models import Profile, Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-for-tests-1"
NEW_PASSWORD = "a-long-pass-for-tests-7"
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


@pytest.fixture
def world(settings):
    from seoulhub.support.models import Firm
    from seoulhub.taxonomy.demo import load as load_taxonomy
    from seoulhub.taxonomy.models import District

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SEOULHUB_WEBHOOK_ALLOW = ["127.0.0.1"]
    load_taxonomy(lambda line: None)  # transactional tests may have flushed the migrated reference data
    users = get_user_model().objects
    users.create_user("taken", email="taken@example.com", password=PASSWORD)
    operator = users.create_user("op", password=PASSWORD, is_staff=True)  # like the demo's operator
    operator.groups.add(Group.objects.get_or_create(name=Role.OPERATOR.value)[0])
    firm = Firm.objects.create(
        name_ko="예시 모빌리티 (테스트)",
        district=District.objects.get(name_ko="마포구"),
        province="서울특별시",
        products="배송 로봇",
    )
    other = Firm.objects.create(
        name_ko="예시 다른 회사 (테스트)", district=District.objects.get(name_ko="중구"), province="서울특별시"
    )
    hook = Hook()
    yield {"firm": firm, "other": other, "hook": hook}
    hook.close()


def _worker_runs():
    """The task worker's turn: account and membership mails are sent by it, not by the request."""
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)


def _phone(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="ko-KR", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(60_000)
    return page


def _fits_and_keeps_the_policy(page):
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url
    assert page.evaluate("window.__cspViolations") == [], page.url
    assert page.locator("html").get_attribute("lang") == "ko", page.url


def _sign_up_and_verify(page):
    users = get_user_model().objects
    page.goto("/")
    page.get_by_role("link", name="로그인 / 회원가입").click()
    page.locator("main").get_by_role("link", name="회원가입", exact=True).click()
    page.wait_for_url("**/accounts/signup/**")
    _fits_and_keeps_the_policy(page)

    # A taken address: no second account; the page does not reveal it (no enumeration), the owner
    # of the address is told by mail instead, in Korean.
    page.fill("input[name=email]", "taken@example.com")
    page.fill("input[name=password1]", NEW_PASSWORD)
    page.fill("input[name=password2]", NEW_PASSWORD)
    page.click("form.form button[type=submit]")
    page.wait_for_url("**/accounts/confirm-email/")
    assert users.filter(email__iexact="taken@example.com").count() == 1 and users.count() == 2
    _worker_runs()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["taken@example.com"]
    assert "이미" in mail.outbox[0].subject + mail.outbox[0].body, mail.outbox[0].body
    mail.outbox.clear()

    # A password too short: refused in Korean, nobody created, nothing sent.
    page.goto("/accounts/signup/")
    page.fill("input[name=email]", "kim.jiwoo.founder@mobility-example.com")
    page.fill("input[name=password1]", "short")
    page.fill("input[name=password2]", "short")
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
    assert "비밀번호는 너무 짧습니다" in page.locator("main").inner_text()
    _worker_runs()
    assert users.count() == 2 and not mail.outbox

    page.fill("input[name=password1]", NEW_PASSWORD)
    page.fill("input[name=password2]", NEW_PASSWORD)
    page.click("form.form button[type=submit]")
    page.wait_for_url("**/accounts/confirm-email/")
    _fits_and_keeps_the_policy(page)
    _worker_runs()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["kim.jiwoo.founder@mobility-example.com"]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body)[0]

    # A mangled key is refused in Korean and confirms nothing.
    page.goto(link.rstrip("/") + "x/")
    assert "만료되었거나 유효하지 않" in page.locator("main").inner_text()
    page.goto(link)
    _fits_and_keeps_the_policy(page)
    page.click("form.form button[type=submit]")  # 확인
    page.wait_for_load_state()
    assert page.locator("a.user").inner_text() == "kim.jiwoo.founder@mobility-example.com"  # verified and signed in
    # A long address is cut short on a phone, not drawn over the links beside it.
    assert page.eval_on_selector(
        "a.user", "a => a.scrollWidth <= a.clientWidth || getComputedStyle(a).overflowX === 'hidden'"
    )
    return users.get(email="kim.jiwoo.founder@mobility-example.com")


def _ask_to_join(page, firm):
    from seoulhub.support.models import Firm, MembershipRequest

    # From her profile, the way a new person finds it.
    page.locator("a.user").click()
    page.wait_for_url("**/accounts/profile/")
    page.get_by_role("link", name="기업 가입 신청, 새 기업 등록, 내 신청 보기").click()
    page.wait_for_url("**/support/membership/")
    assert "아직 가입을 신청한 기업이 없습니다" in page.locator("main").inner_text()
    page.get_by_role("link", name="기업 가입 신청 또는 새 기업 등록").click()
    page.wait_for_url("**/support/membership/join/")
    _fits_and_keeps_the_policy(page)
    assert page.locator("h1").inner_text() == "기업 가입 신청"
    # A new firm with a number that is not 10 digits: refused in Korean, no firm, no request.
    page.fill("#new-firm-form input[name=name_ko]", "예시 새회사")
    page.fill("#new-firm-form input[name=brn]", "12-345")
    page.click("#new-firm-form button[type=submit]")
    page.wait_for_load_state()
    assert "10자리" in page.locator("#new-firm-form").inner_text()
    assert Firm.objects.count() == 2 and not MembershipRequest.objects.exists()

    page.fill("#firm-q", "모빌리티")
    result = page.locator("#firm-results a", has_text=firm.name_ko)
    result.wait_for()
    result.click()
    page.wait_for_url(f"**/support/membership/join/?firm={firm.pk}")
    page.fill("#join-form textarea[name=message]", "공동창업자입니다")
    page.click("#join-form button[type=submit]")
    page.wait_for_url("**/support/membership/")
    assert "가입 신청을 보냈습니다" in page.locator(".messages").inner_text()
    assert "대기 중" in page.locator("table.membership-requests").inner_text()
    _fits_and_keeps_the_policy(page)


def _operator_approves(browser, live_server, person):
    page = _phone(browser, live_server)
    page.goto("/accounts/login/?next=/support/membership/requests/")
    page.fill("input[name=username]", "op")
    page.fill("input[name=password]", PASSWORD)
    page.click("form.form button[type=submit]")
    page.wait_for_url("**/support/membership/requests/")
    _fits_and_keeps_the_policy(page)
    item = page.locator(".membership-queue li", has_text="공동창업자입니다")
    item.locator("textarea[name=note]").fill("사업자등록증 확인")
    item.locator("button[value=approve]").click()
    page.wait_for_url("**/support/membership/requests/")
    assert "구성원입니다" in page.locator(".messages").inner_text()
    page.context.close()
    # The person is told by mail.
    mail.outbox.clear()
    _worker_runs()
    assert any(person.email in message.to and "승인" in message.subject for message in mail.outbox)


def _edit_the_firm(page, firm, other):
    from seoulhub.support.models import FirmChange

    page.goto("/support/membership/")
    assert "승인됨" in page.locator("table.membership-requests").inner_text()
    page.click("text=프로필 편집")
    page.wait_for_url(f"**/support/firms/{firm.pk}/profile/")
    _fits_and_keeps_the_policy(page)

    # Only her firm: another firm's profile is not hers to edit.
    response = page.goto(f"/support/firms/{other.pk}/profile/")
    assert response.status in (403, 404)
    page.goto(f"/support/firms/{firm.pk}/profile/")

    # A bad district value (a tampered form): refused in Korean, nothing changed, nothing audited.
    page.eval_on_selector("select[name=district]", "s => { s.options[1].value = '999999'; s.selectedIndex = 1; }")
    page.click("#profile-form button[type=submit]")
    page.wait_for_load_state()
    assert "저장하지 않았습니다" in page.locator("main").inner_text()
    assert not FirmChange.objects.filter(firm=firm).exists()

    page.select_option("select[name=district]", label="강남구")
    page.fill("textarea[name=products]", "배송 로봇, 실내 자율주행 플랫폼")
    page.click("#profile-form button[type=submit]")
    page.wait_for_url(f"**/support/firms/{firm.pk}/history/")
    _fits_and_keeps_the_policy(page)
    history = page.locator("table.firm-history").inner_text()
    assert "강남구" in history and "마포구" in history and "실내 자율주행 플랫폼" in history
    assert "kim.jiwoo.founder" in history
    firm.refresh_from_db()
    assert firm.district.name_ko == "강남구" and "실내 자율주행" in firm.products
    # The public firm page shows the change too.
    page.goto(firm.get_absolute_url())
    assert "강남구" in page.locator("main").inner_text()


def _subscribe(page, person, hook):
    from seoulhub.alerts.models import SavedSearch, Subscription

    page.goto("/alerts/")
    _fits_and_keeps_the_policy(page)
    assert page.locator("h1").inner_text() == "내 구독"
    form = page.locator("form.form", has=page.locator("textarea[name=searches]"))
    form.locator("input[name=webhook_url]").fill("http://169.254.169.254/latest/meta-data/")
    form.locator("textarea[name=searches]").fill("자율주행 로봇")
    form.locator("input[name=frequency][value=daily]").check()
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "저장하지 않았습니다" in page.locator(".messages").inner_text()
    assert "메타데이터" in page.locator(".messages").inner_text()
    assert not SavedSearch.objects.exists()
    assert not Subscription.objects.filter(user=person).exclude(webhook_url="").exists()

    # What she typed is still in the form: correcting the address is enough.
    form = page.locator("form.form", has=page.locator("textarea[name=searches]"))
    assert form.locator("textarea[name=searches]").input_value() == "자율주행 로봇"
    assert form.locator("input[name=frequency][value=daily]").is_checked()
    form.locator("input[name=webhook_url]").fill(hook.url)
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/alerts/")
    assert "구독 설정을 저장했습니다" in page.locator(".messages").inner_text()
    _fits_and_keeps_the_policy(page)
    subscription = Subscription.objects.get(user=person)
    assert subscription.webhook_url == hook.url and subscription.by_email
    assert list(subscription.searches.values_list("query", flat=True)) == ["자율주행 로봇"]
    assert Profile.objects.get(user=person).digest_frequency == "daily"  # the one place it lives
    assert page.locator("textarea[name=searches]").input_value() == "자율주행 로봇"
    assert page.locator("input[name=webhook_url]").input_value() == hook.url


def test_a_new_person_joins_a_firm_edits_it_and_subscribes(browser, live_server, world):
    page = _phone(browser, live_server)
    person = _sign_up_and_verify(page)
    _ask_to_join(page, world["firm"])
    _operator_approves(browser, live_server, person)
    _edit_the_firm(page, world["firm"], world["other"])
    _subscribe(page, person, world["hook"])
    assert world["hook"].bodies == []  # nothing is sent from a request
    page.context.close()
