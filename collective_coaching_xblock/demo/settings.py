"""Django settings of the demo: the xblock-sdk workbench plus the coaching app and the demo host.

The workbench has no plugin mechanism, so this module adds our Django apps and replaces the
workbench's ``user`` service with one shaped like Open edX's. Paths can be moved with
``COLLECTIVE_COACHING_VAR`` (a folder) and ``COLLECTIVE_COACHING_DB`` (a SQLite file).
"""

import os
from importlib.metadata import entry_points
from pathlib import Path

import django
from workbench.settings import *  # noqa: F403 - extend the workbench's own settings

VAR_DIR = Path(os.environ.get("COLLECTIVE_COACHING_VAR", "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)

INSTALLED_APPS = [  # noqa: F405
    *INSTALLED_APPS,  # noqa: F405
    # edx-submissions: the Open edX host clears score overrides that earlier versions wrote there.
    "submissions",
    "collective_coaching_xblock.apps.CollectiveCoachingConfig",
    "collective_coaching_xblock.demo.apps.DemoConfig",
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("COLLECTIVE_COACHING_DB", str(VAR_DIR / "demo.sqlite3")),
        # Concurrent writers wait for the write lock instead of failing at once.
        "OPTIONS": {"timeout": 30},
    }
}
if django.VERSION >= (5, 1):
    # Take the write lock when a transaction begins, so that two transactions never both read and
    # then wait for each other to write (SQLite's deferred transactions can; MySQL locks rows).
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"

if os.environ.get("COLLECTIVE_COACHING_MYSQL"):
    # MariaDB or MySQL through PyMySQL, on the socket named by COLLECTIVE_COACHING_MYSQL
    # (`make test-mysql` starts one). Open edX runs on MySQL.
    import pymysql

    pymysql.install_as_MySQLdb()
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.mysql",
            "NAME": os.environ.get("COLLECTIVE_COACHING_DB", "collective_coaching"),
            "HOST": os.environ["COLLECTIVE_COACHING_MYSQL"],
            "USER": "root",
            "PASSWORD": "",
            "OPTIONS": {"charset": "utf8mb4"},
            "TEST": {"CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"},
        }
    }
    # edx-submissions' migration 0006, a MariaDB-only conversion of char(32) UUID columns, fails on
    # a fresh database ("Unknown column 'uuid' in 'submissions_studentitem'": that table has none).
    # Django 5 already creates those columns as MariaDB's native uuid, so the demo skips it. Our own
    # app's migrations run unchanged.
    import importlib

    importlib.import_module("submissions.migrations.0006_mariadb_uuid_conversion").Migration.operations = []

# The platform's cache (memcached or Redis in Open edX) is shared by every worker process; the
# demo's gunicorn workers share this folder (the block caches stage dates there, never words).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(VAR_DIR / "cache")}
}

LOGGING["handlers"]["logfile"]["filename"] = str(VAR_DIR / "workbench.log")  # noqa: F405
# The workbench logs everything from Django at DEBUG; a template's missing-variable message holds
# the whole context (learners' texts) and, written under load, slows every request.
LOGGING["loggers"]["django"]["level"] = "INFO"  # noqa: F405
LOGGING["loggers"]["django.template"] = {"handlers": ["logfile"], "level": "WARNING", "propagate": False}  # noqa: F405

# Show only this project's scenarios on the workbench's front page.
EXCLUDED_XBLOCKS = {
    entry_point.name
    for entry_point in entry_points(group="xblock.v1")
    if not entry_point.value.startswith("collective_coaching_xblock")
}

# The front page says how to pick a user (demo/templates/workbench/index.html replaces the workbench's).
TEMPLATES[0]["DIRS"] = [str(Path(__file__).resolve().parent / "templates"), *TEMPLATES[0]["DIRS"]]  # noqa: F405

# A visitor who names no ``?student=`` is an anonymous, read-only visitor, not the workbench's
# default learner ``student_1`` (who would take a seat in a demo group).
MIDDLEWARE = [*MIDDLEWARE, "collective_coaching_xblock.demo.middleware.VisitorWithoutStudentMiddleware"]  # noqa: F405

WORKBENCH["services"]["user"] = "collective_coaching_xblock.demo.services.DemoUserService"  # noqa: F405
# The workbench's field rows, each read once per request (demo/fields.py; decision 0012).
WORKBENCH["services"]["field-data"] = "collective_coaching_xblock.demo.fields.RequestFieldData"  # noqa: F405

ROOT_URLCONF = "collective_coaching_xblock.demo.urls"

# The browser's language picks the demo's language, as the LMS picks a learner's: English, or
# the shipped Latin American Spanish (a browser set to es-419 sees the block in Spanish).
MIDDLEWARE = [*MIDDLEWARE]  # noqa: F405
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware") + 1,
    "django.middleware.locale.LocaleMiddleware",
)
LANGUAGES = [("en", "English"), ("es-419", "Español (Latinoamérica)")]

COLLECTIVE_COACHING_HOST = "collective_coaching_xblock.demo.host.DemoHost"

# The group's news by email (send_group_news) through edx-ace, the platform's messaging library,
# configured as the LMS can be: Django's email channel. The demo writes each email to a file under
# var/mail; its links point at the demo server (the workbench's scenario pages).
INSTALLED_APPS = [*INSTALLED_APPS, "edx_ace"]
ACE_ENABLED_CHANNELS = ["django_email"]
ACE_CHANNEL_DEFAULT_EMAIL = "django_email"
ACE_CHANNEL_TRANSACTIONAL_EMAIL = "django_email"
ACE_ENABLED_POLICIES = []
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = "collective-coaching@example.com"
COLLECTIVE_COACHING_DEMO_URL = os.environ.get("COLLECTIVE_COACHING_DEMO_URL", "http://127.0.0.1:8000")
