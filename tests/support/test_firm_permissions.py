"""Firm members edit only their own firm, on pages and through the API; operators edit any."""

import json

import pytest

from seoulhub.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def _form(firm, **changes):
    data = {
        "name_ko": firm.name_ko,
        "name_en": firm.name_en,
        "brn": firm.brn or "",
        "district": firm.district_id or "",
        "address": firm.address,
        "ksic": firm.ksic.code if firm.ksic_id else "",
        "founded_on": "",
        "employees": "",
        "revenue_band": "",
        "stage": "",
        "website": "",
        "products": "",
        "description": "",
    }
    data.update(changes)
    return data


def test_a_member_edits_their_own_firm_on_the_page(client, member_firm, firm_member):
    client.force_login(firm_member)
    response = client.post(
        f"/support/firms/{member_firm.pk}/edit/",
        _form(member_firm, brn="124-81-00998", employees="42", founded_on="2019-05-01", certifications=["innobiz"]),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    member_firm.refresh_from_db()
    assert member_firm.employees == 42 and member_firm.certifications == ["innobiz"]


def test_a_member_cannot_edit_another_firm_on_the_page(client, member_firm, make_firm, firm_member):
    other = make_firm("예시 다른기업", brn="1111111119")
    client.force_login(firm_member)
    assert client.get(f"/support/firms/{other.pk}/edit/").status_code == 403
    response = client.post(f"/support/firms/{other.pk}/edit/", _form(other, employees="9999"))
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.employees is None


def test_anonymous_visitors_are_sent_to_sign_in(client, member_firm):
    response = client.get(f"/support/firms/{member_firm.pk}/edit/")
    assert response.status_code == 302 and "/accounts/login" in response["Location"]


def test_an_invalid_registration_number_is_refused_on_the_page(client, member_firm, firm_member):
    client.force_login(firm_member)
    response = client.post(f"/support/firms/{member_firm.pk}/edit/", _form(member_firm, brn="123-45-67890"))
    assert response.status_code == 200
    assert response.context["form"].errors["brn"] == [
        "사업자등록번호 '123-45-67890'의 검증번호가 맞지 않습니다 (마지막 자리는 1여야 합니다)."
    ]
    client.cookies["django_language"] = "en"
    response = client.post(f"/support/firms/{member_firm.pk}/edit/", _form(member_firm, brn="123-45-67890"))
    assert "fails its check digit (the last digit should be 1)" in response.context["form"].errors["brn"][0]
    member_firm.refresh_from_db()
    assert member_firm.brn == "1248100998"


def test_a_duplicate_registration_number_is_refused(client, member_firm, make_firm, firm_member):
    make_firm("예시 다른기업", brn="1111111119")
    client.force_login(firm_member)
    response = client.post(f"/support/firms/{member_firm.pk}/edit/", _form(member_firm, brn="111-11-11119"))
    assert response.status_code == 200 and response.context["form"].errors["brn"]
    member_firm.refresh_from_db()
    assert member_firm.brn == "1248100998"


def _patch(client, firm, body, token=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.patch(f"/api/v1/firms/{firm.pk}", json.dumps(body), content_type="application/json", **headers)


def test_api_member_patches_own_firm_but_not_another(client, member_firm, make_firm, firm_member):
    other = make_firm("예시 다른기업", brn="1111111119")
    _token, raw = ApiToken.issue(firm_member, "test")
    ok = _patch(client, member_firm, {"employees": 30, "technologies": ["ai", "cloud"], "district": "강남구"}, raw)
    assert ok.status_code == 200, ok.content
    assert ok.json()["employees"] == 30 and ok.json()["technologies"] == ["ai", "cloud"]
    assert ok.json()["district"] == "강남구" and ok.json()["brn"] == "124-81-00998"
    refused = _patch(client, other, {"employees": 1}, raw)
    assert refused.status_code == 403 and "members" in refused.json()["message"]
    other.refresh_from_db()
    assert other.employees is None


def test_api_refuses_anonymous_writes_and_bad_values_with_messages(client, member_firm, firm_member):
    assert _patch(client, member_firm, {"employees": 1}).status_code == 401
    _token, raw = ApiToken.issue(firm_member, "test")
    bad_gu = _patch(client, member_firm, {"district": "판교구"}, raw)
    assert bad_gu.status_code == 422 and "25 gu" in bad_gu.json()["message"]
    bad_tech = _patch(client, member_firm, {"technologies": ["warp-drive"]}, raw)
    assert bad_tech.status_code == 422 and "warp-drive" in bad_tech.json()["message"]
    bad_cert = _patch(client, member_firm, {"certifications": ["gold"]}, raw)
    assert bad_cert.status_code == 422 and "certification" in bad_cert.json()["message"]
    member_firm.refresh_from_db()
    assert member_firm.district.name_ko == "마포구" and member_firm.certifications == []


def test_an_operator_may_edit_any_firm(client, member_firm, operator):
    _token, raw = ApiToken.issue(operator, "test")
    assert _patch(client, member_firm, {"employees": 7}, raw).status_code == 200


def test_the_registration_number_is_hidden_from_the_public(client, member_firm):
    assert client.get(f"/api/v1/firms/{member_firm.pk}").json()["brn"] is None
    assert "124-81-00998" not in client.get(f"/support/firms/{member_firm.pk}/").content.decode()


def test_api_member_sets_a_registration_number_checked_and_unique(client, member_firm, make_firm, firm_member):
    make_firm("예시 다른기업", brn="1111111119")
    _token, raw = ApiToken.issue(firm_member, "test")
    wrong = _patch(client, member_firm, {"brn": "123-45-67890"}, raw)
    assert wrong.status_code == 422 and "check digit" in wrong.json()["message"]
    taken = _patch(client, member_firm, {"brn": "111-11-11119"}, raw)
    assert taken.status_code == 422 and "brn" in taken.json()["message"]
    ok = _patch(client, member_firm, {"brn": "123-45-67891"}, raw)
    assert ok.status_code == 200 and ok.json()["brn"] == "123-45-67891"
