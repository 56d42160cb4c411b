"""Demands, proposals, reviews and transitions through the service layer on the real database."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from seoulhub.accounts.models import Role
from seoulhub.core import clock
from seoulhub.pilots import lifecycle as lc
from seoulhub.pilots import services
from seoulhub.pilots.models import AuditEntry, Kpi, Milestone, Proposal

pytestmark = pytest.mark.django_db


def advance(proposal, user, *targets, **kwargs):
    for target in targets:
        proposal = services.transition(proposal.pk, target, user, **kwargs)
    return proposal


def review(proposal, reviewer, scores=(5, 3)):
    services.declare_conflict(proposal, reviewer, has_conflict=False)
    criteria = list(proposal.demand.criteria.order_by("pk"))
    return services.submit_review(proposal, reviewer, {c.pk: s for c, s in zip(criteria, scores)})


def test_only_officials_post_demands_and_criteria_are_required(firm_member, official, tech):
    with pytest.raises(PermissionDenied):
        services.create_demand(firm_member, title="x", problem="y", criteria=[("merit", 100)])
    with pytest.raises(services.ActionRefused, match="criterion"):
        services.create_demand(official, title="x", problem="y", criteria=[])
    with pytest.raises(services.ActionRefused, match="1 to 100"):
        services.create_demand(official, title="x", problem="y", criteria=[("merit", 0)])


def test_a_firm_member_cannot_propose_for_a_firm_they_do_not_belong_to(demand, make_firm, firm_member):
    other = make_firm("Someone Else", "drones")
    with pytest.raises(PermissionDenied, match="member"):
        services.create_proposal(firm_member, demand, other, title="t", summary="s")


def test_creating_a_proposal_writes_the_first_audit_entry(proposal, firm_member):
    entry = proposal.audit_entries.get()
    assert (entry.from_state, entry.to_state, entry.actor, entry.capacity) == ("", lc.DRAFT, firm_member, lc.PROPOSER)
    assert list(proposal.technologies.values_list("slug", flat=True)) != []


def test_full_lifecycle_is_audited_and_mailed_at_every_step(
    proposal, firm_member, official, operator, django_capture_on_commit_callbacks
):
    firm_member.email = "member@example.org"
    firm_member.save()
    official.email = "official@example.org"
    official.save()
    with django_capture_on_commit_callbacks(execute=True):
        run_whole_lifecycle(proposal, firm_member, official, operator)
    proposal.refresh_from_db()
    assert proposal.certificate_number.startswith("SDH-PILOT-") and proposal.outcome == "success"
    entries = list(AuditEntry.objects.filter(proposal=proposal).values_list("from_state", "to_state"))
    assert entries == [
        ("", "draft"),
        ("draft", "submitted"),
        ("submitted", "under_review"),
        ("under_review", "selected"),
        ("selected", "running"),
        ("running", "evaluated"),
        ("evaluated", "certified"),
        ("certified", "scaled_up"),
    ]
    assert len(mail.outbox) == 7
    assert set(mail.outbox[0].to) == {"member@example.org", "official@example.org"}
    assert proposal.title in mail.outbox[0].subject
    assert "Example" in mail.outbox[0].body or "예시" in mail.outbox[0].body


def run_whole_lifecycle(proposal, firm_member, official, operator):
    proposal = advance(proposal, firm_member, lc.SUBMITTED)
    proposal = advance(proposal, official, lc.UNDER_REVIEW)
    review(proposal, official)
    proposal = advance(proposal, official, lc.SELECTED)
    milestone = Milestone.objects.create(proposal=proposal, title="Install", due_on="2026-12-01")
    kpi = Kpi.objects.create(proposal=proposal, name="Defects found", unit="count", target=10)
    proposal = advance(proposal, official, lc.RUNNING)
    with pytest.raises(services.ActionRefused, match="KPI"):
        services.transition(proposal.pk, lc.EVALUATED, official, outcome="success")
    kpi.actual = 12
    kpi.save()
    with pytest.raises(services.ActionRefused, match="open milestone.*Install"):
        services.transition(proposal.pk, lc.EVALUATED, official, outcome="success")
    services.mark_milestone_done(proposal, milestone, official, clock.today())
    proposal = advance(proposal, official, lc.EVALUATED, outcome="success", evaluation="Met all targets.")
    return advance(proposal, operator, lc.CERTIFIED, lc.SCALED_UP)


def test_illegal_transition_is_refused_and_leaves_no_trace(proposal, official):
    with pytest.raises(services.ActionRefused, match=r"\(draft\) to selected"):
        services.transition(proposal.pk, lc.SELECTED, official)
    proposal.refresh_from_db()
    assert proposal.state == lc.DRAFT and proposal.audit_entries.count() == 1
    assert len(mail.outbox) == 0


def test_an_official_who_did_not_post_the_demand_cannot_start_its_review(proposal, firm_member, make_user):
    advance(proposal, firm_member, lc.SUBMITTED)
    stranger = make_user("other-official", Role.OFFICIAL)
    with pytest.raises(PermissionDenied, match="owner or operator"):
        services.transition(proposal.pk, lc.UNDER_REVIEW, stranger)


def test_the_public_can_do_nothing(proposal):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.transition(proposal.pk, lc.SUBMITTED, AnonymousUser())


def test_selection_needs_a_review(proposal, firm_member, official):
    advance(proposal, firm_member, lc.SUBMITTED)
    advance(proposal, official, lc.UNDER_REVIEW)
    with pytest.raises(services.ActionRefused, match="review"):
        services.transition(proposal.pk, lc.SELECTED, official)


def test_reviewer_must_declare_before_scoring_and_a_conflict_bars_scoring(proposal, firm_member, official, operator):
    advance(proposal, firm_member, lc.SUBMITTED)
    advance(proposal, official, lc.UNDER_REVIEW)
    criteria = list(proposal.demand.criteria.order_by("pk"))
    with pytest.raises(services.ActionRefused, match="Declare"):
        services.submit_review(proposal, operator, {c.pk: 3 for c in criteria})
    services.declare_conflict(proposal, operator, has_conflict=True, statement="I advised this firm in 2025.")
    with pytest.raises(PermissionDenied, match="conflict"):
        services.submit_review(proposal, operator, {c.pk: 3 for c in criteria})


def test_a_firm_member_reviewer_cannot_deny_a_conflict(proposal, firm_member, make_user, member_firm):
    from seoulhub.support.models import FirmMember

    insider = make_user("insider", Role.OFFICIAL)
    FirmMember.objects.create(firm=member_firm, user=insider)
    advance(proposal, firm_member, lc.SUBMITTED)
    with pytest.raises(services.ActionRefused, match="member of a firm"):
        services.declare_conflict(proposal, insider, has_conflict=False)


def test_firm_members_and_the_public_never_review(proposal, firm_member):
    advance(proposal, firm_member, lc.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.declare_conflict(proposal, firm_member, has_conflict=False)


def test_weighted_total_uses_the_criterion_weights(proposal, firm_member, official):
    advance(proposal, firm_member, lc.SUBMITTED)
    advance(proposal, official, lc.UNDER_REVIEW)
    result = review(proposal, official, scores=(5, 0))  # 60% weight full marks, 40% weight zero
    assert result.total == 60.0


@pytest.mark.parametrize("bad", [{"missing": True}, {"score": 6}, {"score": -1}, {"score": True}])
def test_bad_scores_are_refused_and_nothing_is_saved(proposal, firm_member, official, bad):
    advance(proposal, firm_member, lc.SUBMITTED)
    advance(proposal, official, lc.UNDER_REVIEW)
    services.declare_conflict(proposal, official, has_conflict=False)
    criteria = list(proposal.demand.criteria.order_by("pk"))
    scores = {c.pk: bad.get("score", 3) for c in criteria}
    if bad.get("missing"):
        scores.pop(criteria[0].pk)
    with pytest.raises(services.ActionRefused):
        services.submit_review(proposal, official, scores)
    assert proposal.reviews.count() == 0


def test_a_failed_pilot_gets_no_certificate(proposal, firm_member, official, operator):
    advance(proposal, firm_member, lc.SUBMITTED)
    advance(proposal, official, lc.UNDER_REVIEW)
    review(proposal, official)
    advance(proposal, official, lc.SELECTED)
    Milestone.objects.create(proposal=proposal, title="Install", due_on="2026-12-01", done_on=clock.today())
    Kpi.objects.create(proposal=proposal, name="Uptime", unit="%", target=99, actual=80)
    advance(proposal, official, lc.RUNNING)
    advance(proposal, official, lc.EVALUATED, outcome="failure")
    with pytest.raises(services.ActionRefused, match="certificate"):
        services.transition(proposal.pk, lc.CERTIFIED, operator)


def test_audit_entries_cannot_be_edited_or_deleted(proposal):
    from django.core.exceptions import ValidationError

    entry = proposal.audit_entries.get()
    entry.note = "rewritten"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()


def test_early_proposals_are_hidden_from_the_public_and_other_firms(proposal, make_user, firm_member, official):
    from django.contrib.auth.models import AnonymousUser

    outsider = make_user("outsider", Role.FIRM_MEMBER)
    assert not services.can_view_proposal(AnonymousUser(), proposal)
    assert not services.can_view_proposal(outsider, proposal)
    assert services.can_view_proposal(firm_member, proposal)
    assert services.can_view_proposal(official, proposal)
    assert list(services.visible_proposals(outsider)) == []
    Proposal.objects.filter(pk=proposal.pk).update(state=lc.RUNNING)
    assert list(services.visible_proposals(AnonymousUser())) == [proposal]


def test_refusals_are_worded_in_korean_by_default(proposal, official):
    from django.utils import translation

    with translation.override("ko"):
        with pytest.raises(services.ActionRefused) as refused:
            services.transition(proposal.pk, lc.SELECTED, official)
    message = str(refused.value)
    assert "작성 중 (draft)" in message and "선정 (selected)" in message and "제출됨 (submitted)" in message


def test_transition_mail_is_plain_text_not_html_escaped(proposal, firm_member, django_capture_on_commit_callbacks):
    firm_member.email = "member@example.org"
    firm_member.save()
    Proposal.objects.filter(pk=proposal.pk).update(title='R&D <pilot> "A"')
    proposal.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.transition(proposal.pk, lc.SUBMITTED, firm_member)
    [message] = mail.outbox
    assert 'R&D <pilot> "A"' in message.subject and "&amp;" not in message.subject
    assert 'R&D <pilot> "A"' in message.body and "&quot;" not in message.body
