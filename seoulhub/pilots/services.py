"""Everything that changes a demand or a proposal goes through here, so the web pages and the API
share one set of checks: who may act (roles + capacities), the lifecycle graph, the preconditions
that need data, one transaction per change, an audit entry per transition and e-mail after commit."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext, pgettext_lazy

from seoulhub.accounts.models import Role
from seoulhub.accounts.roles import has_role, is_operator
from seoulhub.core import clock
from seoulhub.support.models import Firm, FirmMember

from . import certificates
from . import lifecycle as lc
from .models import AuditEntry, ConflictDeclaration, Criterion, Demand, Milestone, Proposal, Review, Score
from .partners import is_partner_candidate

log = logging.getLogger(__name__)

# English source words of each state; translated where shown ({% translate %} / gettext).
STATE_LABELS = {
    lc.DRAFT: gettext_noop("draft"),
    lc.SUBMITTED: gettext_noop("submitted"),
    lc.UNDER_REVIEW: gettext_noop("under review"),
    lc.SELECTED: gettext_noop("selected"),
    lc.REJECTED: "rejected",
    lc.RUNNING: gettext_noop("pilot running"),
    lc.EVALUATED: gettext_noop("evaluated"),
    lc.CERTIFIED: gettext_noop("certificate issued"),
    lc.SCALED_UP: gettext_noop("scaled up"),
    lc.WITHDRAWN: gettext_noop("withdrawn"),
}
# "rejected" is worded in its own context (other apps translate the bare word differently);
# this line only makes makemessages extract it.
_EXTRACTED = [pgettext_lazy("pilot state", "rejected")]
ACTION_LABELS = {
    "submit": gettext_noop("submit"),
    "withdraw": gettext_noop("withdraw"),
    "start review": gettext_noop("start review"),
    "select": gettext_noop("select"),
    "reject": gettext_noop("reject"),
    "start pilot": gettext_noop("start pilot"),
    "evaluate": gettext_noop("evaluate"),
    "issue certificate": gettext_noop("issue certificate"),
    "scale up": gettext_noop("scale up"),
}


CAPACITY_LABELS = {
    lc.PROPOSER: gettext_noop("proposing firm"),
    lc.OWNER: gettext_noop("demand's owner"),
    lc.OFFICIAL: gettext_noop("official"),
    lc.OPERATOR: gettext_noop("operator"),
}


class ActionRefused(Exception):
    """A rule of the process refused the action; the message says why and what to do."""


def state_word(state: str) -> str:
    """A state in the active language ("rejected" has its own context: other apps use the word)."""
    if state not in STATE_LABELS:
        return repr(state)
    return pgettext("pilot state", STATE_LABELS[state]) if state == lc.REJECTED else _(STATE_LABELS[state])


def refusal_message(exc: lc.TransitionRefused) -> str:
    """The lifecycle's refusal in the active language, naming the states (codes in brackets)."""
    source = f"{state_word(exc.source)} ({exc.source})"
    target = f"{state_word(exc.target)} ({exc.target})"
    if exc.reason == "no_edge":
        options = ", ".join(f"{state_word(o)} ({o})" for o in exc.options) or _("nothing: this state is final")
        return _("A proposal cannot go from %(source)s to %(target)s. From %(source)s it can go to: %(options)s.") % {
            "source": source,
            "target": target,
            "options": options,
        }
    if exc.reason == "not_permitted":
        who = _(" or ").join(
            _(CAPACITY_LABELS[c])
            for c in (lc.PROPOSER, lc.OWNER, lc.OFFICIAL, lc.OPERATOR)
            if c in exc.transition.allowed
        )
        return _("Only the %(who)s may %(action)s (from %(source)s to %(target)s).") % {
            "who": who,
            "action": _(ACTION_LABELS[exc.transition.action]),
            "source": source,
            "target": target,
        }
    if exc.reason == "needs_note":
        return _("To %(action)s a proposal, give a note saying why.") % {
            "action": _(ACTION_LABELS[exc.transition.action])
        }
    if exc.reason == "unknown_target":
        return _("Unknown state %(target)r; states are: %(states)s.") % {
            "target": exc.target,
            "states": ", ".join(lc.STATES),
        }
    return str(exc)


