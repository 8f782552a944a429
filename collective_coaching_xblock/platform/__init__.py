"""Host adapters: the one place that knows which platform the block runs in.

``get_host()`` returns the adapter named by the Django setting ``COLLECTIVE_COACHING_HOST``
(a dotted path to a ``Host`` subclass); Open edX needs no setting, the demo sets its own.
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.utils.module_loading import import_string

from .base import OWN_POOL, CohortRef, Contact, EnrolledLearner, Host, Person

DEFAULT_HOST = "collective_coaching_xblock.platform.openedx.OpenEdxHost"

__all__ = ["OWN_POOL", "CohortRef", "Contact", "EnrolledLearner", "Host", "Person", "get_host"]


@lru_cache(maxsize=4)
def _host_for(path: str) -> Host:
    return import_string(path)()


def get_host() -> Host:
    """The host adapter configured for this process (adapters hold no per-user state)."""
    return _host_for(getattr(settings, "COLLECTIVE_COACHING_HOST", DEFAULT_HOST))
