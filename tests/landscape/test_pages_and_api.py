"""The technology page, gap view, firm opportunities and the landscape API, over real requests."""

import pytest
from django.urls import reverse

from seoulhub.accounts.models import Role
from seoulhub.landscape.local import refresh_local, refresh_pilot_pairs
from seoulhub.landscape.models import TechnologyLandscape, TechnologyPair
from seoulhub.support.models import FirmMember

pytestmark = pytest.mark.django_db


@pytest.fixture
def seoul(tech, make_firm, make_programme, make_demand, gangnam, mapo):
    """Quantum rises with one firm and nothing else; AI rises with many firms and a programme."""
    firms = [make_firm(f"ai {i}", [tech["ai"]], gangnam if i % 2 else mapo) for i in range(5)]
    firms.append(make_firm("quantum one", [tech["quantum"]], mapo))
    firms.append(make_firm("cloud and quantum", [tech["cloud"], tech["quantum"]], gangnam))
    make_programme("AI voucher (test)", [tech["ai"]])
    make_programme("closed AI call (test)", [tech["ai"]], open_now=False)
    make_demand("example drone demand (test)", [tech["drones"]], is_example=True)
    refresh_local()
    TechnologyLandscape.objects.filter(technology__slug__in=["ai", "quantum"]).update(emergence=1.2, significant=True)
    refresh_local()
    return firms


