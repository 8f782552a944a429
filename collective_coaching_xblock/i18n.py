"""Translation of the block's own strings, from the catalogs shipped in ``translations/``.

XBlocks ship their catalogs as ``translations/<lang>/LC_MESSAGES/text.mo``. Reading them here,
for the language Django has active for the request, gives the same translations in the LMS,
in Studio and in the demo, whatever the host's i18n service does.
"""

from __future__ import annotations

import gettext as gettext_module
from functools import lru_cache
from pathlib import Path

from django.utils import translation

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
DOMAIN = "text"


@lru_cache(maxsize=32)
def _catalog(language: str) -> gettext_module.NullTranslations:
    locale = translation.to_locale(language)
    return gettext_module.translation(
        DOMAIN, localedir=str(TRANSLATIONS_DIR), languages=[locale, locale.split("_")[0]], fallback=True
    )


def gettext(message: str) -> str:
    """``message`` in the active language, or unchanged where no translation exists."""
    return _catalog(translation.get_language() or "en").gettext(message)


@lru_cache(maxsize=32)
def _js_catalog(language: str) -> dict[str, str]:
    locale = translation.to_locale(language)
    catalog = gettext_module.translation(
        "textjs", localedir=str(TRANSLATIONS_DIR), languages=[locale, locale.split("_")[0]], fallback=True
    )
    messages = getattr(catalog, "_catalog", {})  # GNUTranslations keeps its messages here
    return {key: value for key, value in messages.items() if isinstance(key, str) and key and value}


def page_language() -> str:
    """The page's language as a BCP 47 tag (``es-419``), for the scripts' dates and numbers."""
    return translation.get_language() or "en"


def js_catalog() -> dict[str, str]:
    """The JavaScript strings of the active language (msgid -> translation); empty for English.

    The pages carry it in their state, so the block's scripts translate the same way in the
    LMS, in Studio and in the demo, with or without the platform's own JavaScript catalog.
    """
    return _js_catalog(translation.get_language() or "en")
