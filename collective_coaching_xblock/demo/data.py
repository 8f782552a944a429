"""The demo's seed data. Kept stable: tests, checks and later work rely on these names."""

from __future__ import annotations

import hashlib

DEMO_COURSE_ID = "course-v1:CollectiveCoaching+Demo+2026"

COHORTS = {
    "cohort-a": ("Cohort A", ("alice", "bob", "carol", "dan", "erin", "farah")),
    "cohort-b": ("Cohort B", ("gita", "hamid", "ines", "jon", "kofi", "lena")),
}

#: username -> cohorts they facilitate (empty: all cohorts, as course staff do)
STAFF = {"facilitator": (), "facilitator_b": ("cohort-b",)}


def cohort_for_unknown(username: str) -> str:
    """The cohort of a student id that is not seeded: a stable choice, like random cohorts but repeatable."""
    slugs = sorted(COHORTS)
    digest = hashlib.sha256(username.encode("utf-8")).digest()
    return slugs[digest[0] % len(slugs)]


def display_name(username: str) -> str:
    """How the demo shows a person: their id with a capital, e.g. ``alice`` -> ``Alice``."""
    return username[:1].upper() + username[1:]


def email_address(username: str) -> str:
    """A demo person's email address (the demo writes its emails to files under var/mail)."""
    return f"{username}@example.com"
