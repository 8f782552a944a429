"""The test-only app holding the doubles of the platform's models (tests/settings.py installs it)."""

from django.apps import AppConfig


class OpenedxPlatformDoublesConfig(AppConfig):
    name = "tests.openedx_platform"
    label = "openedx_platform_doubles"
    default_auto_field = "django.db.models.AutoField"
