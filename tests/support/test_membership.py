"""Firm membership: ask to join (a registry firm or a new one), an operator or the firm's admin
decides, members edit their firm's profile, and every change lands in the firm's history."""

import json

import pytest
from django.core import mail

from seoulhub.accounts.models import ApiToken
from seoulhub.support.models import Firm, FirmChange, FirmMember, FirmTechnology, MembershipRequest
from seoulhub.taxonomy.models import District, Technology

pytestmark = pytest.mark.django_db

VALID_BRN = "1248100998"  # passes the check digit (an example number, not a real firm's)
OTHER_VALID_BRN = "1111111119"


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def founder(make_user):
    return make_user("founder", email="founder@example.com")


@pytest.fixture
def firm(make_firm):
    return make_firm("예시 로보틱스", brn=OTHER_VALID_BRN)


def _text(response) -> str:
    return response.content.decode()


def _ask(client, user, firm, message="대표입니다"):
    client.force_login(user)
    return client.post("/support/membership/join/", {"firm": firm.pk, "message": message})


def _decide(client, decider, request_, decision="approve", **extra):
    client.force_login(decider)
    return client.post(f"/support/membership/requests/{request_.pk}/decide/", {"decision": decision, **extra})


def _profile(firm, **changes):
    data = {
        "district": firm.district_id or "",
        "products": firm.products,
        "employees": firm.employees or "",
        "stage": firm.stage,
    }
    data.update(changes)
    return data


def test_request_then_operator_approves_then_member_edits_and_every_change_is_audited(
    client, founder, firm, operator, django_capture_on_commit_callbacks
):
    operator.email = "ops@example.com"
    operator.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask(client, founder, firm)
    assert response.status_code == 302 and response["Location"] == "/support/membership/"
    request_ = MembershipRequest.objects.get(user=founder)
    assert request_.firm == firm and request_.status == "pending" and request_.message == "대표입니다"
    # No admin in the firm yet: the operators are told.
    assert [m.to for m in mail.outbox] == [["ops@example.com"]]
    assert "예시 로보틱스" in mail.outbox[0].subject and "/support/membership/requests/" in mail.outbox[0].body
    page = _text(client.get("/support/membership/"))
    assert "예시 로보틱스" in page and "대기 중" in page

    queue = client.get("/support/membership/requests/")
    assert queue.status_code == 403  # the founder decides nothing
    client.force_login(operator)
    assert "founder" in _text(client.get("/support/membership/requests/"))
    with django_capture_on_commit_callbacks(execute=True):
        response = _decide(client, operator, request_, note="확인했습니다")
    assert response.status_code == 302
    request_.refresh_from_db()
    assert request_.status == "approved" and request_.decided_by == operator and request_.decided_at
    member = FirmMember.objects.get(firm=firm, user=founder)
    assert member.role == "admin"  # the firm had no administrator: the first member becomes one
    assert founder.groups.filter(name="firm_member").exists()
    assert mail.outbox[-1].to == ["founder@example.com"]
    assert "승인" in mail.outbox[-1].subject and "확인했습니다" in mail.outbox[-1].body

    client.force_login(founder)
    page = _text(client.get("/support/membership/"))
    assert "승인됨" in page and "확인했습니다" in page
    gangnam = District.objects.get(name_ko="강남구")
    ai, robot = Technology.objects.get(slug="ai"), Technology.objects.filter(active=True).exclude(slug="ai").first()
    response = client.post(
        f"/support/firms/{firm.pk}/profile/",
        _profile(
            firm,
            district=gangnam.pk,
            technologies=[ai.pk, robot.pk],
            products="물류 로봇, 자율주행 AGV",
            employees="42",
            stage="startup",
        ),
    )
    assert response.status_code == 302, _text(response)[:3000]
    firm.refresh_from_db()
    assert (firm.district, firm.employees, firm.stage, firm.products) == (
        gangnam,
        42,
        "startup",
        "물류 로봇, 자율주행 AGV",
    )
    declared = FirmTechnology.objects.filter(firm=firm, provenance="declared")
    assert set(declared.values_list("technology__slug", flat=True)) == {"ai", robot.slug}
    changes = {c.field: c for c in FirmChange.objects.filter(firm=firm)}
    assert set(changes) == {"district", "technologies", "products", "employees", "stage"}
    assert changes["district"].old_value == "마포구" and changes["district"].new_value == "강남구"
    assert changes["employees"].old_value == "" and changes["employees"].new_value == "42"
    assert changes["technologies"].new_value == ", ".join(sorted(["ai", robot.slug]))
    assert all(c.actor == founder and c.actor_name == "founder" and c.via == "profile" for c in changes.values())

    history = _text(client.get(f"/support/firms/{firm.pk}/history/"))
    assert "변경 이력" in history and "강남구" in history and "마포구" in history and "founder" in history
    client.force_login(operator)
    assert client.get(f"/support/firms/{firm.pk}/history/").status_code == 200

    # Dropping a declared tag is a change too; saving the same values again is none.
    client.force_login(founder)
    client.post(f"/support/firms/{firm.pk}/profile/", _profile(firm, technologies=[ai.pk]))
    assert FirmChange.objects.filter(firm=firm, field="technologies").count() == 2
    before = FirmChange.objects.count()
    client.post(f"/support/firms/{firm.pk}/profile/", _profile(firm, technologies=[ai.pk]))
    assert FirmChange.objects.count() == before


