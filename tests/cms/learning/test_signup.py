"""Sign-up by e-mail confirmation: the page never tells whether an address is registered."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from cms.learning.models import Learner, StepProgress

pytestmark = pytest.mark.django_db

PASSWORD = "Lernen-im-Betrieb-7"


def sign_up(client, catalogue, email):
    return client.post(
        catalogue.url + "signup/",
        {"email": email, "password1": PASSWORD, "password2": PASSWORD},
        follow=True,
    )


def confirmation_link(message) -> str:
    return re.search(r"https?://\S+/signup/confirm/\S+/", message.body).group(0)


def visible_text(response) -> str:
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return html


def test_sign_up_answers_the_same_for_new_and_registered_addresses(client, catalogue):
    get_user_model().objects.create_user("max@example.org", "max@example.org", "Geheim-123!")

    registered = sign_up(client, catalogue, "Max@Example.org")
    new = sign_up(client, catalogue, "neu@example.org")

    assert registered.status_code == new.status_code == 200
    assert registered.redirect_chain == new.redirect_chain
    registered_html = visible_text(registered).replace("max@example.org", "ADDRESS")
    assert registered_html == visible_text(new).replace("neu@example.org", "ADDRESS")
    assert "exists already" not in registered_html and "existiert bereits" not in registered_html


def test_a_registered_address_gets_a_mail_with_a_login_hint_not_a_new_account(client, catalogue):
    user = get_user_model().objects.create_user(
        "max@example.org", "max@example.org", "Geheim-123!"
    )
    sign_up(client, catalogue, "max@example.org")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["max@example.org"]
    assert catalogue.full_url + "login/" in message.body
    assert "/signup/confirm/" not in message.body
    user.refresh_from_db()
    assert user.check_password("Geheim-123!")
    assert get_user_model().objects.count() == 1


def test_a_new_address_is_activated_by_the_link_and_keeps_anonymous_progress(
    client, catalogue, unit
):
    client.get(unit.step_url(unit.step_list[0].id))
    anonymous = Learner.objects.get()

    sign_up(client, catalogue, "Lea@Example.org")

    user = get_user_model().objects.get(username="lea@example.org")
    assert not user.is_active
    assert "_auth_user_id" not in client.session
    link = confirmation_link(mail.outbox[0])
    assert mail.outbox[0].to == ["lea@example.org"]

    # Opening the link (as a mail scanner might) changes nothing; the button does.
    assert client.get(link).status_code == 200
    user.refresh_from_db()
    assert not user.is_active
    response = client.post(link)

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_active
    learner = Learner.objects.get()
    assert learner.pk == anonymous.pk and learner.user == user
    assert StepProgress.objects.get().learner_id == learner.pk
    assert unit.title in client.get(catalogue.url + "my-progress/").content.decode()


def test_a_confirmation_link_works_once_and_a_bad_one_is_a_message(client, catalogue):
    sign_up(client, catalogue, "lea@example.org")
    link = confirmation_link(mail.outbox[0])
    client.post(link)
    client.post(catalogue.url + "logout/")

    used = client.post(link, follow=True)
    broken = client.post(catalogue.url + "signup/confirm/xyz/abc-def/", follow=True)

    for response in (used, broken):
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
        assert re.search("invalid|ungültig", response.content.decode())