def member_firm_ids(user) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(FirmMember.objects.filter(user=user).values_list("firm_id", flat=True))


def capacities(user, proposal: Proposal) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    found = set()
    if proposal.lead_firm_id in member_firm_ids(user):
        found.add(lc.PROPOSER)
    if has_role(user, Role.OFFICIAL):
        found.add(lc.OFFICIAL)
        if proposal.demand.posted_by_id == user.pk:
            found.add(lc.OWNER)
    if is_operator(user):
        found.add(lc.OPERATOR)
    return found


def can_view_proposal(user, proposal: Proposal) -> bool:
    """Pilots (selected onwards) are public; earlier stages only for the firms and the city."""
    if proposal.state in lc.PILOT_STATES:
        return True
    if has_role(user, Role.OFFICIAL):
        return True
    firms = {proposal.lead_firm_id, *proposal.partners.values_list("pk", flat=True)}
    return bool(firms & member_firm_ids(user))


def visible_proposals(user, queryset=None):
    queryset = Proposal.objects.all() if queryset is None else queryset
    if has_role(user, Role.OFFICIAL):
        return queryset
    from django.db.models import Q

    mine = member_firm_ids(user)
    return queryset.filter(Q(state__in=lc.PILOT_STATES) | Q(lead_firm_id__in=mine) | Q(partners__in=mine)).distinct()


def can_review(user) -> bool:
    return has_role(user, Role.OFFICIAL)


# --- demands -------------------------------------------------------------------------------


def create_demand(user, *, criteria: list[tuple[str, int]], technologies=(), **fields) -> Demand:
    if not has_role(user, Role.OFFICIAL):
        raise PermissionDenied(_("Only city officials and operators may post demands."))
    if not criteria:
        raise ActionRefused(_("Give at least one evaluation criterion (name and weight)."))
    names = [name.strip() for name, _ in criteria]
    if any(not name for name in names) or len(set(names)) != len(names):
        raise ActionRefused(_("Each evaluation criterion needs a name, and names must differ."))
    if any(not (1 <= int(weight) <= 100) for _, weight in criteria):
        raise ActionRefused(_("Criterion weights are percentages from 1 to 100."))
    with transaction.atomic():
        demand = Demand(posted_by=user, **fields)
        demand.full_clean()
        demand.save()
        demand.technologies.set(technologies)
        Criterion.objects.bulk_create(
            [Criterion(demand=demand, name=n, weight=int(w)) for n, (_, w) in zip(names, criteria)]
        )
    return demand


# --- proposals -----------------------------------------------------------------------------


def create_proposal(user, demand: Demand, lead_firm: Firm, *, partners=(), technologies=(), **fields) -> Proposal:
    if lead_firm.pk not in member_firm_ids(user):
        raise PermissionDenied(_("You can propose only for a firm you are a member of."))
    if not demand.is_open():
        raise ActionRefused(_("This demand is not open for proposals."))
    partners = [p for p in partners if p.pk != lead_firm.pk]
    shells = [p.name for p in partners if not is_partner_candidate(p)]
    if shells:
        raise ActionRefused(
            _("Special purpose acquisition companies (SPACs) and REITs cannot be pilot partners: %(firms)s.")
            % {"firms": ", ".join(shells)}
        )
    with transaction.atomic():
        proposal = Proposal(demand=demand, lead_firm=lead_firm, created_by=user, **fields)
        proposal.full_clean()
        proposal.save()
        proposal.partners.set(partners)
        proposal.technologies.set(technologies or demand.technologies.all())
        _audit(proposal, user, lc.PROPOSER, "", lc.DRAFT, "")
    return proposal


def _audit(proposal, user, capacity: str, source: str, target: str, note: str) -> AuditEntry:
    name = user.get_username() if user is not None else "system"
    return AuditEntry.objects.create(
        proposal=proposal, actor=user, actor_name=name, capacity=capacity, from_state=source, to_state=target, note=note
    )


