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
    first = unit.step_list[0]
    client.post(unit.url + unit.reverse_subpage("step_viewed", args=[first.id]))
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


def reset_link(message) -> str:
    return re.search(r"https?://\S+/password-reset/\S+/", message.body).group(0)


def test_the_registered_address_mail_links_to_a_password_reset(client, catalogue):
    get_user_model().objects.create_user("max@example.org", "max@example.org", "Geheim-123!")
    sign_up(client, catalogue, "max@example.org")

    assert catalogue.full_url + "password-reset/" in mail.outbox[0].body


def test_a_forgotten_password_is_replaced_through_a_mailed_link(client, catalogue):
    user = get_user_model().objects.create_user(
        "max@example.org", "max@example.org", "Vergessen-123!"
    )
    unknown = client.post(
        catalogue.url + "password-reset/", {"email": "niemand@example.org"}, follow=True
    )
    known = client.post(
        catalogue.url + "password-reset/", {"email": "Max@Example.org"}, follow=True
    )
    assert visible_text(known).replace("Max@Example.org", "A") == visible_text(unknown).replace(
        "niemand@example.org", "A"
    )
    assert [message.to for message in mail.outbox] == [["max@example.org"]]

    link = reset_link(mail.outbox[0])
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    changed = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"new_password1": PASSWORD, "new_password2": PASSWORD},
    )

    assert changed.status_code == 302
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    again = client.get(link, follow=True)
    assert re.search("invalid|ungültig", again.content.decode())
