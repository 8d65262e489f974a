"""Local development and the `make demo` site: debug on, permissive hosts, a fixed key."""

from .base import *  # noqa: F403
from .environment import get_bool, get_list, get_str

DEBUG = get_bool("DEBUG", True)
SECRET_KEY = get_str("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")  # noqa: S105
ALLOWED_HOSTS = get_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
WHITENOISE_AUTOREFRESH = DEBUG

# django-axes warns about the local-memory cache (not shared between processes); one process
# is all that runs here.
SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "axes.W001"]  # noqa: F405
