"""What course authors see: the Studio editor, the Studio preview and the block's validation.

Nothing here needs cohorts, users or the services that Studio's preview lacks.
"""

from __future__ import annotations

from .exercise import stages as st
from .exercise.settings import EDITABLE_FIELDS
from .exercise.templates import TEMPLATES
from .i18n import gettext, js_catalog, page_language


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


def editor_payload(block) -> dict:
    """The editor's state: every editable setting, the templates, and the choices it offers."""
    from .platform import get_host

    return {
        "i18n": js_catalog(),
        "language": page_language(),
        "teamsets": [{"id": teamset_id, "name": name} for teamset_id, name in get_host().teamsets(block) or []],
        "settings": {name: getattr(block, name) for name in EDITABLE_FIELDS},
        "templates": template_catalog(),
        "kinds": [
            {"id": kind, "label": gettext(label)}
            for kind, label in (
                (st.CONTRACT, "Contract and consent"),
                (st.NARRATIVE, "Story"),
                (st.WITNESS, "Witnessing"),
                (st.THEMES, "Shared themes"),
                (st.ACTION, "Action"),
            )
        ],
    }


def current_settings(block) -> dict:
    """The block's editable settings as they are now (the defaults for a partial change)."""
    return {name: getattr(block, name) for name in EDITABLE_FIELDS}
