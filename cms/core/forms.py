from wagtail.admin.forms.auth import LoginForm

from .login_throttling import LockoutMessageMixin


class AdminLoginForm(LockoutMessageMixin, LoginForm):
    """Wagtail's login form (WAGTAILADMIN_USER_LOGIN_FORM), telling a locked-out editor so."""
