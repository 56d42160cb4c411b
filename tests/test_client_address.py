"""Which client sent a request: X-Forwarded-For counts only past trusted proxies
(SEOULHUB_TRUSTED_PROXIES), for the API throttles and the sign-in limiter alike."""

import logging

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from seoulhub.accounts.ratelimit import client_ip

PROXY = "10.0.0.5"


def request(remote: str = PROXY, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(settings):
    settings.SEOULHUB_TRUSTED_PROXIES = 0
    assert client_ip(request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_a_count_of_proxies_reads_the_header_from_the_right(settings):
    settings.SEOULHUB_TRUSTED_PROXIES = 1
    # The client invented "1.1.1.1"; nginx appended the address it really came from.
    assert client_ip(request(PROXY, "1.1.1.1, 198.51.100.7")) == "198.51.100.7"
    assert client_ip(request(PROXY)) == PROXY  # a request to the proxy's own address
    settings.SEOULHUB_TRUSTED_PROXIES = 2
    assert client_ip(request(PROXY, "1.1.1.1, 198.51.100.7, 10.0.0.9")) == "198.51.100.7"
    assert client_ip(request(PROXY, "198.51.100.7:5123")) == "198.51.100.7"


def test_trusted_networks_are_skipped_and_only_they(settings):
    settings.SEOULHUB_TRUSTED_PROXIES = ["10.0.0.0/8", "2001:db8::/32"]
    assert client_ip(request(PROXY, "1.1.1.1, 198.51.100.7, 10.1.2.3")) == "198.51.100.7"
    assert client_ip(request("2001:db8::1", "[2001:db8:1::2]:443, 2606:4700::1111")) == "2606:4700::1111"
    # A direct client that is not a trusted proxy cannot choose its address.
    assert client_ip(request("203.0.113.9", "198.51.100.7")) == "203.0.113.9"
    assert client_ip(request(PROXY, "10.9.9.9")) == "10.9.9.9"  # every hop inside: the first


@pytest.mark.parametrize("value, expected", [("", 0), ("2", 2), ("10.0.0.0/8, 127.0.0.1", ["10.0.0.0/8", "127.0.0.1"])])
def test_the_setting_reads_a_count_or_networks(monkeypatch, value, expected):
    from seoulhub.settings import _trusted_proxies

    monkeypatch.setenv("SEOULHUB_TRUSTED_PROXIES", value)
    assert _trusted_proxies("SEOULHUB_TRUSTED_PROXIES") == expected


def test_the_setting_refuses_what_is_not_a_network(monkeypatch):
    from seoulhub.settings import _trusted_proxies

    monkeypatch.setenv("SEOULHUB_TRUSTED_PROXIES", "nginx")
    with pytest.raises(ImproperlyConfigured, match="'nginx' is neither"):
        _trusted_proxies("SEOULHUB_TRUSTED_PROXIES")


@pytest.fixture
def anon_limit_of_3():
    from seoulhub.api import api

    anon = next(t for t in api.throttle if t.scope == "anon")
    limit = anon.num_requests
    anon.num_requests = 3
    yield
    anon.num_requests = limit


@pytest.mark.django_db
def test_an_invented_forwarded_header_does_not_escape_the_api_limit(client, settings, anon_limit_of_3):
    settings.SEOULHUB_TRUSTED_PROXIES = 0
    statuses = [
        client.get("/api/v1/districts", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
        for n in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]


@pytest.mark.django_db
def test_behind_a_trusted_proxy_each_client_has_its_own_api_limit(client, settings, anon_limit_of_3):
    settings.SEOULHUB_TRUSTED_PROXIES = [PROXY]

    def get(address):
        return client.get("/api/v1/districts", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address).status_code

    assert [get("198.51.100.1") for _ in range(4)] == [200, 200, 200, 429]
    assert get("198.51.100.2") == 200  # another client behind the same proxy
    assert get("6.6.6.6, 198.51.100.1") == 429  # an invented left entry changes nothing


def sign_in(client, username, password, address):
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=address,
    ).status_code


@pytest.mark.django_db
def test_wrong_passwords_lock_one_account_for_one_client_not_everyone_behind_the_proxy(
    client, settings, make_user, caplog
):
    settings.SEOULHUB_TRUSTED_PROXIES = 1
    make_user("alice")
    make_user("bob")
    with caplog.at_level(logging.WARNING, logger="seoulhub.accounts"):
        statuses = [sign_in(client, "alice", "wrong", "198.51.100.1") for _ in range(11)]
    assert statuses[:10] == [200] * 10 and statuses[10] == 429
    assert "too many attempts from 198.51.100.1" in caplog.text  # the log names the real client
    assert sign_in(client, "Alice", "wrong", "198.51.100.1") == 429  # the same account, however spelt
    assert sign_in(client, "bob", "pw-for-tests-1", "198.51.100.1") == 302  # another account
    client.logout()
    assert sign_in(client, "alice", "pw-for-tests-1", "198.51.100.2") == 302  # another client behind the proxy


@pytest.mark.django_db
def test_one_client_trying_many_accounts_is_limited_too(client, settings, monkeypatch):
    from seoulhub.accounts import views

    monkeypatch.setattr(views, "LOGIN_ATTEMPTS_PER_CLIENT_PER_MINUTE", 5)
    settings.SEOULHUB_TRUSTED_PROXIES = 1
    statuses = [sign_in(client, f"user{n}", "wrong", "198.51.100.1") for n in range(6)]
    assert statuses == [200] * 5 + [429]
    assert sign_in(client, "user9", "wrong", "198.51.100.2") == 200
