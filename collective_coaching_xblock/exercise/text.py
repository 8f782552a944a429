"""Marking texts for translation in the pure domain, which cannot import Django."""

from __future__ import annotations


def gettext_noop(text: str) -> str:
    """Mark ``text`` for extraction into the translation catalog; it is translated where it is shown."""
    return text


class Message:
    """A translatable message with named parameters: translate the template, then fill it in."""

    def __init__(self, template: str, **params):
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