def _day(value) -> str:
    return value.strftime("%Y-%m-%d")


def _open_milestones(proposal: Proposal) -> list[str]:
    return list(proposal.milestones.filter(done_on__isnull=True).values_list("title", flat=True))


def _preconditions(proposal: Proposal, target: str, outcome: str) -> None:
    """Data and date rules of each step. "Today" is the hub's clock (the demo's reference date)."""
    today, demand = clock.today(), proposal.demand
    if target == lc.SUBMITTED:
        if not demand.is_open():
            raise ActionRefused(_("The demand is no longer open, so the proposal cannot be submitted."))
        if not proposal.summary.strip():
            raise ActionRefused(_("Write a summary before submitting."))
    elif target == lc.SELECTED:
        if not proposal.reviews.exists():
            raise ActionRefused(_("A proposal can be selected only after at least one review."))
    elif target == lc.RUNNING:
        if not proposal.milestones.exists() or not proposal.kpis.exists():
            raise ActionRefused(_("Add at least one milestone and one KPI before starting the pilot."))
        if demand.pilot_starts_on and today < demand.pilot_starts_on:
            raise ActionRefused(
                _("The pilot is planned to start on %(start)s; it cannot be started before then (today is %(today)s).")
                % {"start": _day(demand.pilot_starts_on), "today": _day(today)}
            )
    elif target == lc.EVALUATED:
        if outcome not in Proposal.Outcome.values:
            raise ActionRefused(_("Give the evaluation outcome: success, partial or failure."))
        if proposal.kpis.filter(actual__isnull=True).exists():
            raise ActionRefused(_("Record the actual value of every KPI before evaluating."))
        _must_have_run(proposal, today, lc.EVALUATED)
    elif target == lc.CERTIFIED:
        if proposal.outcome == Proposal.Outcome.FAILURE:
            raise ActionRefused(_("An unsuccessful pilot gets no certificate."))
        _must_have_run(proposal, today, lc.CERTIFIED)


def _must_have_run(proposal: Proposal, today, target: str) -> None:
    """A pilot is judged only after it has run: its planned end has come and no milestone is open."""
    ends = proposal.demand.pilot_ends_on
    if ends and today < ends:
        message = (
            _("The pilot runs until %(end)s, so it cannot be evaluated yet (today is %(today)s).")
            if target == lc.EVALUATED
            else _("The pilot runs until %(end)s, so no certificate can be issued yet (today is %(today)s).")
        )
        raise ActionRefused(message % {"end": _day(ends), "today": _day(today)})
    still_open = _open_milestones(proposal)
    if still_open:
        message = (
            _(
                "The pilot has an open milestone, so it cannot be evaluated. Mark these milestones done "
                "first: %(titles)s."
            )
            if target == lc.EVALUATED
            else _(
                "The pilot has an open milestone, so no certificate can be issued. Mark these milestones "
                "done first: %(titles)s."
            )
        )
        raise ActionRefused(message % {"titles": ", ".join(still_open)})


def transition(
    proposal_id: int, target: str, user, note: str = "", outcome: str = "", evaluation: str = ""
) -> Proposal:
    """Move a proposal to `target`, or raise ActionRefused / PermissionDenied with the reason.
    One transaction: the state, the audit entry and the side data change together or not at all."""
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().select_related("demand").get(pk=proposal_id)
        source = proposal.state
        held = capacities(user, proposal)
        try:
            step = lc.check(source, target, held, note)
        except lc.NotPermitted as exc:
            raise PermissionDenied(refusal_message(exc)) from exc
        except lc.IllegalTransition as exc:
            raise ActionRefused(refusal_message(exc)) from exc
        _preconditions(proposal, target, outcome)
        if target == lc.EVALUATED:
            proposal.outcome, proposal.evaluation = outcome, evaluation
        if target == lc.CERTIFIED:
            today = clock.today()
            proposal.certificate_issued_on = today
            proposal.certificate_number = f"SDH-PILOT-{today.year}-{proposal.pk:05d}"
            proposal.certificate_code = _unused_certificate_code()
        proposal.state = target
        proposal.save()
        acting = next(c for c in (lc.OWNER, lc.OPERATOR, lc.PROPOSER, lc.OFFICIAL) if c in step.allowed & held)
        entry = _audit(proposal, user, acting, source, target, note)
        transaction.on_commit(lambda: notify(entry.pk))
    return proposal


