"""Firm membership: a person asks to act for a firm, an operator or the firm's admin decides.

A request names a firm of the registry, or a new firm (name, 사업자등록번호, district). The new
firm is created only when the request is approved: until a person has looked at it, it is not in
the registry, the matcher or the exports (no "unpublished" flag for every list to remember).
Its requester becomes the firm's first admin. Every decision is mailed in a task, after commit."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from seoulhub.accounts.roles import is_operator

from . import firm_audit
from .models import Firm, FirmChange, FirmMember, MembershipRequest

log = logging.getLogger("seoulhub.support")


class MembershipRefused(Exception):
    """A request or decision that cannot be made; the message is for the person on the page."""


class FirmAlreadyRegistered(MembershipRefused):
    """A new firm's registration number belongs to a firm of the registry: join that one."""

    def __init__(self, message: str, firm: Firm):
        super().__init__(message)
        self.firm = firm


def is_firm_admin(user, firm: Firm | None) -> bool:
    if firm is None or not getattr(user, "is_authenticated", False):
        return False
    return FirmMember.objects.filter(firm=firm, user=user, role=FirmMember.MemberRole.ADMIN).exists()


def is_member(user, firm: Firm) -> bool:
    return getattr(user, "is_authenticated", False) and FirmMember.objects.filter(firm=firm, user=user).exists()


def can_decide(user, request: MembershipRequest) -> bool:
    """Operators decide every request; a firm's admins decide requests to join their firm.
    Nobody decides their own request."""
    if not getattr(user, "is_authenticated", False) or request.user_id == user.pk:
        return False
    return is_operator(user) or is_firm_admin(user, request.firm)


def requests_to_decide(user):
    """The pending requests this user may decide, oldest first."""
    pending = MembershipRequest.objects.filter(status=MembershipRequest.Status.PENDING).exclude(user=user)
    pending = pending.select_related("user", "firm", "new_district").order_by("created_at", "pk")
    if is_operator(user):
        return pending
    admin_of = FirmMember.objects.filter(user=user, role=FirmMember.MemberRole.ADMIN).values("firm_id")
    return pending.filter(firm_id__in=admin_of)


# Each request mails a firm's administrators or the operators: a person waits for decisions
# before asking more firms.
MAX_PENDING_PER_PERSON = 5


def _check_pending_limit(user) -> None:
    pending = MembershipRequest.objects.filter(user=user, status=MembershipRequest.Status.PENDING).count()
    if pending >= MAX_PENDING_PER_PERSON:
        raise MembershipRefused(
            _("You have %(count)s requests waiting for a decision; wait for them before asking again.")
            % {"count": pending}
        )


def _create(**fields) -> MembershipRequest:
    try:
        with transaction.atomic():
            return MembershipRequest.objects.create(**fields)
    except IntegrityError as exc:  # a second click at the same moment: the constraint decides
        raise MembershipRefused(_("You have already asked to join this firm; the request is pending.")) from exc


def request_existing(user, firm: Firm, message: str = "") -> MembershipRequest:
    if is_member(user, firm):
        raise MembershipRefused(_("You are already a member of %(firm)s.") % {"firm": firm.name})
    if MembershipRequest.objects.filter(user=user, firm=firm, status=MembershipRequest.Status.PENDING).exists():
        raise MembershipRefused(_("You have already asked to join this firm; the request is pending."))
    _check_pending_limit(user)
    created = _create(user=user, firm=firm, message=message)
    transaction.on_commit(lambda: _enqueue_mail(created.pk, "requested"))
    return created


def registered_firm(brn: str) -> Firm | None:
    return Firm.objects.filter(brn=brn).first()


def request_new(user, name_ko: str, brn: str, district=None, message: str = "") -> MembershipRequest:
    """`brn` is already validated and normalised (10 digits)."""
    existing = registered_firm(brn)
    if existing is not None:
        raise FirmAlreadyRegistered(
            _(
                "A firm with this business registration number is already in the registry: %(firm)s. "
                "Ask to join it instead."
            )
            % {"firm": existing.name},
            existing,
        )
    pending = MembershipRequest.objects.filter(
        user=user, firm__isnull=True, new_brn=brn, status=MembershipRequest.Status.PENDING
    )
    if pending.exists():
        raise MembershipRefused(_("You have already asked to register this firm; the request is pending."))
    _check_pending_limit(user)
    created = _create(user=user, new_name_ko=name_ko, new_brn=brn, new_district=district, message=message)
    transaction.on_commit(lambda: _enqueue_mail(created.pk, "requested"))
    return created


def _locked_pending(request: MembershipRequest) -> MembershipRequest:
    locked = MembershipRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != MembershipRequest.Status.PENDING:
        raise MembershipRefused(
            _("This request was already decided (%(status)s).") % {"status": locked.get_status_display()}
        )
    return locked


