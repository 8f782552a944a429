"""Benchmark: theme suggestions, how right and how fast (exercise/suggestions.py).

Prints precision at 3 and recall on the labelled stories (tests/data/theme_stories.json: the
cue words were written with it in view) and on the held-out ones (theme_stories_heldout.json:
written apart, never used to write the cues), per language; then the time to suggest for a
story of 2,000 words, per language: the first call (which stems the unit's cue words) and the
median and slowest of ROUNDS later calls (a new story each time: only the cue words are
cached). Run with ``make bench``.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from collective_coaching_xblock.exercise import suggestions as sg  # noqa: E402

DATA = ROOT / "tests" / "data"
ROUNDS = 50
WORDS = 2000


def measure(stories: list[dict], themes: list[str]) -> tuple[float, float, int]:
    right = made = labels = 0
    for story in stories:
        found = {s.theme for s in sg.suggest(story["text"], themes, sg.DEFAULT_CUES, story["lang"])}
        right, made, labels = (
            right + len(found & set(story["themes"])),
            made + len(found),
            labels + len(story["themes"]),
        )
    return right / max(made, 1), right / max(labels, 1), len(stories)


def long_story(stories: list[dict], language: str, seed: int) -> str:
    """WORDS words drawn from the language's stories (so cue words occur as in real text)."""
    words = " ".join(s["text"] for s in stories if s["lang"] == language).split()
    pick = random.Random(seed).choice
    return " ".join(pick(words) for _ in range(WORDS))


def main() -> int:
    print(f"Theme suggestions ({sg.__name__}; snowballstemmer)")
    for name in ("theme_stories.json", "theme_stories_heldout.json"):
        data = json.loads((DATA / name).read_text(encoding="utf-8"))
        for language in ("en", "es", None):
            chosen = [s for s in data["stories"] if language in (None, s["lang"])]
            precision, recall, count = measure(chosen, data["themes"])
            print(
                f"  {name}, {language or 'both'}: {count} stories, precision at 3 {precision:.2f}, recall {recall:.2f}"
            )
    data = json.loads((DATA / "theme_stories.json").read_text(encoding="utf-8"))
    for language in ("en", "es"):
        sg._index.cache_clear()
        start = time.perf_counter()
        sg.suggest(long_story(data["stories"], language, 0), data["themes"], sg.DEFAULT_CUES, language)
        first = (time.perf_counter() - start) * 1000
        times = []
        for seed in range(1, ROUNDS + 1):
            story = long_story(data["stories"], language, seed)
            start = time.perf_counter()
            sg.suggest(story, data["themes"], sg.DEFAULT_CUES, language)
            times.append((time.perf_counter() - start) * 1000)
        print(
            f"  a story of {WORDS} words, {language}: first call {first:.1f} ms; then median "
            f"{statistics.median(times):.1f} ms, slowest {max(times):.1f} ms ({ROUNDS} stories)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
