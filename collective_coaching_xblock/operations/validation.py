"""Checks of handler input: types, ids and lengths, with messages a person can act on."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

from ..i18n import gettext as _
from .errors import InvalidInput


def require_object(data) -> Mapping:
    """The request body must be a JSON object."""
    if not isinstance(data, Mapping):
        raise InvalidInput(_("The request body must be a JSON object."))
    return data


def text_field(data: Mapping, name: str, *, max_length: int, required: bool = True, default: str = "") -> str:
    """A string field, present when ``required``, at most ``max_length`` characters."""
    if name not in data or data[name] is None:
        if required:
            raise InvalidInput(_("The field '{name}' is required.").format(name=name))
        return default
    value = data[name]
    if not isinstance(value, str):
        raise InvalidInput(_("The field '{name}' must be text.").format(name=name))
    if "\x00" in value:
        raise InvalidInput(_("The field '{name}' contains a character that is not allowed.").format(name=name))
    if len(value) > max_length:
        raise InvalidInput(
            _("The field '{name}' is too long: at most {limit} characters.").format(name=name, limit=max_length)
        )
    return value


def choice_field(data: Mapping, name: str, choices, *, required: bool = True, default: str = "") -> str:
    """A string field whose value is one of ``choices``."""
    value = text_field(data, name, max_length=64, required=required, default=default)
    if value not in choices:
        raise InvalidInput(
            _("The field '{name}' must be one of: {choices}.").format(name=name, choices=", ".join(choices))
        )
    return value


def id_field(data: Mapping, name: str) -> int:
    """A positive integer id."""
    value = data.get(name)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2**63:
        raise InvalidInput(_("The field '{name}' must be a positive whole number.").format(name=name))
    return value


# Characters that show nothing on their own: format characters (zero-width spaces and joiners,
# bidi controls, soft hyphens, byte-order marks), controls, separators, and a few letters and marks
# that render as blank (Hangul fillers, the braille blank, variation selectors, the combining
# grapheme joiner, Mongolian and Khmer invisible marks).
_BLANK_CATEGORIES = ("Cf", "Cc", "Zs", "Zl", "Zp")
_BLANK_CHARACTERS = frozenset(
    "\u115f\u1160\u3164\uffa0\u2800\u034f\u17b4\u17b5\u180b\u180c\u180d\u180e"
    + "".join(chr(code) for code in range(0xFE00, 0xFE10))
    + "".join(chr(code) for code in range(0xE0100, 0xE01F0))
)


def is_invisible(character: str) -> bool:
    """Whether a character shows nothing by itself (or is a space)."""
    return character in _BLANK_CHARACTERS or unicodedata.category(character) in _BLANK_CATEGORIES or character.isspace()


def is_blank(text: str) -> bool:
    """Whether text is blank once invisible characters are removed."""
    return all(is_invisible(character) for character in text)


def required_text(data: Mapping, name: str, *, max_length: int, message: str) -> str:
    """A text field that must say something: blank text (invisible characters only) answers 400 with ``message``."""
    value = text_field(data, name, max_length=max_length)
    if is_blank(value):
        raise InvalidInput(message)
    return value


def normalise_name(text: str) -> str:
    """A name (a theme) as it is stored and compared: NFKC, case-folded, invisible characters removed,
    spaces collapsed. Look-alikes become one."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(" " if character.isspace() else character for character in text if not _hidden_mark(character))
    return " ".join(text.casefold().split())


def _hidden_mark(character: str) -> bool:
    return not character.isspace() and is_invisible(character)