def _unused_certificate_code() -> str:
    while True:  # 80 random bits: a collision is practically impossible, but never reuse a code
        code = certificates.new_code()
        if not Proposal.objects.filter(certificate_code=code).exists():
            return code


def certificate_for_code(text: str) -> Proposal | None:
    """The certified pilot a printed verification code belongs to, or None."""
    code = certificates.normalise(text)
    if code is None:
        return None
    return (
        Proposal.objects.select_related("demand", "lead_firm")
        .exclude(certificate_number="")
        .filter(certificate_code=code)
        .first()
    )


def can_view_certificate(user, proposal: Proposal) -> bool:
    """The printable certificate (with its code) is for the pilot's firms and the city; anyone
    else confirms a certificate they were shown through its verification code."""
    if not proposal.has_certificate:
        return False
    return has_role(user, Role.OFFICIAL) or _firm_member_of(user, proposal)


# --- pilot plan: milestones and KPI actuals ---------------------------------------------------

PLAN_STATES = (lc.SELECTED, lc.RUNNING)


def _check_plan(proposal: Proposal, user) -> None:
    proposal.refresh_from_db(fields=["state"])
    if not capacities(user, proposal) & {lc.OWNER, lc.OPERATOR}:
        raise PermissionDenied(_("Only the demand's owner or an operator plans and measures a pilot."))
    if proposal.state not in PLAN_STATES:
        raise ActionRefused(_("Milestones and KPIs are set while a pilot is selected or running."))


def _check_done_on(proposal: Proposal, done_on) -> None:
    if done_on is None:
        return
    if proposal.state != lc.RUNNING:
        raise ActionRefused(_("A milestone is marked done while the pilot is running, not before it starts."))
    if done_on > clock.today():
        raise ActionRefused(
            _("A milestone cannot be done on a future day (%(day)s; today is %(today)s).")
            % {"day": _day(done_on), "today": _day(clock.today())}
        )


def add_milestone(proposal: Proposal, user, *, title: str, due_on, done_on=None) -> Milestone:
    _check_plan(proposal, user)
    _check_done_on(proposal, done_on)
    return Milestone.objects.create(proposal=proposal, title=title, due_on=due_on, done_on=done_on)


def mark_milestone_done(proposal: Proposal, milestone: Milestone, user, done_on) -> Milestone:
    _check_plan(proposal, user)
    if done_on is None:
        raise ActionRefused(_("Give the day the milestone was done."))
    _check_done_on(proposal, done_on)
    milestone.done_on = done_on
    milestone.save(update_fields=["done_on"])
    return milestone


def record_kpi_actual(proposal: Proposal, kpi, user, actual: float):
    _check_plan(proposal, user)
    if proposal.state != lc.RUNNING:
        raise ActionRefused(_("A KPI's actual value is recorded once the pilot is running."))
    kpi.actual = actual
    kpi.save(update_fields=["actual"])
    return kpi


def notify(entry_id: int) -> int:
    """E-mail everyone concerned about one transition; a mail failure never undoes the transition."""
    entry = AuditEntry.objects.select_related("proposal__demand__posted_by", "proposal__created_by").get(pk=entry_id)
    proposal = entry.proposal
    users = {proposal.created_by, proposal.demand.posted_by}
    users |= {m.user for m in FirmMember.objects.filter(firm_id=proposal.lead_firm_id).select_related("user")}
    recipients = sorted({u.email for u in users if u is not None and u.email})
    if not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "entry": entry,
            "proposal": proposal,
            "site_url": settings.SITE_URL,
            "from_label": state_word(entry.from_state) if entry.from_state else "—",
            "to_label": state_word(entry.to_state),
        }
        subject = render_to_string("pilots/email/transition_subject.txt", context).strip()
        body = render_to_string("pilots/email/transition.txt", context)
    try:
        return send_mail(subject, body, None, recipients)
    except Exception:  # the SMTP server being down must not lose the (already committed) transition
        log.exception("could not send the e-mail for audit entry %s", entry_id)
        return 0


