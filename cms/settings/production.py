"""Production: refuses to start without a secret key and allowed hosts, or with DEBUG on."""

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, DEBUG, SECRET_KEY
from .environment import ConfigurationError, get_bool, get_int

if DEBUG:
    raise ConfigurationError("DEBUG must be off in production (unset DEBUG or set DEBUG=0).")
if not SECRET_KEY or len(SECRET_KEY) < 32:
    raise ConfigurationError("SECRET_KEY must be set to a random string of 32+ characters.")
if not ALLOWED_HOSTS:
    raise ConfigurationError("ALLOWED_HOSTS must list the site's host names, comma-separated.")

DEMO_CONTENT_ALLOWED = False

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = get_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Browsers accept __Host- cookies only over HTTPS, with Path=/ and no Domain: no other host
# (a subdomain, a plain-HTTP network attacker) can set or overwrite them.
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
LEARNING_COOKIE_NAME = "__Host-lernfunk_learner"
SECURE_HSTS_SECONDS = get_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 30)
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
}
WHITENOISE_USE_FINDERS = False
WHITENOISE_AUTOREFRESH = False
