"""Authoring: templates with their evidence, the Studio editor's validation, the preview, OLX."""

from __future__ import annotations

import copy

import pytest
from lxml import etree
from workbench.runtime import WorkbenchRuntime

from collective_coaching_xblock.block import OlxError
from collective_coaching_xblock.exercise.templates import TEMPLATES
from collective_coaching_xblock.models import Contribution, Reflection
from collective_coaching_xblock.platform import get_host


def settings_of(wb, usage=None):
    block = wb.block("facilitator", usage)
    from collective_coaching_xblock import authoring

    return authoring.current_settings(block)


def save(wb, student, changes, usage=None):
    body = {**settings_of(wb, usage), **changes}
    return wb.call(student, "save_settings", body, usage)


def gina_stages():
    return [dict(stage) for stage in TEMPLATES["gina"].stages]


def test_every_template_states_its_aim_and_evidence():
    assert set(TEMPLATES) == {
        "gina",
        "gina_checkin",
        "outsider_witness",
        "tree_of_life",
        "system_of_influences",
        "career_construction",
    }
    for template in TEMPLATES.values():
        assert template.aim and template.citations
        assert all(c.authors and c.year and c.title for c in template.citations)
    assert [s["id"] for s in TEMPLATES["outsider_witness"].stages] == ["tell", "retell", "respond"]
    tree = [s["id"] for s in TEMPLATES["tree_of_life"].stages]
    assert tree[1:9] == ["roots", "ground", "trunk", "branches", "leaves", "fruits", "storms", "forest"]
    assert any(c.doi == "10.1080/01933922.2021.1929619" for c in TEMPLATES["gina"].citations)


def test_studio_editor_shows_templates_with_citations(workbench):
    html = workbench.block("facilitator").render("studio_view", {}).body_html()
    for template in TEMPLATES.values():
        assert template.title in html
    assert "10.1111/j.1556-6676.2012.00002.x" in html  # Savickas 2012, career construction
    assert "CollectiveCoachingStudio" in html


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"group_size": 2}, "group size must be a whole number from 3 to 8"),
        ({"group_size": 9}, "group size must be a whole number from 3 to 8"),
        ({"stages": []}, "at least one stage"),
        ({"stages": gina_stages() + [dict(gina_stages()[1])]}, "Stage ids must be unique"),
        ({"stages": [{"id": "a", "kind": "poem"}]}, "unknown kind"),
        (
            {
                "stages": [
                    {
                        "id": "t",
                        "kind": "narrative",
                        "opens": "2026-02-01T00:00:00+00:00",
                        "closes": "2026-01-01T00:00:00+00:00",
                    }
                ]
            },
            "closes before it opens",
        ),
        ({"stages": [{"id": "w", "kind": "witness"}, {"id": "t", "kind": "narrative"}]}, "needs a story stage"),
        ({"stages": [{"id": "themes", "kind": "themes"}]}, "needs a story stage"),
        ({"stages": [{"id": "t", "kind": "narrative", "min_words": 50, "max_words": 10}]}, "minimum number of words"),
        ({"group_source": "team", "teamset_id": ""}, "teamset"),
        ({"anonymity": "secret"}, "Anonymity"),
        ({"display_name": ""}, "display name"),
        ({"themes": ["ok", ""]}, "Themes"),
    ],
)
def test_invalid_settings_are_refused_with_a_reason_and_nothing_is_saved(workbench, changes, reason):
    before = settings_of(workbench)
    result = save(workbench, "facilitator", changes)
    assert result.status == 400
    assert any(reason in error for error in result.body["errors"]), result.body
    assert settings_of(workbench) == before


