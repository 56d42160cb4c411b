"""Self-service accounts (django-allauth): sign-up with a verified e-mail address, sign-in, password
reset, e-mail change and the profile, through the hub's real pages and the locmem mail outbox."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail

from seoulhub.accounts.models import Profile, Role, profile_for

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-pass-for-tests-7"
User = get_user_model()


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    # Account mails are sent by a task; here it runs at enqueue, so the outbox holds them at once.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _link(message) -> str:
    """The hub link in a mail body, as a path. It stands on a line of its own, so that mail programs
    link all of it and nothing more (allauth's Korean wording once glued 을 to it)."""
    url = re.search(r"^https?://\S+/$", message.body, re.MULTILINE)[0]
    return "/" + url.split("/", 3)[3]


def _sign_up(client, email="jiwoo@example.com"):
    return client.post("/accounts/signup/", {"email": email, "password1": PASSWORD, "password2": PASSWORD})


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def _verified_user(client, email="jiwoo@example.com"):
    _sign_up(client, email)
    client.post(_link(mail.outbox[-1]))
    client.logout()
    mail.outbox.clear()
    return User.objects.get(email=email)


def test_sign_up_sends_a_korean_verification_mail_whose_link_signs_the_person_in(client):
    response = _sign_up(client)
    assert response.status_code == 302 and response["Location"] == "/accounts/confirm-email/"
    assert not _signed_in(client)  # not before the address is verified
    user = User.objects.get(email="jiwoo@example.com")
    assert user.username and "@" not in user.username  # generated: people sign up with e-mail
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["jiwoo@example.com"]
    assert message.subject.startswith("[서울 디지털 허브]")
    assert "서울 디지털 허브" in message.body and "이메일" in message.body
    sent_page = client.get(response["Location"]).content.decode()
    assert "이메일" in sent_page and '<html lang="ko">' in sent_page

    confirm = _link(message)
    page = client.get(confirm)  # a mail scanner following the link confirms nothing
    assert page.status_code == 200 and not EmailAddress.objects.get(user=user).verified
    response = client.post(confirm)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert _signed_in(client)

    client.logout()
    response = client.post("/accounts/login/", {"username": "jiwoo@example.com", "password": PASSWORD})
    assert response.status_code == 302 and _signed_in(client)


def test_an_unverified_address_cannot_sign_in(client):
    _sign_up(client)
    response = client.post("/accounts/login/", {"username": "jiwoo@example.com", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/accounts/confirm-email/"
    assert not _signed_in(client)
    assert "이메일" in client.get("/accounts/confirm-email/").content.decode()
    assert client.get("/accounts/profile/").status_code == 302


def test_a_wrong_confirmation_key_is_refused_in_korean(client):
    _sign_up(client)
    page = client.get("/accounts/confirm-email/not-a-key/")
    assert page.status_code in (200, 404)
    assert "만료" in page.content.decode() or "유효하지" in page.content.decode()
    assert not EmailAddress.objects.filter(verified=True).exists()


def test_the_same_address_cannot_sign_up_twice(client):
    _verified_user(client)
    _sign_up(client)
    assert User.objects.filter(email__iexact="jiwoo@example.com").count() == 1


def test_bad_sign_up_input_creates_nothing_and_says_why_in_korean(client):
    response = client.post("/accounts/signup/", {"email": "not-an-address", "password1": "short", "password2": "other"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "유효한 이메일" in html or "올바른 이메일" in html
    assert not User.objects.exists() and not mail.outbox


def test_password_reset_by_mail(client):
    _verified_user(client)
    response = client.post("/accounts/password/reset/", {"email": "jiwoo@example.com"})
    assert response.status_code == 302
    message = mail.outbox[-1]
    assert message.subject.startswith("[서울 디지털 허브]") and "비밀번호" in message.body
    form = client.get(_link(message))
    assert form.status_code == 302  # allauth moves the key out of the address bar
    new = "another-long-pass-8"
    response = client.post(form["Location"], {"password1": new, "password2": new})
    assert response.status_code == 302
    assert client.post("/accounts/login/", {"username": "jiwoo@example.com", "password": PASSWORD}).status_code == 200
    assert not _signed_in(client)
    client.post("/accounts/login/", {"username": "jiwoo@example.com", "password": new})
    assert _signed_in(client)


def test_a_reset_for_an_unknown_address_does_not_reveal_it(client):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert response.status_code == 302  # the same answer as for a known address
    assert all("서울 디지털 허브" in m.subject for m in mail.outbox)  # at most an "unknown account" notice


def test_changing_the_address_takes_effect_once_the_new_one_is_verified(client):
    user = _verified_user(client)
    client.post("/accounts/login/", {"username": "jiwoo@example.com", "password": PASSWORD})
    response = client.post("/accounts/email/", {"action_add": "", "email": "jiwoo@startup.example"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == "jiwoo@example.com"  # unchanged until verified
    message = mail.outbox[-1]
    assert message.to == ["jiwoo@startup.example"]
    client.post(_link(message))
    user.refresh_from_db()
    assert user.email == "jiwoo@startup.example"
    assert list(EmailAddress.objects.filter(user=user).values_list("email", "verified", "primary")) == [
        ("jiwoo@startup.example", True, True)
    ]


def test_the_last_address_cannot_be_removed(client):
    user = _verified_user(client)
    client.post("/accounts/login/", {"username": "jiwoo@example.com", "password": PASSWORD})
    client.post("/accounts/email/", {"action_remove": "", "email": "jiwoo@example.com"})
    assert EmailAddress.objects.filter(user=user).count() == 1


def test_profile_saves_name_language_and_digest_and_applies_the_language(client, make_user):
    user = make_user("someone")
    client.force_login(user)
    page = client.get("/accounts/profile/").content.decode()
    assert "프로필" in page and 'href="/accounts/tokens/"' in page and 'href="/accounts/email/"' in page
    response = client.post(
        "/accounts/profile/", {"display_name": "  김  지우 ", "language": "en", "digest_frequency": "daily"}
    )
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
    profile = Profile.objects.get(user=user)
    assert (profile.language, profile.digest_frequency) == ("en", "daily")
    user.refresh_from_db()
    assert user.get_full_name() == "김 지우"
    home = client.get("/").content.decode()
    assert '<html lang="en">' in home and "김 지우" in home


@pytest.mark.parametrize(
    "field, value",
    [("language", "fr"), ("digest_frequency", "hourly"), ("display_name", "x" * 81), ("display_name", "a\x07b")],
)
def test_bad_profile_input_changes_nothing_and_says_why_in_korean(client, make_user, field, value):
    user = make_user("someone", first_name="원래 이름")
    client.force_login(user)
    data = {"display_name": "새 이름", "language": "en", "digest_frequency": "off", field: value}
    response = client.post("/accounts/profile/", data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "프로필을 저장하지 않았습니다" in html and 'class="errorlist' in html
    profile = profile_for(user)
    assert (profile.language, profile.digest_frequency) == ("ko", "weekly")
    user.refresh_from_db()
    assert user.first_name == "원래 이름"
    assert "django_language" not in response.cookies


def test_the_profile_language_is_applied_at_sign_in(client, make_user):
    user = make_user("someone")
    Profile.objects.create(user=user, language="en")
    response = client.post("/accounts/login/", {"username": "someone", "password": "pw-for-tests-1"})
    assert response.status_code == 302 and response.cookies["django_language"].value == "en"
    assert '<html lang="en">' in client.get("/").content.decode()


def test_profile_for_creates_the_defaults_once(make_user):
    user = make_user("someone")
    first = profile_for(user)
    assert (first.language, first.digest_frequency) == ("ko", "weekly")
    assert profile_for(User.objects.get(pk=user.pk)).pk == first.pk
    assert Profile.objects.count() == 1


def test_the_navigation_offers_sign_in_and_sign_up_or_the_profile(client, make_user):
    html = client.get("/").content.decode()
    assert "로그인 / 회원가입" in html
    client.force_login(make_user("someone", first_name="지우"))
    html = client.get("/").content.decode()
    assert 'href="/accounts/profile/"' in html and "지우" in html and "로그인 / 회원가입" not in html


def test_account_pages_are_korean(client, make_user):
    for path, words in [
        ("/accounts/login/", "로그인"),
        ("/accounts/signup/", "회원가입"),
        ("/accounts/password/reset/", "비밀번호"),
    ]:
        html = client.get(path).content.decode()
        assert words in html and 'action="/i18n/setlang/"' in html, path
    client.force_login(make_user("someone"))
    for path, words in [
        ("/accounts/email/", "이메일 주소"),
        ("/accounts/password/change/", "비밀번호 변경"),
        ("/accounts/tokens/", "API 토큰"),
    ]:
        html = client.get(path).content.decode()
        assert words in html and 'class="account-nav"' in html, path


def test_sign_up_never_takes_an_example_accounts_name(client):
    from seoulhub.accounts import demo

    _verified_user(client, "operator@example.com")
    person = User.objects.get(email="operator@example.com")
    assert person.username not in {name for name, _role, _staff in demo.DEMO_USERS}
    # Even renamed by someone to an example name, the demo loader hands it no role.
    User.objects.filter(pk=person.pk).update(username="official")
    demo.load(lambda line: None)
    assert not person.groups.exists()
    assert Group.objects.get(name=Role.OPERATOR.value).user_set.filter(username="operator").exists()


def test_the_example_accounts_sign_in_with_their_username(client):
    from seoulhub.accounts import demo

    demo.load(lambda line: None)
    response = client.post("/accounts/login/", {"username": "operator", "password": demo.DEMO_PASSWORD})
    assert response.status_code == 302 and _signed_in(client)
    # The header shows the account's name: labelled 예시, in Korean.
    assert User.objects.get(username="firm").get_full_name() == "예시 기업 회원"


def test_no_example_accounts_in_production(settings):
    from seoulhub.accounts import demo

    settings.PRODUCTION = True
    assert demo.load(lambda line: None) == {"example users created": 0}
    assert not User.objects.exists()


def test_sign_up_is_rate_limited_per_client(client):
    statuses = [
        client.post("/accounts/signup/", {"email": f"p{n}@example.com", "password1": "x", "password2": "y"}).status_code
        for n in range(22)
    ]
    assert statuses[0] == 200 and statuses[-1] == 429


def test_too_many_sign_ins_get_a_korean_page(client, make_user):
    make_user("someone")
    for _ in range(10):
        client.post("/accounts/login/", {"username": "someone", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "someone", "password": "pw-for-tests-1"})
    assert response.status_code == 429
    assert "로그인 시도가 너무 많습니다" in response.content.decode()
    assert not _signed_in(client)


def test_in_development_the_check_your_mail_page_says_where_the_mail_went(client, settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path
    response = _sign_up(client)
    html = client.get(response["Location"]).content.decode()
    assert "개발 서버" in html and str(tmp_path) in html
    written = list(tmp_path.iterdir())
    assert len(written) == 1 and "/accounts/confirm-email/" in written[0].read_text()
    settings.PRODUCTION = True
    assert "개발 서버" not in client.get(response["Location"]).content.decode()


@pytest.mark.django_db(transaction=True)  # the worker closes the connection when it ends
def test_account_mails_are_sent_by_the_worker_not_the_request(client, settings):
    from django.core.management import call_command

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    response = _sign_up(client, "queued@example.com")
    assert response.status_code == 302 and User.objects.filter(email="queued@example.com").exists()
    assert not mail.outbox  # queued, not sent while the person waits for the page
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    assert [m.to for m in mail.outbox] == [["queued@example.com"]]
    assert mail.outbox[0].subject.startswith("[서울 디지털 허브]") and _link(mail.outbox[0])


def test_a_queue_that_is_down_does_not_break_the_sign_up(client, monkeypatch, caplog):
    from types import SimpleNamespace

    from seoulhub.accounts import tasks

    def down(*args, **kwargs):
        raise ConnectionError("queue down")

    monkeypatch.setattr(tasks, "send_account_mail", SimpleNamespace(enqueue=down))
    response = _sign_up(client, "later@example.com")
    assert response.status_code == 302 and User.objects.filter(email="later@example.com").exists()
    assert not mail.outbox and "could not queue the account e-mail" in caplog.text
