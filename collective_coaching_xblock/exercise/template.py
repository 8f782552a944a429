"""What a built-in template is: a ready-made exercise and the published sources it rests on.

The built-in templates themselves, with their texts, are in ``templates.py``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Citation:
    """A published source an exercise rests on."""

    authors: str
    year: int
    title: str
    doi: str = ""


@dataclass(frozen=True)
class Template:
    """A ready-made exercise: its stages (stored form) and the evidence behind it."""

    id: str
    title: str
    aim: str
    citations: tuple[Citation, ...]
    stages: tuple[dict, ...]
