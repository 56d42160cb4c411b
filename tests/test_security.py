"""Cross-cutting security checks: CSRF on every form, escaping of user-entered text, headers."""

import pytest
from django.test import Client

from seoulhub.taxonomy.models import Technology

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict_client():
    return Client(enforce_csrf_checks=True)


def test_forms_without_the_csrf_token_are_refused(strict_client, firm_member):
    assert strict_client.post("/i18n/setlang/", {"language": "en"}).status_code == 403
    assert (
        strict_client.post("/accounts/login/", {"username": "member", "password": "pw-for-tests-1"}).status_code == 403
    )
    strict_client.force_login(firm_member)
    assert strict_client.post("/accounts/tokens/", {"name": "x"}).status_code == 403
    assert not firm_member.api_tokens.exists()


def test_forms_with_the_csrf_token_are_accepted(strict_client):
    strict_client.get("/")
    token = strict_client.cookies["csrftoken"].value
    response = strict_client.post("/i18n/setlang/", {"language": "en", "next": "/"}, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 302


def test_text_entered_by_operators_is_escaped_on_pages(client):
    Technology.objects.filter(slug="fintech").update(name_ko='<script>alert("x")</script>핀테크')
    for path in ["/tech/", "/tech/fintech/"]:
        html = client.get(path).content.decode()
        assert '<script>alert("x")</script>' not in html, path
        assert "&lt;script&gt;" in html, path


def test_pages_send_protective_headers(client):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_oversized_request_bodies_are_refused(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = client.post("/accounts/login/", {"username": "x" * 5000, "password": "y"})
    assert response.status_code == 400
