"""A founder joins the hub on a 390 px phone, in Korean: signs up, opens the link in the
verification mail (Django's locmem outbox), and sets her profile, under the Content-Security-Policy."""

import re

import pytest
from django.core import mail
from django.core.management import call_command

from seoulhub.accounts.models import Profile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


def _fits_and_keeps_the_policy(page):
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url
    assert page.evaluate("window.__cspViolations") == [], page.url


def test_a_founder_signs_up_verifies_her_address_and_sets_her_profile(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="ko-KR", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(60_000)

    page.goto("/")
    page.get_by_role("link", name="로그인 / 회원가입").click()
    page.wait_for_url("**/accounts/login/**")
    _fits_and_keeps_the_policy(page)
    page.locator("main").get_by_role("link", name="회원가입", exact=True).click()
    page.wait_for_url("**/accounts/signup/**")
    _fits_and_keeps_the_policy(page)

    # A mistyped confirmation is refused in Korean and creates nothing.
    page.fill("input[name=email]", "founder@example.com")
    page.fill("input[name=password1]", "a-long-pass-for-tests-7")
    page.fill("input[name=password2]", "a-different-pass-7")
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
    assert "동일한 비밀번호" in page.locator("main").inner_text()
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)  # mails are sent by the worker
    assert not mail.outbox

    page.fill("input[name=password1]", "a-long-pass-for-tests-7")
    page.fill("input[name=password2]", "a-long-pass-for-tests-7")
    page.click("form.form button[type=submit]")
    page.wait_for_url("**/accounts/confirm-email/")
    _fits_and_keeps_the_policy(page)
    assert "founder@example.com" not in page.locator("nav.site-nav").inner_text()
    assert page.get_by_role("link", name="로그인 / 회원가입").is_visible()  # not signed in yet

    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    assert len(mail.outbox) == 1 and mail.outbox[0].subject.startswith("[서울 디지털 허브]")
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body)[0]
    page.goto(link)
    _fits_and_keeps_the_policy(page)
    page.click("form.form button[type=submit]")  # 확인
    page.wait_for_load_state()
    assert page.locator("a.user").inner_text() == "founder@example.com"  # signed in

    page.locator("a.user").click()
    page.wait_for_url("**/accounts/profile/")
    _fits_and_keeps_the_policy(page)
    assert "인증됨" in page.locator("main").inner_text()
    page.fill("input[name=display_name]", "김지우 (예시)")
    page.check("input[name=digest_frequency][value=daily]")
    page.check("input[name=language][value=en]")
    page.click("form.form button[type=submit]")
    page.wait_for_url("**/accounts/profile/")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"  # the chosen language, at once
    assert page.locator("a.user").inner_text() == "김지우 (예시)"
    assert "Profile saved." in page.locator(".messages").inner_text()
    profile = Profile.objects.get(user__email="founder@example.com")
    assert (profile.language, profile.digest_frequency) == ("en", "daily")
    _fits_and_keeps_the_policy(page)

    # The API tokens page is one link away and still works.
    page.get_by_role("link", name="API tokens").first.click()
    page.wait_for_url("**/accounts/tokens/")
    _fits_and_keeps_the_policy(page)
    context.close()
