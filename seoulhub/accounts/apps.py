from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

HUB_APPS = {"core", "accounts", "taxonomy", "radar", "support", "pilots", "observatory", "landscape"}


def ensure_role_groups(sender, using="default", **kwargs):
    """Every role has its group; operators hold every permission on the hub's own models
    (re-run after each migrate, so models added later are covered)."""
    from django.contrib.auth.models import Group, Permission

    from .models import Role

    for role in (Role.OPERATOR, Role.OFFICIAL, Role.FIRM_MEMBER):
        Group.objects.using(using).get_or_create(name=role.value)
    operator = Group.objects.using(using).get(name=Role.OPERATOR.value)
    operator.permissions.add(*Permission.objects.using(using).filter(content_type__app_label__in=HUB_APPS))


class AccountsConfig(AppConfig):
    name = "seoulhub.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self):
        post_migrate.connect(ensure_role_groups, dispatch_uid="seoulhub-role-groups")
