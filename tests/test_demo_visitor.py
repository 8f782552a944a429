"""The demo's front page and its visitor who picked no user, over real HTTP.

The workbench names such a visitor ``student_1``, who would take a seat in the first group of
Cohort A; following the README (alice, bob and carol in three tabs) would then not fit them in
one group. Here the visitor reads, is told how to pick a user, and takes no seat.
"""

from __future__ import annotations

import urllib.error
import urllib.request

from .demo_server import Browserless, start_demo_server

demo_server = start_demo_server()


def test_front_page_tells_how_to_pick_a_user(demo_server):
    html = urllib.request.urlopen(demo_server + "/", timeout=30).read().decode()
    assert "?student=&lt;id&gt;" in html
    for name in ("alice", "bob", "carol", "facilitator"):
        assert f'/scenario/collective_coaching.0/?student={name}"' in html


def test_a_visitor_without_a_user_takes_no_seat_and_alice_bob_carol_share_one_group(demo_server):
    scenario = f"{demo_server}/scenario/collective_coaching.0/"
    for _ in range(2):  # twice, as a visitor reloading the page
        html = urllib.request.urlopen(scenario, timeout=30).read().decode()
        assert "You have not picked a demo user" in html and "?student=alice" in html
        assert "Your small group" not in html  # no learner view, no group

    visitor = Browserless(demo_server, "")
    visitor.open_unit()
    status, body = visitor.post("join_group", {})
    assert status == 403 and "error" in body

    learners = [Browserless(demo_server, name) for name in ("alice", "bob", "carol")]
    for learner in learners:
        learner.open_unit()
    for learner in learners:
        members = learner.ok("get_state")["group"]["members"]
        assert [member["name"] for member in members] == ["Alice", "Bob", "Carol"]

    facilitator = Browserless(demo_server, "facilitator")
    facilitator.open_unit()
    dashboard = facilitator.ok("dashboard_data")
    assert dashboard["learners"] == 3, dashboard  # alice, bob and carol; nobody else took a seat


def test_the_front_page_switches_the_demo_to_spanish_and_back(demo_server):
    import urllib.parse

    tester = Browserless(demo_server, "hamid")
    front = tester.opener.open(demo_server + "/", timeout=30).read().decode()
    assert 'name="language"' in front and 'value="es-419"' in front
    assert "Your small group" in tester.open_unit()  # the browser asks for no language: English

    def switch(language: str) -> None:
        body = urllib.parse.urlencode({"language": language, "next": "/"}).encode()
        headers = {"Referer": demo_server + "/", "X-CSRFToken": tester.csrf()}
        request = urllib.request.Request(demo_server + "/i18n/setlang/", data=body, headers=headers, method="POST")
        assert tester.opener.open(request, timeout=30).status == 200  # redirected to the front page

    switch("es-419")
    page = tester.open_unit()
    assert "Tu grupo pequeño" in page and "Your small group" not in page
    status, body = tester.post("submit_contribution", {"stage_id": "nowhere"})
    assert status == 400 and body["error"] == "No existe la etapa 'nowhere' en este ejercicio."
    switch("en")
    assert "Your small group" in tester.open_unit()