def test_valid_settings_are_saved_by_staff_only(workbench):
    stages = gina_stages()
    stages[1]["prompts"] = [{"id": "turning_point", "text": "A moment that changed your direction."}]
    stages[1]["min_words"] = 5
    changes = {
        "display_name": "Stories of work",
        "group_size": 5,
        "anonymity": "pseudonyms",
        "stages": stages,
        "themes": ["Money", "housing"],
    }
    assert save(workbench, "alice", changes).status == 403
    result = save(workbench, "facilitator", changes)
    assert result.status == 200, result.body
    saved = settings_of(workbench)
    assert saved["display_name"] == "Stories of work" and saved["group_size"] == 5
    assert saved["themes"] == ["money", "housing"]
    assert saved["stages"][1]["prompts"][0]["text"] == "A moment that changed your direction."
    assert saved["theme_cues"]["money"]["es"][0] == "dinero"  # the built-in cue words, until an author edits them
    cues = {"Housing": {"en": [" rent ", "landlord", "rent"], "es": ["alquiler"]}}
    assert save(workbench, "facilitator", {**changes, "theme_cues": cues}).status == 200
    assert settings_of(workbench)["theme_cues"] == {"housing": {"en": ["rent", "landlord"], "es": ["alquiler"]}}
    for bad in ({"housing": {"de": ["Miete"]}}, {"housing": ["rent"]}, {"housing": {"en": ["x" * 41]}}, ["rent"]):
        refused = save(workbench, "facilitator", {**changes, "theme_cues": bad})
        assert refused.status == 400 and "Cue words" in str(refused.body), bad
    assert settings_of(workbench)["theme_cues"] == {"housing": {"en": ["rent", "landlord"], "es": ["alquiler"]}}
    # The word minimum now applies to learners.
    workbench.open_unit("alice")
    workbench.ok("alice", "submit_contribution", {"stage_id": "contract"})
    short = workbench.call(
        "alice", "submit_contribution", {"stage_id": "tell", "text": "Too short.", "sharing": "private"}
    )
    assert short.status == 400 and "at least 5 words" in short.body["error"]


def test_validate_warns_about_cohorts_in_a_course_without_cohorts(workbench, monkeypatch):
    block = workbench.block("facilitator")
    assert block.validate().messages == []
    host = get_host()
    monkeypatch.setattr(type(host), "course_has_cohorts", lambda self, block: False)
    (message,) = block.validate().messages
    assert message.type == "warning" and "has no cohorts" in message.text
    block.group_source = "pool"
    assert block.validate().messages == []
    block.stages = [{"id": "w", "kind": "witness"}]
    assert [m.type for m in block.validate().messages] == ["error"]


def test_author_view_shows_stages_prompts_and_evidence_without_a_user(workbench):
    runtime = WorkbenchRuntime()  # no student: Studio's preview has no learner
    block = runtime.get_block(workbench.usage_id)
    html = block.render("author_view", {}).body_html()
    assert "Research basis" in html and "10.1080/01933922.2021.1929619" in html
    assert "Tell your career story" in html and "A turning point in your working life or learning." in html
    assert "This is how learners see the stages" in html


def export_olx(block) -> bytes:
    node = etree.Element("unknown")
    block.add_xml_to_node(node)
    return etree.tostring(node, pretty_print=True)


@pytest.mark.parametrize("template_id", sorted(TEMPLATES))
def test_olx_export_import_export_is_identical_for_every_template(workbench, template_id):
    block = workbench.block("facilitator")
    block.template = template_id
    block.stages = [dict(stage) for stage in TEMPLATES[template_id].stages]
    block.group_size, block.anonymity, block.themes = 6, "pseudonyms", ["money", "rent"]
    block.required_reflections, block.peers_after_own_story, block.max_text_length = 3, False, 5000
    block.group_source, block.teamset_id, block.stall_days, block.weight = "team", "circles", 10, 2.5
    block.theme_cues = {"rent": {"en": ["rent", "landlord", "~flat"], "es": ["alquiler", "casero"]}}
    first = export_olx(block)
    runtime = WorkbenchRuntime("facilitator")
    runtime.id_generator.set_scenario(f"olx-{template_id}")
    imported = runtime.get_block(runtime.parse_xml_string(first.decode()))
    second = export_olx(imported)
    assert first == second
    assert imported.stages == block.stages and imported.teamset_id == "circles"
    assert imported.theme_cues == block.theme_cues


