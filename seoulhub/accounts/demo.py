"""Example accounts for the local demo only (never in production): one per role, labelled as
examples, with a password printed in the README."""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import translation

from .models import Role

DEMO_PASSWORD = "seoulhub-demo"
DEMO_USERS = [
    ("operator", Role.OPERATOR, True),
    ("official", Role.OFFICIAL, False),
    ("firm", Role.FIRM_MEMBER, False),
]


def load(log) -> dict[str, int]:
    if settings.PRODUCTION:
        log("accounts: production mode, no example accounts created")
        return {"example users created": 0}
    User = get_user_model()
    created = 0
    for username, role, staff in DEMO_USERS:
        # The name shows in every page's header: Korean, and labelled 예시 like every example.
        with translation.override("ko"):
            last_name = str(role.label)
        user, was_created = User.objects.get_or_create(
            username=username, defaults={"is_staff": staff, "first_name": "예시", "last_name": last_name}
        )
        if not was_created and EmailAddress.objects.filter(user=user).exists():
            # Someone's own account (sign-up never generates these names, but an operator may
            # rename one): a role is never handed to it from here.
            log(f"accounts: {username!r} is a signed-up account, not an example; its role is left alone")
            continue
        if was_created:
            user.set_password(DEMO_PASSWORD)
            user.save()
            created += 1
        user.groups.add(Group.objects.get(name=role.value))
    return {"example users created": created}
