"""The block's editable settings, checked as a whole before anything is saved.

Studio's editor and OLX import both come through ``clean_settings``: an invalid value refuses
the whole change with every reason at once, so an author never saves half a configuration.
"""

from __future__ import annotations

from collections.abc import Mapping

from .exercise import ANONYMITY
from .grouping import GROUP_SIZE_MAX, GROUP_SIZE_MIN, REGROUP_DAYS_MAX
from .stages import StageConfigError, stage_to_dict, stages_from_settings
from .suggestions import CUE_LENGTH, CUES_PER_LANGUAGE, STEMMERS
from .templates import TEMPLATES
from .text import Message, is_blank, normalise_name
from .text import gettext_noop as _

GROUP_SOURCES = ("cohort", "team", "pool")
TEXT_CAP_MAX = 100_000
THEME_LENGTH = 100


class SettingsError(ValueError):
    """Settings that cannot be saved; ``messages`` says why, for the author (translatable)."""

    def __init__(self, messages: list[Message]):
        super().__init__("; ".join(str(message) for message in messages))
        self.messages = messages

    def render(self, gettext=None) -> list[str]:
        """Every reason, in the language of ``gettext``."""
        return [message.render(gettext) for message in self.messages]


def _is_cue(cue) -> bool:
    """A word or a phrase, with at least one letter (a cue of none could never match)."""
    return (
        isinstance(cue, str)
        and 0 < len(cue.strip()) <= CUE_LENGTH
        and "\x00" not in cue
        and any(character.isalpha() for character in cue)
    )


def _theme_cues(raw, errors: list[Message]) -> dict | None:
    """The cue words that suggest each theme, per language (``suggestions``, decision 0016).

    Cue words of a theme that is not in the list are kept (an OLX import keeps them) and not used.
    Studio shows and saves the cue words of the listed themes only.
    """
    if isinstance(raw, dict) and all(
        isinstance(theme, str)
        and 0 < len(normalise_name(theme)) <= THEME_LENGTH
        and isinstance(languages, dict)
        and all(
            language in STEMMERS
            and isinstance(cues, list)
            and len(cues) <= CUES_PER_LANGUAGE
            and all(_is_cue(cue) for cue in cues)
            for language, cues in languages.items()
        )
        for theme, languages in raw.items()
    ):
        return {
            normalise_name(theme): {
                language: list(dict.fromkeys(cue.strip() for cue in cues))
                for language, cues in sorted(languages.items())
            }
            for theme, languages in raw.items()
        }
    errors.append(
        Message(
            _(
                "Cue words must be, per theme and per language ({languages}), a list of at most {count} words "
                "of 1 to {length} characters."
            ),
            languages=", ".join(sorted(STEMMERS)),
            count=CUES_PER_LANGUAGE,
            length=CUE_LENGTH,
        )
    )
    return None


def _int(data: Mapping, name: str, low: int, high: int, errors: list[Message], label: Message):
    value = data.get(name)
    # Only ASCII digits: "²" or "١٢" pass str.isdigit() but are not what an author types as a number.
    if isinstance(value, str) and value.strip().lstrip("-").isascii() and value.strip().lstrip("-").isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        errors.append(
            Message(_("{label} must be a whole number from {low} to {high}."), label=label, low=low, high=high)
        )
        return None
    return value


