"""The firm dashboard's shared cache: edits show at once, nothing per user is shared, a warm page
needs (almost) no queries, and the support data version follows every kind of write."""

import datetime

import pytest
from django.core.cache import cache

from seoulhub.core.localcache import clear_all
from seoulhub.support import services
from seoulhub.support.models import EligibilityRule, FirmMember, Programme
from seoulhub.taxonomy.models import Technology

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


@pytest.fixture
def open_programme(db):
    """An example programme open today, tagged AI, for Seoul firms."""
    programme = Programme.objects.create(
        title="[예시] 서울 AI 실증 지원",
        agency="예시 기관",
        kind="platform",
        opens_on=TODAY - datetime.timedelta(days=3),
        closes_on=TODAY + datetime.timedelta(days=10),
    )
    programme.technologies.add(Technology.objects.get(slug="ai"))
    EligibilityRule.objects.create(programme=programme, kind="region", params={"regions": ["서울"]})
    return programme


@pytest.fixture
def firm(make_firm):
    return make_firm("예시 대시보드기업", brn="1248100998")


def dashboard(client, firm, **params) -> str:
    response = client.get(f"/support/firms/{firm.pk}/dashboard/", params)
    assert response.status_code == 200
    return response.content.decode()


def test_a_new_technology_tag_shows_at_once(client, open_programme, firm):
    assert open_programme.title in dashboard(client, firm)
    assert "· 인공지능</small>" not in dashboard(client, firm)  # served from the cache now
    firm.technologies.add(Technology.objects.get(slug="ai"))
    assert "· 인공지능</small>" in dashboard(client, firm)


def test_rule_and_date_edits_show_at_once(client, open_programme, firm):
    assert open_programme.title in dashboard(client, firm)
    rule = EligibilityRule.objects.create(programme=open_programme, kind="region", params={"regions": ["부산"]})
    assert open_programme.title not in dashboard(client, firm)  # a Mapo firm fails a Busan-only rule
    rule.delete()
    assert open_programme.title in dashboard(client, firm)

    open_programme.closes_on = TODAY - datetime.timedelta(days=1)
    open_programme.save()
    page = dashboard(client, firm)
    assert open_programme.title not in page
    assert 'class="notice"' in page.split("<h2>")[0]  # "no programme is open today"
    assert open_programme.title in dashboard(client, firm, closed="1")


def test_the_edit_link_is_only_for_members_whoever_fills_the_cache(client, open_programme, firm, make_user):
    member = make_user("kim-jiwoo-member")
    FirmMember.objects.create(firm=firm, user=member)
    edit_url = f"/support/firms/{firm.pk}/edit/"

    client.force_login(member)
    as_member = dashboard(client, firm)
    assert edit_url in as_member and "kim-jiwoo-member" in as_member
    client.logout()
    anonymous = dashboard(client, firm)  # the ranked part now comes from the cache the member filled
    assert open_programme.title in anonymous
    assert edit_url not in anonymous and "kim-jiwoo-member" not in anonymous

    client.force_login(member)  # and the other way round: cached by a visitor, seen by the member
    cache.clear(), clear_all()
    client.logout()
    assert edit_url not in dashboard(client, firm)
    client.force_login(member)
    assert edit_url in dashboard(client, firm)


def test_the_shared_part_carries_no_request_parameters(client, programmes, make_firm):
    firm = make_firm()
    first = client.get(f"/support/firms/{firm.pk}/dashboard/", {"closed": "1", "ref": "secret-token-123"})
    assert first.context["total"] > 30  # so there is a second page and pagination links
    main = first.content.decode().split('<main id="main">')[1]  # (the header's language form keeps the path)
    assert "secret-token-123" not in main and "?closed=1&amp;page=2" in main
    past_the_end = client.get(f"/support/firms/{firm.pk}/dashboard/", {"closed": "1", "page": "999"})
    page = past_the_end.context["page"]  # the last page, as Paginator.get_page shows it
    assert past_the_end.status_code == 200 and page.number == page.paginator.num_pages > 1
    assert client.get("/support/firms/999999/dashboard/").status_code == 404


def test_a_warm_dashboard_needs_no_query_for_visitors_and_few_for_members(
    client, open_programme, firm, make_user, django_assert_num_queries, django_assert_max_num_queries
):
    dashboard(client, firm)
    with django_assert_num_queries(0):  # version, ranked part and names all from the memo
        dashboard(client, firm)
    member = make_user("kim-jiwoo-member")
    FirmMember.objects.create(firm=firm, user=member)
    client.force_login(member)
    dashboard(client, firm)
    # session, user, the user's groups, the firm and the membership (can_edit); measured 5
    with django_assert_max_num_queries(5):
        dashboard(client, firm)


def test_the_version_changes_with_tags_rules_and_firms(open_programme, firm):
    seen = [services.data_version()]

    def changed() -> bool:
        seen.append(services.data_version())
        return seen[-1] != seen[-2]

    ai = Technology.objects.get(slug="ai")
    firm.technologies.add(ai)
    assert changed()
    firm.technologies.remove(ai)
    assert changed()
    open_programme.technologies.clear()
    assert changed()
    EligibilityRule.objects.filter(programme=open_programme).first().save()
    assert changed()
    firm.name_en = "Example"
    firm.save()
    assert changed()
    assert not changed()  # reading does not change it
    assert seen[-1][0] == TODAY  # the date is part of it: eligibility depends on today


def test_the_version_changes_again_after_the_commit(firm, django_capture_on_commit_callbacks):
    before = services.data_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        firm.technologies.add(Technology.objects.get(slug="ai"))
        during = services.data_version()
    assert before != during != services.data_version() and callbacks


def test_imports_change_the_version_and_unchanged_reimports_do_not(bizinfo_file):
    from seoulhub.support.firm_import import import_firms
    from seoulhub.support.loaders import load_bizinfo

    before = services.data_version()
    load_bizinfo(bizinfo_file)
    loaded = services.data_version()
    assert loaded != before
    load_bizinfo(bizinfo_file)  # nothing changed: the matcher and cached pages stay valid
    assert services.data_version() == loaded
    import_firms([{"name_ko": "예시 가져온기업", "brn": "1248100998", "technologies": "ai"}])
    assert services.data_version() != loaded


def test_a_bulk_insert_with_a_bump_is_seen_at_once(open_programme, firm):
    matcher = services.current_matcher()
    EligibilityRule.objects.bulk_create(  # no signal: the writer bumps, as load_bizinfo does
        [EligibilityRule(programme=open_programme, kind="region", params={"regions": ["부산"]})]
    )
    assert services.current_matcher() is matcher
    services.bump_data_version()
    assert services.current_matcher() is not matcher
    assert services.recommendations(firm) == []


def test_an_evicted_version_is_recomputed_from_the_tables_without_a_rebuild(open_programme, firm):
    cache.clear(), clear_all()
    matcher = services.current_matcher()
    version = services.data_version()
    assert version[1].startswith("tables-")
    cache.clear(), clear_all()  # evicted again, same data: same version, same matcher
    assert services.data_version() == version and services.current_matcher() is matcher
    EligibilityRule.objects.bulk_create(  # a write that sent no signal is found once the stamp is gone
        [EligibilityRule(programme=open_programme, kind="region", params={"regions": ["부산"]})]
    )
    cache.clear(), clear_all()
    assert services.data_version() != version and services.current_matcher() is not matcher
