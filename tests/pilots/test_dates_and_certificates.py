"""Date guards of the pilot lifecycle (on the hub's clock) and the verifiable A4 certificate."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from seoulhub.core import clock
from seoulhub.pilots import certificates, services
from seoulhub.pilots import lifecycle as lc
from seoulhub.pilots.models import Kpi, Milestone, Proposal

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 7, 31)


def _selected(proposal, firm_member, official, starts=None, ends=None):
    """A selected pilot with one milestone and one KPI, on a demand with the given pilot period."""
    proposal.demand.pilot_starts_on, proposal.demand.pilot_ends_on = starts, ends
    proposal.demand.save()
    services.transition(proposal.pk, lc.SUBMITTED, firm_member)
    services.transition(proposal.pk, lc.UNDER_REVIEW, official)
    services.declare_conflict(proposal, official, has_conflict=False)
    services.submit_review(proposal, official, {c.pk: 4 for c in proposal.demand.criteria.all()})
    services.transition(proposal.pk, lc.SELECTED, official)
    milestone = Milestone.objects.create(proposal=proposal, title="Sensors installed", due_on=DAY)
    kpi = Kpi.objects.create(proposal=proposal, name="Uptime", unit="%", target=95)
    return milestone, kpi


def _evaluated(proposal, firm_member, official):
    milestone, kpi = _selected(proposal, firm_member, official)
    services.transition(proposal.pk, lc.RUNNING, official)
    Kpi.objects.filter(pk=kpi.pk).update(actual=97)
    services.mark_milestone_done(proposal, milestone, official, clock.today())
    return services.transition(proposal.pk, lc.EVALUATED, official, outcome="success", evaluation="Met.")


def test_a_pilot_cannot_start_before_its_planned_start_and_nothing_changes(proposal, firm_member, official):
    clock.set_reference_date(DAY)
    _selected(proposal, firm_member, official, starts=datetime.date(2027, 3, 1), ends=datetime.date(2027, 9, 1))
    entries = proposal.audit_entries.count()
    with pytest.raises(services.ActionRefused, match="2027-03-01.*today is 2026-07-31"):
        services.transition(proposal.pk, lc.RUNNING, official)
    proposal.refresh_from_db()
    assert proposal.state == lc.SELECTED and proposal.audit_entries.count() == entries
    clock.set_reference_date(datetime.date(2027, 3, 1))  # the planned day has come
    assert services.transition(proposal.pk, lc.RUNNING, official).state == lc.RUNNING


def test_a_pilot_is_not_evaluated_before_its_end_nor_with_an_open_milestone(proposal, firm_member, official):
    clock.set_reference_date(DAY)
    milestone, kpi = _selected(proposal, firm_member, official, starts=DAY, ends=datetime.date(2026, 12, 31))
    services.transition(proposal.pk, lc.RUNNING, official)
    services.record_kpi_actual(proposal, kpi, official, 97)
    with pytest.raises(services.ActionRefused, match="runs until 2026-12-31"):
        services.transition(proposal.pk, lc.EVALUATED, official, outcome="success")
    clock.set_reference_date(datetime.date(2027, 1, 2))
    with pytest.raises(services.ActionRefused, match="open milestone.*Sensors installed"):
        services.transition(proposal.pk, lc.EVALUATED, official, outcome="success")
    services.mark_milestone_done(proposal, milestone, official, datetime.date(2026, 12, 20))
    assert services.transition(proposal.pk, lc.EVALUATED, official, outcome="success").state == lc.EVALUATED


def test_no_certificate_while_a_milestone_is_open(proposal, firm_member, official, operator):
    _evaluated(proposal, firm_member, official)
    Milestone.objects.create(proposal=proposal, title="Hand-over report", due_on=DAY)  # e.g. added in the admin
    with pytest.raises(services.ActionRefused, match="no certificate.*Hand-over report"):
        services.transition(proposal.pk, lc.CERTIFIED, operator)
    proposal.refresh_from_db()
    assert proposal.state == lc.EVALUATED and proposal.certificate_number == "" and proposal.certificate_code == ""


def test_milestones_are_done_only_while_running_and_never_in_the_future(proposal, firm_member, official):
    clock.set_reference_date(DAY)
    milestone, kpi = _selected(proposal, firm_member, official)
    with pytest.raises(services.ActionRefused, match="while the pilot is running"):
        services.mark_milestone_done(proposal, milestone, official, DAY)
    with pytest.raises(services.ActionRefused, match="once the pilot is running"):
        services.record_kpi_actual(proposal, kpi, official, 1.0)
    services.transition(proposal.pk, lc.RUNNING, official)
    with pytest.raises(services.ActionRefused, match="future day"):
        services.mark_milestone_done(proposal, milestone, official, DAY + datetime.timedelta(days=1))
    milestone.refresh_from_db()
    assert milestone.done_on is None


def test_the_refusal_is_in_korean_on_the_korean_page(client, proposal, firm_member, official, settings):
    settings.LANGUAGE_CODE = "ko"
    clock.set_reference_date(DAY)
    _selected(proposal, firm_member, official, starts=datetime.date(2027, 3, 1))
    client.force_login(official)
    with translation.override("ko"):
        page = client.post(
            reverse("pilots:proposal_transition", args=[proposal.pk]),
            {"target": lc.RUNNING},
            follow=True,
            HTTP_ACCEPT_LANGUAGE="ko",
        ).content.decode()
    assert "2027-03-01에 시작할 예정이므로 그 전에는 시작할 수 없습니다" in page
    assert Proposal.objects.get(pk=proposal.pk).state == lc.SELECTED


def test_the_api_answers_409_with_the_reason(client, proposal, firm_member, official):
    from seoulhub.accounts.models import ApiToken

    clock.set_reference_date(DAY)
    _selected(proposal, firm_member, official, starts=datetime.date(2027, 3, 1))
    token = ApiToken.issue(official, "test")[1]
    response = client.post(
        f"/api/v1/proposals/{proposal.pk}/transitions",
        {"to": "running"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 409 and "2027-03-01" in response.json()["message"]
    future = client.post(
        f"/api/v1/proposals/{proposal.pk}/milestones",
        {"title": "x", "due_on": "2026-08-01", "done_on": "2026-07-01"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert future.status_code == 409 and "running" in future.json()["message"]


# --- certificates -----------------------------------------------------------------------------


def test_codes_are_random_readable_and_forgiving():
    codes = {certificates.new_code() for _ in range(200)}
    assert len(codes) == 200
    code = codes.pop()
    assert len(code) == 16 and set(code) <= set(certificates.ALPHABET)
    shown = certificates.display(code)
    assert certificates.normalise(shown.lower()) == code
    assert certificates.normalise(" " + shown.replace("-", " ") + " ") == code
    assert certificates.normalise("0000-1111-2222-3333".replace("0", "O").replace("1", "l")) == "0000111122223333"
    for bad in ["", "short", "U" * 16, "x" * 5000, "\x00" * 16, "\ud800" * 16, "²" * 16]:
        assert certificates.normalise(bad) is None


def test_issuing_stores_an_unguessable_code_and_the_public_can_verify_it(
    client, proposal, firm_member, official, operator
):
    clock.set_reference_date(DAY)
    _evaluated(proposal, firm_member, official)
    certified = services.transition(proposal.pk, lc.CERTIFIED, operator)
    assert certified.certificate_issued_on == DAY
    assert certified.certificate_number == f"SDH-PILOT-2026-{proposal.pk:05d}"
    assert certificates.normalise(certified.certificate_code) == certified.certificate_code
    shown = certificates.display(certified.certificate_code)
    # The public confirms it by the code: in the URL, or typed in lower case with spaces.
    page = client.get(reverse("pilots:verify_code", args=[shown]))
    assert page.status_code == 200
    text = page.content.decode()
    assert certified.certificate_number in text and certified.lead_firm.name in text and "2026-07-31" in text
    typed = client.get(reverse("pilots:verify"), {"code": shown.lower().replace("-", " ")})
    assert typed.status_code == 200 and certified.certificate_number in typed.content.decode()
    assert "예시 / Example" in text  # the fixture's pilot is an example, and the check says so
    api = client.get(f"/api/v1/pilots/certificates/{shown}").json()
    assert api["valid"] is True and api["certificate_number"] == certified.certificate_number
    assert api["is_example"] is True


@pytest.mark.parametrize("code", ["AAAA-BBBB-CCCC-DDDD", "nope", "%00", "x" * 5000, "²²²", "9" * 30])
def test_a_wrong_or_hostile_code_is_a_clear_404(client, code, settings):
    settings.LANGUAGE_CODE = "ko"
    with translation.override("ko"):
        response = client.get(reverse("pilots:verify"), {"code": code}, HTTP_ACCEPT_LANGUAGE="ko")
    assert response.status_code == 404
    assert "이 검증 코드로 발급된 확인서가 없습니다" in response.content.decode()
    assert client.get("/api/v1/pilots/certificates/AAAABBBBCCCCDDDD").status_code == 404


def test_the_printable_certificate_is_a4_with_its_code_and_only_for_the_firm_and_the_city(
    client, proposal, firm_member, official, operator, make_user
):
    from seoulhub.accounts.models import Role

    _evaluated(proposal, firm_member, official)
    certified = services.transition(proposal.pk, lc.CERTIFIED, operator)
    url = reverse("pilots:certificate", args=[proposal.pk])
    assert client.get(url).status_code == 404  # the public verifies by code instead
    client.force_login(make_user("other-firm", Role.FIRM_MEMBER))
    assert client.get(url).status_code == 404
    client.force_login(firm_member)
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert certificates.display(certified.certificate_code) in html
    assert reverse("pilots:verify_code", args=[certified.certificate_code]) in html
    assert certified.certificate_number in html and "certificate.css" in html
    assert "예시" in html  # an example pilot's certificate says so on paper
    from pathlib import Path

    from django.contrib.staticfiles import finders

    css = Path(finders.find("pilots/certificate.css")).read_text(encoding="utf-8")
    assert "@page" in css and "size: A4" in css and "@media print" in css
    detail = client.get(proposal.get_absolute_url()).content.decode()
    assert url in detail


def test_a_pilot_without_a_certificate_has_no_certificate_page(client, proposal, official):
    client.force_login(official)
    assert client.get(reverse("pilots:certificate", args=[proposal.pk])).status_code == 404


def test_milestones_are_marked_done_on_the_pilot_page(client, proposal, firm_member, official):
    clock.set_reference_date(DAY)
    milestone, _kpi = _selected(proposal, firm_member, official)
    services.transition(proposal.pk, lc.RUNNING, official)
    client.force_login(official)
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert 'name="milestone_id"' in page and 'max="2026-07-31"' in page
    plan = reverse("pilots:pilot_plan", args=[proposal.pk])
    client.post(plan, {"milestone_id": milestone.pk, "done_on": "2026-08-15"})
    milestone.refresh_from_db()
    assert milestone.done_on is None  # a future day is refused
    for hostile in ["²", "9" * 25, ""]:
        assert client.post(plan, {"milestone_id": hostile, "done_on": "2026-07-30"}).status_code == 302
    client.post(plan, {"milestone_id": milestone.pk, "done_on": "2026-07-30"})
    milestone.refresh_from_db()
    assert milestone.done_on == datetime.date(2026, 7, 30)
