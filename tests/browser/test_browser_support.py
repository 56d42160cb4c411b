"""A firm member signs in, explores past programmes on the dashboard and checks eligibility."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from seoulhub.accounts.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def member_with_firm(tmp_path):
    from seoulhub.support.loaders import load_bizinfo
    from seoulhub.support.models import Firm, FirmMember
    from seoulhub.taxonomy.demo import load as load_taxonomy
    from seoulhub.taxonomy.models import District, KsicCode

    load_taxonomy(lambda line: None)  # transactional tests may have flushed the migrated reference data
    records = json.loads(Path(settings.DATA_DIR, "bizinfo", "bizinfo_jsonArray_2021-12.json").read_text("utf-8"))
    path = tmp_path / "bizinfo.json"
    path.write_text(json.dumps({"jsonArray": records["jsonArray"][:60]}, ensure_ascii=False), encoding="utf-8")
    load_bizinfo(path)
    user = get_user_model().objects.create_user("firm-member", password="pw-for-tests-1")
    user.groups.add(Group.objects.get_or_create(name=Role.FIRM_MEMBER.value)[0])
    firm = Firm.objects.create(
        name_ko="예시 소프트웨어 (테스트)",
        district=District.objects.get(name_ko="마포구"),
        province="서울특별시",
        ksic=KsicCode.objects.get(revision="10", code="58221"),
    )
    FirmMember.objects.create(firm=firm, user=user)
    return firm


def test_member_explores_closed_programmes_and_reads_each_rule_verdict(page, member_with_firm):
    page.goto("/accounts/login/?next=/support/firms/mine/")
    page.fill("input[name=username]", "firm-member")
    page.fill("input[name=password]", "pw-for-tests-1")
    page.click("form.form button[type=submit]")
    page.wait_for_url(f"**/support/firms/{member_with_firm.pk}/dashboard/")
    assert page.locator("p.notice").first.is_visible()  # nothing is open today: said so
    empty = page.locator("ol.recommendations > li")
    assert empty.count() == 1  # the "nothing to show" line, shown without a number
    assert empty.evaluate("li => getComputedStyle(li).listStyleType") == "none"

    page.check("input[name=closed]")  # submits the form on change
    page.wait_for_url("**/dashboard/?closed=1")
    items = page.locator("ol.recommendations > li")
    assert items.count() > 1
    first_verdicts = items.first.locator("ul.verdicts li").all_inner_texts()
    assert first_verdicts and all(text.endswith(("✓", "✗", "?")) for text in first_verdicts)

    items.first.locator("a").first.click()
    page.wait_for_selector("#am-i-eligible")
    section = page.locator("aside").inner_text()
    assert "예시 소프트웨어 (테스트)" in section
    assert any(v in section for v in first_verdicts)

    page.locator("button[data-lang=en]").click()
    page.wait_for_load_state()
    english = page.locator("aside").inner_text()
    assert "Am I eligible?" in english and ("open nationwide ✓" in english or "located in" in english)