def test_the_firm_admin_approves_from_the_members_tab(
    client, founder, firm, make_user, django_capture_on_commit_callbacks
):
    admin = make_user("boss", email="boss@example.com")
    FirmMember.objects.create(firm=firm, user=admin, role="admin")
    with django_capture_on_commit_callbacks(execute=True):
        _ask(client, founder, firm)
    assert [m.to for m in mail.outbox] == [["boss@example.com"]]  # the firm's admin, not the operators
    request_ = MembershipRequest.objects.get(user=founder)
    client.force_login(admin)
    members = _text(client.get(f"/support/firms/{firm.pk}/members/"))
    assert "founder" in members and "승인" in members
    with django_capture_on_commit_callbacks(execute=True):
        response = _decide(client, admin, request_, back="members")
    assert response.status_code == 302 and response["Location"] == f"/support/firms/{firm.pk}/members/"
    assert FirmMember.objects.get(firm=firm, user=founder).role == "member"
    assert mail.outbox[-1].to == ["founder@example.com"]
    assert "founder" in _text(client.get(f"/support/firms/{firm.pk}/members/"))


def test_an_admin_of_another_firm_or_a_member_cannot_decide(client, founder, firm, make_firm, make_user):
    other = make_firm("예시 다른기업")
    outsider = make_user("outsider")
    FirmMember.objects.create(firm=other, user=outsider, role="admin")
    plain = make_user("plain")
    FirmMember.objects.create(firm=firm, user=plain, role="member")
    _ask(client, founder, firm)
    request_ = MembershipRequest.objects.get(user=founder)
    for user in (outsider, plain, founder):
        response = _decide(client, user, request_)
        assert response.status_code == 403
    assert "이 기업의 관리자만" in _text(_decide(client, plain, request_))
    request_.refresh_from_db()
    assert request_.status == "pending" and not FirmMember.objects.filter(user=founder).exists()
    client.force_login(outsider)
    assert "founder" not in _text(client.get("/support/membership/requests/"))  # not their firm's request


def test_an_operator_does_not_approve_their_own_request(client, firm, operator):
    _ask(client, operator, firm)
    request_ = MembershipRequest.objects.get(user=operator)
    assert _decide(client, operator, request_).status_code == 403
    assert not FirmMember.objects.filter(user=operator).exists()


def test_reject_path(client, founder, firm, operator, django_capture_on_commit_callbacks):
    _ask(client, founder, firm)
    request_ = MembershipRequest.objects.get(user=founder)
    with django_capture_on_commit_callbacks(execute=True):
        _decide(client, operator, request_, decision="reject", note="재직 증빙이 필요합니다")
    request_.refresh_from_db()
    assert request_.status == "rejected" and request_.note == "재직 증빙이 필요합니다"
    assert not FirmMember.objects.filter(user=founder).exists()
    assert mail.outbox[-1].to == ["founder@example.com"] and "재직 증빙" in mail.outbox[-1].body
    client.force_login(founder)
    page = _text(client.get("/support/membership/"))
    assert "거절됨" in page and "재직 증빙이 필요합니다" in page
    assert client.post(f"/support/firms/{firm.pk}/profile/", _profile(firm, employees="3")).status_code == 403
    # A decided request cannot be decided again; the person may ask anew.
    response = _decide(client, operator, request_)
    assert response.status_code == 302
    assert "이미 결정된" in " ".join(str(m) for m in response.wsgi_request._messages)
    assert not FirmMember.objects.filter(user=founder).exists()
    assert _ask(client, founder, firm).status_code == 302
    assert MembershipRequest.objects.filter(user=founder, status="pending").count() == 1


