"""pytest: the embedded defaults, or the services named in the environment (see .ci/run)."""

from .base import *  # noqa: F403
from .base import CELERY_BROKER_URL, VAR_DIR
from .environment import filesystem_broker_options, get_bool, get_str

DEBUG = False
SECRET_KEY = "test-only-insecure-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
WAGTAILADMIN_BASE_URL = "http://testserver"

# Tests never touch the developer's var/: media goes to a per-test temp dir (tests/conftest.py)
# and the file-system broker gets its own folder.
MEDIA_ROOT = get_str("MEDIA_ROOT") or VAR_DIR / "test" / "media"
# A file, not memory, so worker processes started by tests see the same test database.
(VAR_DIR / "test").mkdir(parents=True, exist_ok=True)
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test" / "test-db.sqlite3")}  # noqa: F405
elif DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    # A test database is thrown away: commits need not wait for the disk (the transactional
    # tests, demo loads and worker processes commit thousands of times per run; visibility
    # and locking are unchanged). Measured: a demo load 10-12 s → 9.7-10.5 s.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"  # noqa: F405
if CELERY_BROKER_URL.startswith("filesystem"):
    _broker_dir = VAR_DIR / "test" / "celery"
    # Poll the queue folder five times a second (kombu's default is once): worker tests wait
    # for their tasks, not for the poll.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **filesystem_broker_options(_broker_dir),
        "polling_interval": 0.2,
    }
    CELERY_RESULT_BACKEND = get_str("CELERY_RESULT_BACKEND", f"file://{_broker_dir / 'results'}")

STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
MEDIA_WORK_DIR = get_str("MEDIA_WORK_DIR") or str(VAR_DIR / "test" / "work")
# Speech recognition only where a test turns it on (tests/media_pipeline/test_speech.py): the
# other pipeline tests feed tones and noise, and must not wait for the model on every file.
ASR_ENABLED = get_bool("ASR_ENABLED", False)
# The shared demo fixtures keep the demo's 6 s tone videos: speaking ones are longer to encode
# once per fresh var/ and to transcode (tests/cms/core/test_demo_speech.py makes one, small).
DEMO_VIDEOS_SPEAK = get_bool("DEMO_VIDEOS_SPEAK", False)

# django-axes warns about the local-memory cache (not shared between processes); one process
# is all that runs here.
SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "axes.W001"]  # noqa: F405
