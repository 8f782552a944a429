"""Django app of the demo host (its seeded cohorts and people)."""

from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo's cohorts and people, read by ``DemoHost`` and ``DemoUserService``."""

    name = "collective_coaching_xblock.demo"
    label = "collective_coaching_demo"
    verbose_name = "Collective coaching demo"
    default_auto_field = "django.db.models.BigAutoField"