def approve(request: MembershipRequest, decider, role: str = "", note: str = "") -> FirmMember:
    """Make the requester a member (a new firm: create it, with the requester as its admin)."""
    if not can_decide(decider, request):
        raise MembershipRefused(_("Only a hub operator or an administrator of this firm may decide this request."))
    if role and role not in FirmMember.MemberRole.values:
        raise MembershipRefused(
            _("'%(role)s' is not a member role; choose administrator or member.") % {"role": role[:20]}
        )
    with transaction.atomic():
        locked = _locked_pending(request)
        if locked.is_new_firm:
            firm = _create_firm(locked, decider)
            role = FirmMember.MemberRole.ADMIN  # someone must be able to admit the next members
        else:
            firm = locked.firm
            if not role:
                has_admin = firm.members.filter(role=FirmMember.MemberRole.ADMIN).exists()
                role = FirmMember.MemberRole.MEMBER if has_admin else FirmMember.MemberRole.ADMIN
        member, created = FirmMember.objects.get_or_create(firm=firm, user=locked.user, defaults={"role": role})
        if not created and member.role != role and role == FirmMember.MemberRole.ADMIN:
            member.role = role
            member.save(update_fields=["role"])
        _give_firm_member_role(locked.user)
        locked.firm = firm
        locked.status = MembershipRequest.Status.APPROVED
        locked.role = member.role
        locked.note = note
        locked.decided_by = decider
        locked.decided_at = timezone.now()  # bookkeeping: the real clock, as created_at (core/clock.py)
        locked.save()
        transaction.on_commit(lambda: _enqueue_mail(locked.pk, "decided"))
    request.refresh_from_db()
    return member


def _give_firm_member_role(user) -> None:
    """A person with no role yet gets the firm-member role (the group that names it); an official
    or an operator keeps theirs."""
    from django.contrib.auth.models import Group

    from seoulhub.accounts.models import Role
    from seoulhub.accounts.roles import user_role

    if user_role(user) == Role.PUBLIC:
        user.groups.add(Group.objects.get_or_create(name=Role.FIRM_MEMBER.value)[0])


def _create_firm(request: MembershipRequest, decider) -> Firm:
    existing = registered_firm(request.new_brn)
    if existing is not None:
        raise MembershipRefused(
            _(
                "Since this request was made, %(firm)s was registered with the same business registration "
                "number. Reject this request and ask the person to join that firm."
            )
            % {"firm": existing.name}
        )
    firm = Firm.objects.create(
        name_ko=request.new_name_ko,
        brn=request.new_brn,
        district=request.new_district,
        province="서울특별시" if request.new_district_id else "",
        source=Firm.Source.MANUAL,
        source_ref=f"membership request {request.pk}",
        provenance=f"registered by {request.user.get_username()} (membership request {request.pk}), "
        f"approved by {decider.get_username()}",
    )
    firm_audit.record(firm, dict.fromkeys(firm_audit.AUDITED_FIELDS, ""), decider, FirmChange.Via.MEMBERSHIP)
    from .tasks import enrich_firm

    transaction.on_commit(lambda: enrich_firm.enqueue(firm.pk))
    return firm


def reject(request: MembershipRequest, decider, note: str = "") -> MembershipRequest:
    if not can_decide(decider, request):
        raise MembershipRefused(_("Only a hub operator or an administrator of this firm may decide this request."))
    with transaction.atomic():
        locked = _locked_pending(request)
        locked.status = MembershipRequest.Status.REJECTED
        locked.note = note
        locked.decided_by = decider
        locked.decided_at = timezone.now()  # bookkeeping: the real clock, as created_at (core/clock.py)
        locked.save()
        transaction.on_commit(lambda: _enqueue_mail(locked.pk, "decided"))
    request.refresh_from_db()
    return request


# --- e-mail ---------------------------------------------------------------------------------


def _enqueue_mail(request_id: int, event: str) -> None:
    from .tasks import send_membership_mail

    try:
        send_membership_mail.enqueue(request_id, event)
    except Exception:  # the queue being down must not undo a committed decision
        log.exception("could not queue the membership e-mail for request %s", request_id)


def _deciders_emails(request: MembershipRequest) -> list[str]:
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(is_active=True).exclude(email="").exclude(pk=request.user_id)
    if request.firm_id:
        admins = users.filter(
            firm_memberships__firm_id=request.firm_id, firm_memberships__role=FirmMember.MemberRole.ADMIN
        )
        if admins.exists():
            return sorted(set(admins.values_list("email", flat=True)))
    from django.db.models import Q

    operators = users.filter(Q(is_superuser=True) | Q(groups__name="operator"))
    return sorted(set(operators.values_list("email", flat=True)))


def send_mail_for(request_id: int, event: str) -> int:
    """`requested`: tell those who can decide (the firm's admins, else the operators);
    `decided`: tell the requester. Returns the number of messages sent."""
    request = MembershipRequest.objects.select_related("user", "firm", "decided_by").filter(pk=request_id).first()
    if request is None:
        return 0
    if event == "requested":
        recipients = _deciders_emails(request)
    else:
        recipients = [request.user.email] if request.user.email else []
    if not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        context = {"request": request, "event": event, "site_url": settings.SITE_URL}
        subject = render_to_string("support/membership/email_subject.txt", context).strip()
        body = render_to_string("support/membership/email.txt", context)
    return send_mail(subject, body, None, recipients)
