"""Role checks used by views and the API. Superusers count as operators."""

from .models import Role


def user_role(user) -> Role:
    if not getattr(user, "is_authenticated", False):
        return Role.PUBLIC
    if user.is_superuser:
        return Role.OPERATOR
    names = set(user.groups.values_list("name", flat=True)) if not hasattr(user, "_role_names") else user._role_names
    user._role_names = names
    for role in (Role.OPERATOR, Role.OFFICIAL, Role.FIRM_MEMBER):
        if role.value in names:
            return role
    return Role.PUBLIC


def has_role(user, *roles: Role) -> bool:
    role = user_role(user)
    return role in roles or role == Role.OPERATOR


def is_operator(user) -> bool:
    return user_role(user) == Role.OPERATOR


def is_official(user) -> bool:
    return has_role(user, Role.OFFICIAL)