def test_a_new_firm_is_created_only_when_approved(client, founder, operator, django_capture_on_commit_callbacks):
    client.force_login(founder)
    mapo = District.objects.get(name_ko="마포구")
    response = client.post(
        "/support/membership/join/new/", {"name_ko": "예시 새기업", "brn": "124-81-00998", "district": mapo.pk}
    )
    assert response.status_code == 302
    request_ = MembershipRequest.objects.get(user=founder)
    assert request_.firm is None and request_.new_brn == VALID_BRN
    assert not Firm.objects.filter(brn=VALID_BRN).exists()  # not in the registry before a person checked it
    assert "예시 새기업" in _text(client.get("/support/membership/"))
    with django_capture_on_commit_callbacks(execute=True):
        _decide(client, operator, request_)
    firm = Firm.objects.get(brn=VALID_BRN)
    assert (firm.name_ko, firm.district, firm.province, firm.source) == ("예시 새기업", mapo, "서울특별시", "manual")
    assert FirmMember.objects.get(firm=firm, user=founder).role == "admin"
    created = {c.field: c.new_value for c in FirmChange.objects.filter(firm=firm)}
    assert created["brn"] == VALID_BRN and created["district"] == "마포구" and created["name_ko"] == "예시 새기업"
    assert set(FirmChange.objects.filter(firm=firm).values_list("via", flat=True)) == {"membership"}


def test_approving_a_new_firm_whose_number_was_registered_meanwhile_is_refused(client, founder, operator, make_firm):
    client.force_login(founder)
    client.post("/support/membership/join/new/", {"name_ko": "예시 새기업", "brn": VALID_BRN})
    make_firm("예시 먼저 등록된 기업", brn=VALID_BRN)
    request_ = MembershipRequest.objects.get(user=founder)
    response = _decide(client, operator, request_)
    assert "같은 사업자등록번호" in " ".join(str(m) for m in response.wsgi_request._messages)
    request_.refresh_from_db()
    assert request_.status == "pending" and Firm.objects.filter(brn=VALID_BRN).count() == 1


@pytest.mark.parametrize(
    "brn, expected",
    [
        ("123-45-67890", "검증번호가 맞지 않습니다"),
        ("12345", "10자리"),
        ("abc-de-fghij", "숫자"),
        ("", "사업자등록번호"),
    ],
)
def test_an_invalid_registration_number_is_refused(client, founder, brn, expected):
    client.force_login(founder)
    response = client.post("/support/membership/join/new/", {"name_ko": "예시 새기업", "brn": brn})
    assert response.status_code == 400
    assert expected in response.context["new_form"].errors["brn"][0]
    assert expected in _text(response)
    assert not MembershipRequest.objects.exists()


def test_a_registered_number_suggests_joining_that_firm(client, founder, firm):
    client.force_login(founder)
    response = client.post("/support/membership/join/new/", {"name_ko": "다른 이름", "brn": "111-11-11119"})
    assert response.status_code == 409
    html = _text(response)
    assert "이미 등록되어 있습니다" in html and "예시 로보틱스" in html
    assert f"/support/membership/join/?firm={firm.pk}" in html
    assert not MembershipRequest.objects.exists()


def test_unknown_firms_and_repeated_requests_are_refused(client, founder, firm):
    client.force_login(founder)
    for raw in ("999999", "²", "abc", "99999999999999999999"):
        response = client.post("/support/membership/join/", {"firm": raw})
        assert response.status_code == 400 and "등록부에 없습니다" in _text(response), raw
    response = client.get("/support/membership/join/?firm=999999")
    assert response.status_code == 404 and "등록부에 없습니다" in _text(response)
    assert client.post("/support/membership/join/", {}).status_code == 400
    assert not MembershipRequest.objects.exists()
    assert _ask(client, founder, firm).status_code == 302
    again = _ask(client, founder, firm)
    assert again.status_code == 409 and "이미 이 기업에 가입을 신청" in _text(again)
    assert MembershipRequest.objects.count() == 1
    FirmMember.objects.create(firm=firm, user=founder)
    MembershipRequest.objects.update(status="rejected")
    response = _ask(client, founder, firm)
    assert response.status_code == 409 and "이미" in _text(response) and "구성원" in _text(response)


def test_the_search_finds_firms_by_name_and_number(client, founder, firm):
    client.force_login(founder)
    by_name = _text(client.get("/support/membership/firms/?q=로보"))
    assert "예시 로보틱스" in by_name and f"?firm={firm.pk}" in by_name
    assert "예시 로보틱스" in _text(client.get("/support/membership/firms/?q=111-11-11119"))
    assert "일치하는 기업이 없습니다" in _text(client.get("/support/membership/firms/?q=없는기업이름"))
    page = _text(client.get("/support/membership/join/?q=로보"))  # the same results without htmx
    assert f"?firm={firm.pk}" in page


@pytest.fixture
def member_of(client, founder, firm):
    FirmMember.objects.create(firm=firm, user=founder)
    client.force_login(founder)
    return firm


