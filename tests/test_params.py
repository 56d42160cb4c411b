"""Reading request parameters without trusting them (seoulhub.core.params) and the middleware that
refuses NUL and lone surrogates everywhere."""

import json

import pytest

from seoulhub.core.params import MAX_ID, parse_ids, parse_int, strip_controls


@pytest.mark.parametrize(
    "raw", ["²", "١٢", "99999999999999999999", str(MAX_ID + 1), "-1", "+1", "1e3", "", None, "0", "1.0", " ", "a\x00b"]
)
def test_parse_int_refuses_what_int_or_the_database_would_choke_on(raw):
    assert parse_int(raw) is None


def test_parse_int_reads_ascii_digits_within_the_range():
    assert parse_int("42") == 42 and parse_int(" 7 ") == 7 and parse_int(str(MAX_ID)) == MAX_ID
    assert parse_int("0", minimum=0) == 0 and parse_int("11", maximum=10) is None


def test_parse_ids_keeps_the_valid_ids_once_and_reports_the_others():
    assert parse_ids("3,²,3,,99999999999999999999,4") == ([3, 4], ["²", "99999999999999999999"])
    assert parse_ids(["1", "x"]) == ([1], ["x"])


def test_strip_controls_keeps_tabs_and_line_breaks():
    assert strip_controls("a\x00b\x0bc\x1f\x7fd\te\nf\rg") == "abcd\te\nf\rg"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/support/firms/?q=a%00b",
        "/support/programmes/?q=%00",
        "/radar/?technology=%00",
        "/radar/search?q=%00",
        "/radar/trends/keyword/?term=a%00",
        "/observatory/districts/%00/",
        "/landscape/briefings/a%00b.atom",
        "/radar/subscriptions/feed/%00.atom",
        "/tech/?q=%00",
    ],
)
def test_a_nul_in_a_page_address_is_a_clear_400_in_korean(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "NUL" in response.content.decode() and response["Content-Language"] == "ko"


@pytest.mark.django_db
def test_a_nul_in_a_form_is_refused_before_anything_changes(client, operator):
    from seoulhub.alerts.models import Subscription

    client.force_login(operator)
    response = client.post("/alerts/follow", {"kind": "search", "value": "ai\x00"})
    assert response.status_code == 400
    assert not Subscription.objects.filter(searches__query__contains="ai").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v1/firms?q=a%00b", "/api/v1/articles?q=%00", "/api/v1/programmes?q=%00"])
def test_the_api_answers_a_nul_with_422_and_says_what_is_wrong(client, url):
    response = client.get(url)
    assert response.status_code == 422
    assert "NUL" in response.json()["message"]


@pytest.mark.django_db
def test_the_api_refuses_a_lone_surrogate_in_a_json_body(client, operator):
    client.force_login(operator)
    response = client.put(
        "/api/v1/subscription", data=json.dumps({"searches": ["\ud800"]}), content_type="application/json"
    )
    assert response.status_code == 422 and "surrogate" in response.json()["message"]


@pytest.mark.django_db
def test_a_cookie_holding_a_nul_is_ignored_rather_than_locking_the_browser_out(client):
    client.cookies["sessionid"] = "a\x00b"
    response = client.get("/support/")
    assert response.status_code == 200
