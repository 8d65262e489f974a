"""Learner accounts by e-mail confirmation, without telling anyone which addresses exist.

``request_account`` answers every sign-up the same way; only the mailbox learns more: a new
address gets a link that activates the account, a registered one a note that someone tried
to sign up with it. The activation token is Django's password-reset token with its own salt
(so neither works as the other); it dies with the first login (``last_login`` is hashed in)
and after ``PASSWORD_RESET_TIMEOUT``.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode


class ActivationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "cms.learning.accounts.ActivationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return super()._make_hash_value(user, timestamp) + str(user.is_active)


activation_tokens = ActivationTokenGenerator()


def request_account(email: str, password: str, *, links: dict) -> None:
    """Create an inactive account and mail its activation link, or, for an address that has
    an account already, mail a login hint. ``links`` holds absolute URLs: ``login``,
    ``password_reset`` and ``confirm`` (a callable of uidb64 and token). Same work either
    way: a password is hashed.
    """
    user_model = get_user_model()
    user = user_model.objects.filter(username__iexact=email).first()
    if user is None:
        user = user_model.objects.create_user(
            username=email, email=email, password=password, is_active=False
        )
    elif not user.is_active and user.last_login is None:
        # Signed up before but never confirmed: the latest sign-up's password counts.
        user.set_password(password)
        user.save(update_fields=["password"])
    else:
        make_password(password)
        _send(
            email,
            "learning/emails/signup_existing",
            {"login_url": links["login"], "password_reset_url": links["password_reset"]},
        )
        return
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    confirm_url = links["confirm"](uidb64, activation_tokens.make_token(user))
    _send(email, "learning/emails/signup_confirm", {"confirm_url": confirm_url})


def find_user_to_activate(uidb64: str, token: str):
    """The inactive user a confirmation link names, or None if the link is invalid or used."""
    try:
        pk = urlsafe_base64_decode(uidb64).decode()
        user = get_user_model().objects.get(pk=pk, is_active=False)
    except (ValueError, TypeError, OverflowError, get_user_model().DoesNotExist):
        return None
    return user if activation_tokens.check_token(user, token) else None


def find_user_to_reset(uidb64: str, token: str):
    """The active user a password-reset link names, or None if it is invalid or used."""
    try:
        pk = urlsafe_base64_decode(uidb64).decode()
        user = get_user_model().objects.get(pk=pk, is_active=True)
    except (ValueError, TypeError, OverflowError, get_user_model().DoesNotExist):
        return None
    return user if default_token_generator.check_token(user, token) else None


def activate(user) -> None:
    user.is_active = True
    user.save(update_fields=["is_active"])


def _send(email: str, template: str, context: dict) -> None:
    subject = render_to_string(f"{template}_subject.txt", context).strip()
    body = render_to_string(f"{template}.txt", context)
    send_mail(subject, body, None, [email])