def test_technology_page_joins_trend_firms_programmes_and_demands(client, tech, seoul, gangnam):
    page = client.get(reverse("taxonomy:detail", args=["ai"]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "AI voucher (test)" in html and "closed AI call (test)" not in html
    assert "/support/firms/?tech=ai" in html
    assert "/support/programmes/?tech=ai&amp;open=true" in html
    assert f"district={gangnam.name_ko}" in html or "district=%EA%B0%95%EB%82%A8%EA%B5%AC" in html
    assert html.count("<path ") == 25  # the district map


def test_example_demands_carry_the_example_badge_on_the_technology_page(client, seoul):
    html = client.get(reverse("taxonomy:detail", args=["drones"])).content.decode()
    assert "example drone demand (test)" in html and "예시 / Example" in html


def test_links_of_the_figures_lead_to_lists_holding_exactly_the_counted_rows(client, seoul):
    row = TechnologyLandscape.objects.get(technology__slug="ai")
    firms = client.get("/support/firms/", {"tech": "ai"})
    assert firms.context["page"].paginator.count == row.firms == 5
    programmes = client.get("/support/programmes/", {"tech": "ai", "open": "true"})
    assert programmes.context["page"].paginator.count == row.open_programmes == 1


def test_gap_view_puts_the_rising_technology_seoul_lacks_above_the_one_it_has(client, seoul):
    html = client.get(reverse("landscape:gaps")).content.decode()
    assert html.index('href="/tech/quantum/"') < html.index('href="/tech/ai/"') < html.index('href="/tech/cloud/"')
    rows = client.get("/api/v1/landscape/gaps", {"limit": 3}).json()["items"]
    assert [r["slug"] for r in rows[:2]] == ["quantum", "ai"]
    assert rows[0]["gap"] > rows[1]["gap"] > 0
    assert rows[0]["links"]["firms"] == "/support/firms/?tech=quantum"


def test_landscape_api_answers_with_counts_lists_and_links(client, seoul):
    body = client.get("/api/v1/technologies/ai/landscape").json()
    assert body["seoul"]["firms"] == 5 and body["seoul"]["open_programmes"] == 1
    assert [p["title"] for p in body["seoul"]["open_programme_list"]] == ["AI voucher (test)"]
    assert sum(d["firms"] for d in body["seoul"]["by_district"]) == 5
    assert body["trend"]["significant"] is True
    assert body["links"]["open_programmes"].endswith("tech=ai&open=true")


def test_unknown_technology_answers_404_with_words(client):
    response = client.get("/api/v1/technologies/no-such-tech/landscape")
    assert response.status_code == 404
    assert "no-such-tech" in response.json()["message"]


def test_firm_members_see_their_own_opportunities_and_not_other_firms(client, make_user, seoul):
    member = make_user("cloudy", Role.FIRM_MEMBER)
    own, other = seoul[-1], seoul[0]
    FirmMember.objects.create(firm=own, user=member)
    client.force_login(member)
    assert client.get(reverse("landscape:opportunities", args=[own.pk])).status_code == 200
    assert client.get(reverse("landscape:opportunities", args=[other.pk])).status_code == 403
    assert client.get(f"/api/v1/landscape/firms/{other.pk}/opportunities").status_code == 403
    assert client.get(reverse("landscape:my_opportunities")).url == reverse("landscape:opportunities", args=[own.pk])


def test_anonymous_visitors_are_sent_to_sign_in_for_opportunities(client, seoul):
    response = client.get(reverse("landscape:opportunities", args=[seoul[0].pk]))
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert client.get(f"/api/v1/landscape/firms/{seoul[0].pk}/opportunities").status_code == 401


def test_opportunities_offer_rising_adjacent_technology_programmes_and_complementary_partners(
    client, official, tech, seoul
):
    # Cloud and AI are reported together in articles (stored association), AI is rising.
    a, b = sorted([tech["cloud"].pk, tech["ai"].pk])
    TechnologyPair.objects.create(context="articles", tech_a_id=a, tech_b_id=b, together=40, npmi=0.5)
    client.force_login(official)
    firm = seoul[-1]  # cloud + quantum
    body = client.get(f"/api/v1/landscape/firms/{firm.pk}/opportunities").json()
    assert [o["slug"] for o in body["rising_adjacent"]] == ["ai"]
    assert body["rising_adjacent"][0]["via"] == "cloud" and body["rising_adjacent"][0]["reason"] == "articles"
    assert "AI voucher (test)" in [p["title"] for p in body["programmes"]]
    assert len(body["partners"]) == 5 and all(p["brings"] == ["ai"] for p in body["partners"])
    html = client.get(reverse("landscape:opportunities", args=[firm.pk])).content.decode()
    assert "AI voucher (test)" in html


def test_opportunities_leave_out_programmes_the_firm_is_not_eligible_for(client, official, tech, seoul, make_programme):
    from seoulhub.support.models import EligibilityRule

    busan = make_programme("Busan-only AI call (test)", [tech["ai"]])
    EligibilityRule.objects.create(programme=busan, kind="region", params={"regions": ["부산"]})
    a, b = sorted([tech["cloud"].pk, tech["ai"].pk])
    TechnologyPair.objects.create(context="articles", tech_a_id=a, tech_b_id=b, together=40, npmi=0.5)
    client.force_login(official)
    titles = [
        p["title"] for p in client.get(f"/api/v1/landscape/firms/{seoul[-1].pk}/opportunities").json()["programmes"]
    ]
    assert "AI voucher (test)" in titles and "Busan-only AI call (test)" not in titles


def test_pilot_cooccurrence_shows_as_related_technology(client, tech, make_demand):
    for i in range(3):
        make_demand(f"real demand {i} (test)", [tech["drones"], tech["smart-city"]])
    refresh_pilot_pairs()
    body = client.get("/api/v1/technologies/drones/landscape").json()
    assert [r["slug"] for r in body["related_in_pilots"]] == ["smart-city"]


def test_operator_sees_the_figures_in_admin_but_cannot_type_them_in(client, operator, seoul):
    client.force_login(operator)
    assert client.get("/admin/landscape/technologylandscape/").status_code == 200
    assert client.get("/admin/landscape/technologylandscape/add/").status_code == 403


def test_every_figure_in_a_gap_row_is_a_link_to_its_rows(client, seoul):
    import re

    html = client.get(reverse("landscape:gaps")).content.decode()
    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", html, re.S) if 'href="/tech/quantum/"' in r)
    cells = re.findall(r'<td class="num">(.*?)</td>', row, re.S)
    assert len(cells) == 10
    assert all("<a href=" in cell for cell in cells), cells
    for target in [
        "/support/firms/?tech=quantum",
        "/support/programmes/?tech=quantum&amp;open=true",
        "/tech/quantum/#firms",
        "/tech/quantum/#pilots",
        "/tech/quantum/#demands",
    ]:
        assert f'href="{target}"' in row, target


def test_landscape_schemas_keep_their_own_names_in_the_openapi_document(client):
    """Ninja names components by class name: a schema sharing a name with another app's would
    silently describe the other app's responses (it happened with SubscriptionOut)."""
    from ninja import Schema

    from seoulhub.landscape import schemas

    components = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    mine = [c for c in vars(schemas).values() if isinstance(c, type) and issubclass(c, Schema) and c is not Schema]
    used = [c for c in mine if c.__name__ in components]
    assert len(used) >= 10
    for schema in used:
        assert set(components[schema.__name__]["properties"]) == set(schema.model_fields), schema.__name__


def test_the_languages_of_a_technologys_articles_are_named_in_korean(client, seoul, settings):
    settings.LANGUAGE_CODE = "ko"
    TechnologyLandscape.objects.filter(technology__slug="ai").update(languages={"en": 3, "pt": 1, "xx": 1})
    html = client.get(reverse("taxonomy:detail", args=["ai"])).content.decode()
    assert ">영어 3<" in html and ">포르투갈어 1<" in html and ">xx 1<" in html  # an unknown code as it is
