"""Rendering the block's Django templates (autoescaped) and reading its static files."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from django.template import Context, Engine
from django.utils import translation

from . import i18n

_ENGINE = Engine(
    # The XBlock i18n tags merge the block's own catalog into Django's for the render.
    libraries={"i18n": "xblock.utils.templatetags.i18n"},
    autoescape=True,
)


@lru_cache(maxsize=32)
def resource_text(path: str) -> str:
    """A text file shipped inside the package, e.g. ``static/js/learner.js`` (read once per process)."""
    return resources.files(__package__).joinpath(path).read_text(encoding="utf-8")


@lru_cache(maxsize=16)
def _template(path: str):
    return _ENGINE.from_string(resource_text(path))


def render(path: str, context: dict) -> str:
    """Render the template at ``path`` (inside the package) with ``context``."""
    catalog = i18n._catalog(translation.get_language() or "en")  # noqa: SLF001 - same package
    return _template(path).render(Context({**context, "_i18n_service": catalog}))
