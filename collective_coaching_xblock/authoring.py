"""What course authors see: the Studio editor, the Studio preview and the block's validation.

Nothing here needs cohorts, users or the services that Studio's preview lacks.
"""

from __future__ import annotations

from .exercise import stages as st
from .exercise.settings import EDITABLE_FIELDS
from .exercise.templates import TEMPLATES
from .exercise.text import gettext_noop
from .i18n import gettext, js_catalog, page_language

#: The stage kinds as the editor names them (marked, so that the catalogs have them).
KIND_LABELS = {
    st.CONTRACT: gettext_noop("Contract and consent"),
    st.NARRATIVE: gettext_noop("Story"),
    st.WITNESS: gettext_noop("Witnessing"),
    st.THEMES: gettext_noop("Shared themes"),
    st.ACTION: gettext_noop("Action"),
    st.CHECKIN: gettext_noop("Check-in (statements on a scale, before and after)"),
}


def citation_text(citation) -> str:
    """A citation as authors read it: authors (year). Title. doi:..."""
    text = f"{citation.authors} ({citation.year}). {citation.title}."
    return f"{text} doi:{citation.doi}" if citation.doi else text


def template_catalog() -> list[dict]:
    """Every built-in template with its aim, evidence and stages, for the editor."""
    return [
        {
            "id": template.id,
            "title": gettext(template.title),
            "aim": gettext(template.aim),
            "citations": [{"text": citation_text(citation), "doi": citation.doi} for citation in template.citations],
            "stages": [dict(stage) for stage in template.stages],
        }
        for template in TEMPLATES.values()
    ]


def evidence(template_id: str) -> dict | None:
    """The aim and citations of a template, translated, or None for a custom exercise."""
    template = TEMPLATES.get(template_id)
    if template is None:
        return None
    return {
        "title": gettext(template.title),
        "aim": gettext(template.aim),
        "citations": [{"text": citation_text(c), "doi": c.doi} for c in template.citations],
    }


def shown_titles(stages) -> dict[str, str]:
    """Each stage title of ``stages`` and of the templates, as a person reads it where it differs: a
    template's title is stored in English and shown in the reader's language (decision 0005)."""
    every = list(stages if isinstance(stages, list) else []) + [s for t in TEMPLATES.values() for s in t.stages]
    titles = {stage.get("title") for stage in every if isinstance(stage, dict)}
    return {title: gettext(title) for title in titles if isinstance(title, str) and title and gettext(title) != title}


def editor_payload(block) -> dict:
    """The editor's state: every editable setting, the templates, and the choices it offers."""
    from .platform import get_host

    return {
        "i18n": js_catalog(),
        "language": page_language(),
        "teamsets": [{"id": teamset_id, "name": name} for teamset_id, name in get_host().teamsets(block) or []],
        "settings": {name: getattr(block, name) for name in EDITABLE_FIELDS},
        "templates": template_catalog(),
        # A stage's heading in the editor reads as the learner reads it; its field keeps what is stored.
        "shown_titles": shown_titles(block.stages or []),
        "kinds": [{"id": kind, "label": gettext(label)} for kind, label in KIND_LABELS.items()],
    }


def current_settings(block) -> dict:
    """The block's editable settings as they are now (the defaults for a partial change)."""
    return {name: getattr(block, name) for name in EDITABLE_FIELDS}
