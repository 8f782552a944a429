"""Django app configuration; ``plugin_app`` lets Open edX install the app with no settings change."""

from django.apps import AppConfig

_SETTINGS = {"relative_path": "settings"}


class CollectiveCoachingConfig(AppConfig):
    """The collective coaching Django app (models, migrations)."""

    name = "collective_coaching_xblock"
    label = "collective_coaching"
    verbose_name = "Collective coaching"
    default_auto_field = "django.db.models.BigAutoField"

    # Read by edx-django-utils' plugin machinery in the LMS and Studio.
    plugin_app = {
        "url_config": {
            "lms.djangoapp": {
                "namespace": "collective_coaching",
                "regex": r"^collective-coaching/",
                "relative_path": "urls",
            },
        },
        "settings_config": {
            "lms.djangoapp": {"common": _SETTINGS, "production": _SETTINGS},
            "cms.djangoapp": {"common": _SETTINGS, "production": _SETTINGS},
        },
    }

    def ready(self):
        """Listen for the LMS's user retirement, where the platform offers it."""
        from .platform.openedx import retirement_signal
        from .retirement import on_user_retired

        signal = retirement_signal()
        if signal is not None:
            signal.connect(on_user_retired, dispatch_uid="collective_coaching_retire_user")
