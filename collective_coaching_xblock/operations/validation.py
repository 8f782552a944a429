"""Checks of handler input: types, ids and lengths, with messages a person can act on."""

from __future__ import annotations

from collections.abc import Mapping

from ..exercise.text import is_blank, normalise_name
from ..i18n import gettext as _
from .errors import InvalidInput


def require_object(data) -> Mapping:
    """The request body must be a JSON object."""
    if not isinstance(data, Mapping):
        raise InvalidInput(_("The request body must be a JSON object."))
    return data


__all__ = [
    "bool_field",
    "choice_field",
    "id_field",
    "is_blank",
    "normalise_name",
    "require_object",
    "required_text",
    "text_field",
]


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


_REQUIRED = object()


def bool_field(data: Mapping, name: str, default=_REQUIRED) -> bool:
    """A field that must be ``true`` or ``false`` (not 0, 1, null or text); ``default`` where it is
    left out, when given (a field sent as null is still refused)."""
    if default is not _REQUIRED and name not in data:
        return default
    value = data.get(name)
    if not isinstance(value, bool):
        raise InvalidInput(_("The field '{name}' must be true or false.").format(name=name))
    return value


def id_field(data: Mapping, name: str) -> int:
    """A positive integer id."""
    value = data.get(name)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2**63:
        raise InvalidInput(_("The field '{name}' must be a positive whole number.").format(name=name))
    return value


def required_text(data: Mapping, name: str, *, max_length: int, message: str) -> str:
    """A text field that must say something: blank text (invisible characters only) answers 400 with ``message``."""
    value = text_field(data, name, max_length=max_length)
    if is_blank(value):
        raise InvalidInput(message)
    return value
