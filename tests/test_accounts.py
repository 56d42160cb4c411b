import pytest
from django.core.cache import cache

from seoulhub.accounts.models import ApiToken, Role
from seoulhub.accounts.roles import has_role, user_role

pytestmark = pytest.mark.django_db


def test_roles_come_from_groups(make_user, operator, official, firm_member):
    assert user_role(operator) == Role.OPERATOR
    assert user_role(official) == Role.OFFICIAL
    assert user_role(firm_member) == Role.FIRM_MEMBER
    assert user_role(make_user("nobody")) == Role.PUBLIC
    assert has_role(operator, Role.OFFICIAL)  # operators may do what officials do
    assert not has_role(firm_member, Role.OFFICIAL)


def test_operator_group_holds_hub_permissions_after_migrate():
    from django.contrib.auth.models import Group

    perms = set(Group.objects.get(name="operator").permissions.values_list("codename", flat=True))
    assert {"change_technology", "add_district"} <= perms


def test_token_is_stored_hashed_shown_once_and_revocable(client, firm_member):
    client.force_login(firm_member)
    page = client.post("/accounts/tokens/", {"name": "laptop"}).content.decode()
    token = ApiToken.objects.get(user=firm_member)
    raw = page.split('<code class="token">')[1].split("</code>")[0]
    assert raw.startswith("shub_") and raw not in token.key_hash
    assert ApiToken.authenticate(raw) == firm_member
    client.post(f"/accounts/tokens/{token.pk}/revoke/")
    assert ApiToken.authenticate(raw) is None


def test_another_users_token_cannot_be_revoked(client, firm_member, official):
    token, _raw = ApiToken.issue(official, "theirs")
    client.force_login(firm_member)
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404


def test_login_is_rate_limited(client, make_user):
    cache.clear()
    make_user("someone")
    statuses = [
        client.post("/accounts/login/", {"username": "someone", "password": "wrong"}).status_code for _ in range(12)
    ]
    assert statuses[0] == 200 and statuses[-1] == 429
    cache.clear()


def test_login_works_with_the_right_password(client, make_user):
    cache.clear()
    make_user("someone")
    response = client.post("/accounts/login/", {"username": "someone", "password": "pw-for-tests-1"})
    assert response.status_code == 302


def test_login_limit_holds_across_a_window_boundary():
    """A burst split over two fixed windows must not get twice the limit."""
    from seoulhub.accounts.ratelimit import hit

    cache.clear()
    allowed_before = [hit("boundary", 10, 60, now=6000.0 + 59.0 + i * 0.05) for i in range(10)]
    allowed_after = [hit("boundary", 10, 60, now=6060.0 + 0.5 + i * 0.05) for i in range(10)]
    assert all(allowed_before)
    assert not any(allowed_after)
    # Once a whole window has passed, the address may try again.
    assert hit("boundary", 10, 60, now=6180.0)
    cache.clear()
