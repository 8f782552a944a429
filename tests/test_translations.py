"""The shipped es_419 translation: the learner view, handler errors and the page's JavaScript catalog."""

from __future__ import annotations

import json
import re
from pathlib import Path

from django.utils import translation

TRANSLATIONS = Path(__file__).resolve().parent.parent / "collective_coaching_xblock" / "translations"


def test_learner_view_renders_in_latin_american_spanish(workbench):
    with translation.override("es-419"):
        html = workbench.open_unit("alice")
    assert "Tu grupo pequeño" in html and "Nuestro acuerdo de grupo" in html
    assert "Mi grupo (y la persona facilitadora)" in html and "Solo yo" in html  # who reads it, in Spanish
    assert "Your small group" not in html and "Our group contract" not in html
    payload = json.loads(re.search(r'<script id="[^"]+-state" type="application/json">(.*?)</script>', html).group(1))
    assert payload["i18n"]["Saved."] == "Guardado."  # the JavaScript catalog travels with the page
    with translation.override("en"):
        assert "Your small group" in workbench.open_unit("alice")


def test_handler_errors_come_in_the_learners_language(workbench):
    workbench.open_unit("alice")
    # The browser's language, as the LMS's middleware reads it (the demo runs Django's LocaleMiddleware).
    result = workbench.call(
        "alice", "submit_contribution", {"stage_id": "nope", "text": "x", "sharing": "group"}, language="es-419"
    )
    assert result.status == 400
    assert result.body["error"] == "No existe la etapa 'nope' en este ejercicio."


def test_spanish_catalogs_are_complete_and_compiled():
    for domain in ("text", "textjs"):
        source = (TRANSLATIONS / "en" / "LC_MESSAGES" / f"{domain}.po").read_text()
        spanish = (TRANSLATIONS / "es_419" / "LC_MESSAGES" / f"{domain}.po").read_text()
        assert spanish.count("\nmsgid ") == source.count("\nmsgid ")
        assert '\nmsgstr ""\n\n' not in spanish.split("\n\n", 1)[1]  # no empty translation after the header
        assert "#, fuzzy" not in spanish
        assert (TRANSLATIONS / "es_419" / "LC_MESSAGES" / f"{domain}.mo").stat().st_size > 1000


def test_the_dashboard_chart_and_a_groups_themes_come_in_the_facilitators_language(workbench):
    for student in ("alice", "bob"):
        workbench.open_unit(student)
        workbench.ok(student, "submit_contribution", {"stage_id": "contract"})
        workbench.ok(student, "submit_contribution", {"stage_id": "tell", "text": "Story.", "sharing": "group"})
    group_id = workbench.ok("alice", "get_state")["group"]["id"]
    workbench.ok("facilitator", "open_stage", {"stage_id": "themes", "group_id": group_id})
    workbench.ok("alice", "tag_themes", {"themes": [{"theme": "time", "structural": True}]})
    dashboard = workbench.call("facilitator", "dashboard_data", {"cohort": "cohort-a"}, language="es-419").body
    assert [bar["title"] for bar in dashboard["chart"]][:2] == [
        "Nuestro acuerdo de grupo",
        "Cuenta tu relato de carrera",
    ]
    detail = workbench.call("facilitator", "group_detail", {"group_id": group_id}, language="es-419").body
    assert [(t["theme"], t["label"]) for t in detail["themes"]] == [("time", "tiempo")]