@pytest.mark.parametrize(
    ("olx", "reason"),
    [
        ('<collective_coaching group_size="12"/>', "group size"),
        ('<collective_coaching stages="not json"/>', "could not be read"),
        ('<collective_coaching stages=\'[{"id": "x", "kind": "poem"}]\'/>', "unknown kind"),
        ('<collective_coaching group_size="many"/>', "collective_coaching"),
        ('<collective_coaching theme_cues=\'{"rent": {"fr": ["loyer"]}}\'/>', "Cue words"),
        ('<collective_coaching theme_cues=\'{"rent": {"en": "rent"}}\'/>', "Cue words"),
    ],
)
def test_malformed_olx_fails_with_a_clear_error(workbench, olx, reason):
    runtime = WorkbenchRuntime("facilitator")
    runtime.id_generator.set_scenario("bad-olx")
    with pytest.raises(OlxError, match=reason):
        runtime.parse_xml_string(olx)


def test_editing_a_running_unit_keeps_learners_work(workbench):
    usage = workbench.add_block('<collective_coaching group_size="3"/>')
    for student in ("alice", "bob"):
        workbench.open_unit(student, usage)
        workbench.ok(student, "submit_contribution", {"stage_id": "contract"}, usage)
        workbench.ok(
            student, "submit_contribution", {"stage_id": "tell", "text": f"{student} story", "sharing": "group"}, usage
        )
    bob_story = Contribution.objects.get(author__learner_key="bob", stage_id="tell").pk
    workbench.ok("alice", "submit_reflection", {"contribution_id": bob_story, "answers": {"image": "A bridge."}}, usage)
    # The author rewords a witness prompt (same id) and removes the act stage.
    stages = gina_stages()
    stages[2] = copy.deepcopy(stages[2])
    stages[2]["prompts"][1]["text"] = "What picture came to mind?"
    workbench.ok("facilitator", "save_settings", {**settings_of(workbench, usage), "stages": stages[:4]}, usage)
    reflection = workbench.ok("bob", "get_state", usage_id=usage)["reflections"][0]
    assert reflection["answers"] == {"image": "A bridge."}
    # A removed stage keeps its contributions: hidden from learners, still in the export.
    workbench.ok("facilitator", "save_settings", {**settings_of(workbench, usage), "stages": stages}, usage)
    Contribution.objects.create(
        author=Contribution.objects.get(author__learner_key="alice", stage_id="tell").author,
        stage_id="act",
        text="Apply by Friday.",
        sharing="group",
    )
    without_act = [s for s in stages if s["id"] != "act"]
    workbench.ok("facilitator", "save_settings", {**settings_of(workbench, usage), "stages": without_act}, usage)
    state = workbench.ok("alice", "get_state", usage_id=usage)
    assert "act" not in {c["stage_id"] for c in state["contributions"]}
    assert [s["id"] for s in state["stages"]] == ["contract", "tell", "witness", "themes"]
    csv_text = workbench.client.get(f"/handler/{usage}/export_csv/?student=facilitator&texts=1").content.decode()
    assert "text:act (removed)" in csv_text and "Apply by Friday." in csv_text
    assert Contribution.objects.filter(stage_id="act").count() == 1 and Reflection.objects.count() == 1
    # Putting the stage back brings the work back.
    workbench.ok("facilitator", "save_settings", {**settings_of(workbench, usage), "stages": stages}, usage)
    assert "act" in {c["stage_id"] for c in workbench.ok("alice", "get_state", usage_id=usage)["contributions"]}


def test_the_editor_offers_the_courses_teamsets(workbench, monkeypatch):
    monkeypatch.setattr(type(get_host()), "teamsets", lambda self, block: [("circles", "Peer circles")])
    html = workbench.block("facilitator").render("studio_view", {}).body_html()
    assert '"teamsets": [{"id": "circles", "name": "Peer circles"}]' in html