@pytest.mark.parametrize(
    "field, value, expected",
    [
        ("employees", "-1", "음수"),
        ("employees", "5000000", "믿기 어렵습니다"),
        ("employees", "열두", "정수"),
        ("district", "999999", "서울의 25개 자치구"),
        ("district", "강남", "서울의 25개 자치구"),
        ("technologies", "999999", "기술 목록에 없습니다"),
        ("technologies", "ai", "기술 목록에 없습니다"),
        ("stage", "unicorn", "단계가 아닙니다"),
    ],
)
def test_bad_profile_input_changes_nothing(client, member_of, field, value, expected):
    firm = member_of
    before = (firm.district_id, firm.employees, firm.stage, firm.products)
    response = client.post(f"/support/firms/{firm.pk}/profile/", _profile(firm, products="새 제품", **{field: value}))
    assert response.status_code == 400
    html = _text(response)
    assert expected in html and "저장하지 않았습니다" in html
    firm.refresh_from_db()
    assert (firm.district_id, firm.employees, firm.stage, firm.products) == before
    assert not FirmChange.objects.exists()


def test_members_edit_only_their_own_firm(client, member_of, make_firm):
    other = make_firm("예시 다른기업", brn=VALID_BRN)
    for path in ("profile", "members", "history"):
        response = client.get(f"/support/firms/{other.pk}/{path}/")
        assert response.status_code == 403 and "이 기업의 구성원" in _text(response), path
    response = client.post(f"/support/firms/{other.pk}/profile/", _profile(other, employees="9999"))
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.employees is None and not FirmChange.objects.exists()
    client.logout()
    assert client.get(f"/support/firms/{member_of.pk}/profile/")["Location"].startswith("/accounts/login/")


def test_the_full_edit_page_and_the_api_are_audited_too(client, member_of, founder):
    firm = member_of
    client.post(
        f"/support/firms/{firm.pk}/edit/",
        {
            "name_ko": firm.name_ko,
            "brn": firm.brn,
            "district": firm.district_id,
            "ksic": "58221",
            "employees": "7",
            "founded_on": "",
            "revenue_band": "",
            "stage": "",
            "website": "",
            "products": "",
            "description": "",
            "name_en": "",
            "address": "",
        },
    )
    change = FirmChange.objects.get(firm=firm)
    assert (change.field, change.old_value, change.new_value, change.via) == ("employees", "", "7", "edit")
    _token, raw = ApiToken.issue(founder, "test")
    response = client.patch(
        f"/api/v1/firms/{firm.pk}",
        json.dumps({"employees": 8, "district": "강남구"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 200
    api_changes = {c.field: (c.old_value, c.new_value) for c in FirmChange.objects.filter(via="api")}
    assert api_changes == {"employees": ("7", "8"), "district": ("마포구", "강남구")}


def test_firm_changes_are_append_only(member_of, founder):
    change = FirmChange.objects.create(
        firm=member_of, actor=founder, actor_name="founder", field="stage", new_value="startup", via="profile"
    )
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        change.save()
    with pytest.raises(ValidationError):
        change.delete()


def test_the_firm_page_offers_joining_to_others_and_tabs_to_members(client, member_of, make_user):
    assert "프로필" in _text(client.get(f"/support/firms/{member_of.pk}/"))
    client.force_login(make_user("visitor"))
    html = _text(client.get(f"/support/firms/{member_of.pk}/"))
    assert f"/support/membership/join/?firm={member_of.pk}" in html and "/history/" not in html


def test_declared_tags_set_on_the_profile_reach_the_landscape_counts(
    client, member_of, django_capture_on_commit_callbacks
):
    from seoulhub.landscape.models import TechnologyLandscape

    firm = member_of
    ai = Technology.objects.get(slug="ai")

    def firms_with_ai():
        return TechnologyLandscape.objects.filter(technology=ai).values_list("firms", flat=True).first() or 0

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/support/firms/{firm.pk}/profile/", _profile(firm, technologies=[ai.pk]))
    assert firms_with_ai() == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/support/firms/{firm.pk}/profile/", _profile(firm, technologies=[]))
    assert not FirmTechnology.objects.filter(firm=firm, technology=ai).exists()
    assert firms_with_ai() == 0


def test_a_person_waits_for_decisions_before_asking_more_firms(client, founder, make_firm):
    from seoulhub.support.membership import MAX_PENDING_PER_PERSON

    firms = [make_firm(f"예시 기업 {n}") for n in range(MAX_PENDING_PER_PERSON + 1)]
    for firm in firms[:-1]:
        assert _ask(client, founder, firm).status_code == 302
    response = _ask(client, founder, firms[-1])
    assert response.status_code == 409 and "결정을 기다리는 신청이 5건" in _text(response)
    response = client.post("/support/membership/join/new/", {"name_ko": "예시 새기업", "brn": VALID_BRN})
    assert response.status_code == 409
    assert MembershipRequest.objects.count() == MAX_PENDING_PER_PERSON
