"""Who may do what with firms: members edit only their own firm; operators edit any."""

from seoulhub.accounts.roles import is_operator


def can_edit_firm(user, firm) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if is_operator(user):
        return True
    return firm.members.filter(user=user).exists()


def firms_of(user):
    from .models import Firm

    if not getattr(user, "is_authenticated", False):
        return Firm.objects.none()
    return Firm.objects.filter(members__user=user).distinct()