# --- reviews -------------------------------------------------------------------------------


def _firm_member_of(user, proposal: Proposal) -> bool:
    firms = {proposal.lead_firm_id, *proposal.partners.values_list("pk", flat=True)}
    return bool(firms & member_firm_ids(user))


def declare_conflict(proposal: Proposal, reviewer, has_conflict: bool, statement: str = "") -> ConflictDeclaration:
    if not can_review(reviewer):
        raise PermissionDenied(_("Only city officials and operators review proposals."))
    proposal.refresh_from_db(fields=["state"])
    if proposal.state not in (lc.SUBMITTED, lc.UNDER_REVIEW):
        raise ActionRefused(_("Conflicts of interest are declared while a proposal is submitted or under review."))
    if not has_conflict and _firm_member_of(reviewer, proposal):
        raise ActionRefused(_("You are a member of a firm in this proposal: that is a conflict of interest."))
    if has_conflict and not statement.strip():
        raise ActionRefused(_("Describe the conflict of interest."))
    with transaction.atomic():
        if ConflictDeclaration.objects.filter(proposal=proposal, reviewer=reviewer).exists():
            raise ActionRefused(_("You have already declared for this proposal; declarations cannot be changed."))
        return ConflictDeclaration.objects.create(
            proposal=proposal, reviewer=reviewer, has_conflict=has_conflict, statement=statement
        )


def weighted_total(scores: dict[int, int], weights: dict[int, int]) -> float:
    """0-100: each criterion's score (0-5) scaled to its weight, over the sum of weights."""
    return round(100 * sum(weights[c] * scores[c] / 5 for c in weights) / sum(weights.values()), 2)


def submit_review(proposal: Proposal, reviewer, scores: dict[int, int], comment: str = "") -> Review:
    if not can_review(reviewer):
        raise PermissionDenied(_("Only city officials and operators review proposals."))
    proposal.refresh_from_db(fields=["state"])
    if proposal.state != lc.UNDER_REVIEW:
        raise ActionRefused(_("Proposals are scored only while under review."))
    declaration = ConflictDeclaration.objects.filter(proposal=proposal, reviewer=reviewer).first()
    if declaration is None:
        raise ActionRefused(_("Declare any conflict of interest before scoring."))
    if declaration.has_conflict:
        raise PermissionDenied(_("You declared a conflict of interest, so you cannot score this proposal."))
    weights = dict(Criterion.objects.filter(demand=proposal.demand_id).values_list("pk", "weight"))
    if not weights:
        raise ActionRefused(_("This demand has no evaluation criteria; its owner must add them first."))
    scores = {int(k): v for k, v in scores.items()}
    if set(scores) != set(weights):
        raise ActionRefused(_("Score every criterion of the demand, and only those."))
    if any(not isinstance(v, int) or isinstance(v, bool) or not 0 <= v <= 5 for v in scores.values()):
        raise ActionRefused(_("Each score is a whole number from 0 to 5."))
    with transaction.atomic():
        if Review.objects.filter(proposal=proposal, reviewer=reviewer).exists():
            raise ActionRefused(_("You have already reviewed this proposal."))
        review = Review.objects.create(
            proposal=proposal, reviewer=reviewer, comment=comment, total=weighted_total(scores, weights)
        )
        Score.objects.bulk_create([Score(review=review, criterion_id=c, score=s) for c, s in scores.items()])
    return review


def validation_message(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "; ".join(f"{field}: {' '.join(map(str, msgs))}" for field, msgs in exc.message_dict.items())
    return " ".join(map(str, exc.messages))
