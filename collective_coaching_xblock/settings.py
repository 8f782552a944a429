"""Settings defaults applied by the Open edX plugin machinery (see ``apps.py``)."""

OPENEDX_HOST = "collective_coaching_xblock.platform.openedx.OpenEdxHost"


def plugin_settings(settings):
    """Use the Open edX host adapter unless the operator named another."""
    if not getattr(settings, "COLLECTIVE_COACHING_HOST", None):
        settings.COLLECTIVE_COACHING_HOST = OPENEDX_HOST
