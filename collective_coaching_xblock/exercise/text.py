"""Texts in the pure domain: marking them for translation, and telling blank or look-alike text."""

from __future__ import annotations

import unicodedata


def gettext_noop(text: str) -> str:
    """Mark ``text`` for extraction into the translation catalog; it is translated where it is shown."""
    return text


class Message:
    """A translatable message with named parameters: translate the template, then fill it in."""

    def __init__(self, template: str, /, **params):
        self.template = template
        self.params = params

    def render(self, gettext=None) -> str:
        """The message in the language of ``gettext`` (English without it)."""
        template = gettext(self.template) if gettext else self.template
        params = {
            name: value.render(gettext) if isinstance(value, Message) else value for name, value in self.params.items()
        }
        return template.format(**params)

    def __str__(self) -> str:
        return self.render()

    def __repr__(self) -> str:
        return f"Message({self.render()!r})"


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


def normalise_name(text: str) -> str:
    """A name (a theme) as it is stored and compared: NFKC, case-folded, invisible characters removed,
    spaces collapsed. Look-alikes become one."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(" " if character.isspace() else character for character in text if not _hidden_mark(character))
    return " ".join(text.casefold().split())


def _hidden_mark(character: str) -> bool:
    return not character.isspace() and is_invisible(character)