def clean_settings(data: Mapping, defaults: Mapping | None = None) -> dict:
    """Check and normalise every editable setting; raise ``SettingsError`` listing each problem.

    Settings missing from ``data`` take their value from ``defaults`` (the block's current ones).
    """
    if not isinstance(data, Mapping):
        raise SettingsError([Message(_("The settings must be an object."))])
    data = {**(defaults or {}), **data}
    errors: list[Message] = []
    cleaned: dict = {}
    name = data.get("display_name")
    if not isinstance(name, str) or is_blank(name) or "\x00" in name or len(name) > 255:
        errors.append(Message(_("The display name must be 1 to 255 characters.")))
    else:
        cleaned["display_name"] = name.strip()
    template = data.get("template", "gina")
    if not isinstance(template, str) or (template not in TEMPLATES and template != "custom"):
        errors.append(Message(_("Unknown template '{template}'."), template=str(template)[:100]))
    cleaned["template"] = template
    source = data.get("group_source", "cohort")
    if source not in GROUP_SOURCES:
        errors.append(Message(_("The group source must be cohort, team or pool.")))
    cleaned["group_source"] = source
    teamset = data.get("teamset_id", "") or ""
    if not isinstance(teamset, str) or "\x00" in teamset or len(teamset) > 255:
        errors.append(Message(_("The teamset id must be text.")))
    elif source == "team" and not teamset.strip():
        errors.append(Message(_("Choose the teamset whose teams form the groups.")))
    cleaned["teamset_id"] = teamset.strip() if isinstance(teamset, str) else ""
    cleaned["group_size"] = _int(
        data, "group_size", GROUP_SIZE_MIN, GROUP_SIZE_MAX, errors, Message(_("The group size"))
    )
    cleaned["required_reflections"] = _int(
        data, "required_reflections", 1, GROUP_SIZE_MAX - 1, errors, Message(_("Required reflections"))
    )
    cleaned["max_text_length"] = _int(
        data, "max_text_length", 100, TEXT_CAP_MAX, errors, Message(_("The longest text"))
    )
    cleaned["regroup_days"] = _int(
        data, "regroup_days", 0, REGROUP_DAYS_MAX, errors, Message(_("Days a group below three waits"))
    )
    cleaned["stall_days"] = _int(
        data, "stall_days", 1, 365, errors, Message(_("Days before a learner counts as stalled"))
    )
    if not isinstance(data.get("peers_after_own_story", True), bool):
        errors.append(Message(_("'See peers' stories only after sharing my own' must be true or false.")))
    cleaned["peers_after_own_story"] = bool(data.get("peers_after_own_story", True))
    anonymity = data.get("anonymity", "names")
    if anonymity not in ANONYMITY:
        errors.append(Message(_("Anonymity must be names or pseudonyms.")))
    cleaned["anonymity"] = anonymity
    weight = data.get("weight", 1.0)
    if isinstance(weight, bool) or not isinstance(weight, int | float) or not 0 <= weight <= 1000:  # NaN fails too
        errors.append(Message(_("The problem weight must be a number from 0 to 1000.")))
    else:
        cleaned["weight"] = float(weight)
    themes = data.get("themes", [])
    if not isinstance(themes, list) or not all(
        isinstance(theme, str) and 0 < len(normalise_name(theme)) <= THEME_LENGTH for theme in themes
    ):
        errors.append(Message(_("Themes must be a list of texts of 1 to {limit} characters."), limit=THEME_LENGTH))
    else:
        # Stored as learners' tags are (normalised), so a chosen theme and a typed one are the same.
        cleaned["themes"] = list(dict.fromkeys(normalise_name(theme) for theme in themes))
    cues = _theme_cues(data.get("theme_cues", {}), errors)
    if cues is not None:
        cleaned["theme_cues"] = cues
    raw_stages = data.get("stages")
    if not isinstance(raw_stages, list):
        errors.append(Message(_("The stages must be a list.")))
    else:
        try:
            cleaned["stages"] = [stage_to_dict(stage) for stage in stages_from_settings(raw_stages)]
        except StageConfigError as error:
            errors.append(error.message)
    if errors:
        raise SettingsError(errors)
    return cleaned


EDITABLE_FIELDS = (
    "display_name",
    "template",
    "group_source",
    "teamset_id",
    "group_size",
    "required_reflections",
    "max_text_length",
    "regroup_days",
    "stall_days",
    "peers_after_own_story",
    "anonymity",
    "weight",
    "themes",
    "theme_cues",
    "stages",
)
