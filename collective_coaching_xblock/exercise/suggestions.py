"""Theme suggestions from a learner's own story: the author's cue words, matched through a stemmer.

Pure Python (no Django, no database, nothing sent anywhere): the learner's text and the unit's
cue words go in, at most three suggestions come out, each with the words of the story that
suggested it. Words are matched through the Snowball stemmers (``snowballstemmer`` from PyPI,
the algorithms of snowballstem.org), so "nurseries" matches the cue "nursery" and "guarderías"
the cue "guardería"; a cue of several words ("night shift") matches those words in a row.

A suggestion is only a suggestion: the learner accepts, changes or ignores it, and says
themselves whether a theme is structural or personal. See docs/decisions/0016.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

#: Languages with a stemmer here, by the first part of a language code ("es-419" -> "es").
STEMMERS = {"en": "english", "es": "spanish"}
FALLBACK_LANGUAGE = "en"
LIMIT = 3
#: The words of the story shown with a suggestion, at most.
WORDS_SHOWN = 4
#: Cue words per theme and language that an author may enter, and their length.
CUES_PER_LANGUAGE = 60
CUE_LENGTH = 40


def _split(cues: str) -> list[str]:
    """A list of cues written as one text, separated by commas."""
    return [cue.strip() for cue in cues.split(",") if cue.strip()]


# Letters, with an apostrophe inside a word ("don't", "l'école").
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")

#: The built-in themes' cue words (exercise/templates.py: DEFAULT_THEMES), written for this
#: project. A cue is one word or several in a row; a cue that starts with "~" is a hint: it
#: counts half, so it suggests its theme only with another cue of the same theme. Authors edit
#: them in Studio and add cues for their own themes.
DEFAULT_CUES: dict[str, dict[str, list[str]]] = {
    "money": {
        "en": _split("""money, afford, debt, debts, loan, lend, rent, bills, wage, wages, salary, income, ~savings,
            deposit, poverty, unpaid, broke, mortgage, earn, earnings, pricing, cost, costs, expensive, fees,
            ~pay, ~paid, ~cash, ~benefits, ~cheap, ~price"""),
        "es": _split("""dinero, plata, deuda, deudas, préstamo, renta, alquiler, sueldo, salario, ingresos, ahorro,
            ahorros, ahorrando, pobreza, hipoteca, pesos, cuesta, cuestan, costo, caro, gastos, gano, fin de mes,
            ~pagar, ~pago, ~cuentas, ~precio"""),
    },
    "caring responsibilities": {
        "en": _split("""childcare, nursery, carer, caring for, care for, look after, looking after, school run,
            school runs, babysitter, single mum, single mother, single dad, kids, children, grandchildren,
            ~mother, ~father, ~mum, ~dad, ~son, ~sons, ~daughter, ~daughters, ~parents, ~family, ~baby, ~boys,
            ~girls, ~wife, ~husband"""),
        "es": _split("""guardería, cuidadora, cuidador, niñera, con quién dejar, nietos, nietas, ~cuidar, ~hijo,
            ~hija, ~hijos, ~hijas, ~niños, ~mamá, ~papá, ~madre, ~padre, ~familia, ~esposa, ~esposo, ~bebé"""),
    },
    "health": {
        "en": _split("""health, illness, disability, disabled, wheelchair, chronic, diagnosed, diagnosis, disease,
            injury, injured, surgery, pain, hurts, depression, anxiety, panic, breakdown, medication, therapy,
            burnout, sick leave, ~hospital, ~sick, ~ill, ~doctor, ~tired"""),
        "es": _split("""salud, enfermedad, enfermo, enferma, discapacidad, silla de ruedas, crónica, crónico,
            diagnosticaron, diagnóstico, lesión, cirugía, dolor, depresión, ansiedad, pánico, terapia,
            medicamentos, tratamiento, ~hospital, ~médico, ~cansancio"""),
    },
    "discrimination": {
        "en": _split("""discrimination, discriminated, racism, racist, sexism, sexist, prejudice, ageism, my age,
            too old, my accent, stereotype, harassment, harassed, passed over, unfair, bias, in favour of men,
            ~age, ~accent, ~woman, ~skin, ~colour, ~fair"""),
        "es": _split("""discriminación, discriminan, discriminaron, racismo, racista, machismo, prejuicio, acoso,
            chistes sobre, mi acento, mi edad, buena presencia, mejor presentación, injusto, injusticia,
            ~edad, ~acento, ~indígena, ~despidieron, ~mujer"""),
    },
    "confidence": {
        "en": _split("""confidence, confident, self-doubt, doubt myself, afraid, fear, scared, shy, not good enough,
            fool of myself, freeze, nervous, imposter, ashamed, dread, courage, insecure, can't face,
            ~worry, ~worried, ~embarrassed"""),
        "es": _split("""confianza, inseguridad, inseguro, insegura, miedo, temor, vergüenza, tímido, tímida,
            nerviosa, nervioso, me tiemblan, no sirvo, no soy capaz, me siento menos, me sentí menos,
            no sé hacer nada, ~me arrepentí, ~pena"""),
    },
    "qualifications": {
        "en": _split("""qualification, qualifications, qualified, degree, diploma, certificate, certificates,
            certification, recognised, recognized, accredited, exams, apprenticeship, credentials, licence,
            license, on paper, ~course, ~training, ~trained, ~college, ~university, ~school, ~study,
            ~studied, ~studying"""),
        "es": _split("""título, diploma, certificado, certificación, revalidar, convalidar, homologar, reconocen,
            reconocido, examen, exámenes, magíster, maestría, licenciatura, tecnicatura, prepa, secundaria,
            bachillerato, ~curso, ~capacitación, ~universidad, ~carrera, ~estudios, ~estudiar, ~estudié,
            ~escuela, ~formación"""),
    },
    "networks": {
        "en": _split("""network, networks, networking, contacts, connections, know anyone, nobody I know,
            no one to ask, word of mouth, referral, recommended me, introduced me, mentor, people you know,
            old colleagues, through friends, linkedin, ~friend, ~friends, ~colleagues, ~alone, ~isolated,
            ~stranger"""),
        "es": _split("""contactos, conocidos, networking, red de contactos, no conozco a nadie, conocer a nadie,
            no tengo a quién, recomendación, me recomendó, me presentó, palanca, compadre, ~amigo, ~amigos,
            ~amiga, ~nadie, ~colegas, ~desconocida, ~desconocidos"""),
    },
    "place and transport": {
        "en": _split("""bus, buses, ~train, ~trains, train station, station, transport, commute, commuting, taxi, rural,
            village, island, remote, relocate, ~moving to, miles, step-free, far from, hours away, ring road,
            city centre,
            ~car, ~drive, ~town, ~city, ~travel, ~road, ~moved, ~distance, ~lift"""),
        "es": _split("""autobús, bus, camión, camiones, colectivo, micro, tren, metro, transporte, carretera, lejos,
            kilómetros, vereda, pasaje, sin carro, ~pueblo, ~mudarnos, ~mudarme, ~carro, ~auto, ~ciudad"""),
    },
    "time": {
        "en": _split("""no time, don't have the hours, hours in the day, free evening, spare time, night shift,
            night shifts, two jobs, overtime, schedule, rota, exhausted, weekends, late finishes, ~hours,
            ~shift, ~shifts, ~evenings, ~nights, ~busy, ~tired, ~part-time"""),
        "es": _split("""no tengo tiempo, tiempo, turnos rotativos, ~horario, ~horarios, jornada, doce horas,
            fines de semana, rato libre, no me alcanza, madrugada, ~horas, ~noche, ~turno, ~turnos, ~tarde,
            ~cansada, ~cansado"""),
    },
}


@dataclass(frozen=True)
class Suggestion:
    """A theme the story may speak of, and the story's own words that suggested it."""

    theme: str
    words: tuple[str, ...]
    weight: int  # the weight of the different cues that matched: CUE each, HINT for a hint


def language_of(code: str | None) -> str:
    """The stemmer's language for a language code ("es-419" -> "es"), English where there is none."""
    base = (code or "").replace("_", "-").split("-")[0].lower()
    return base if base in STEMMERS else FALLBACK_LANGUAGE


def _fold(word: str) -> str:
    """Lower case without accents: only to choose which words are worth stemming."""
    return "".join(c for c in unicodedata.normalize("NFD", word.lower()) if not unicodedata.combining(c))


_THREAD = threading.local()


def _stemmer(language: str):
    """This thread's stemmer for ``language``: a Snowball stemmer keeps the word it is working on in
    itself, so two requests stemming at once in one process (a threaded server) must not share one."""
    stemmers = _THREAD.__dict__.setdefault("stemmers", {})
    if language not in stemmers:
        stemmers[language] = snowballstemmer.stemmer(STEMMERS[language])
    return stemmers[language]


def _words(text: str) -> list[str]:
    return [word.lower().replace("’", "'") for word in _WORD.findall(unicodedata.normalize("NFC", text))]


@dataclass(frozen=True)
class _Index:
    """The cue words of one language, stemmed: by their first word's stem."""

    by_first: dict[str, tuple[tuple[tuple[str, ...], str, int], ...]]
    prefixes: frozenset[str]  # the folded first three letters of every cue word's stem


PREFIX = 3
#: A cue's weight. A theme is suggested with one of its cues, or with ``HINTS_ALONE`` hints.
CUE, HINT, HINT_MARK = 2, 1, "~"
HINTS_ALONE = 3 * HINT


@lru_cache(maxsize=64)
def _index(cues_key: tuple, language: str) -> _Index:
    stem = _stemmer(language).stemWord
    by_first: dict[str, list] = {}
    prefixes = set()
    for theme, words in cues_key:
        for cue in words:
            weight = HINT if cue.startswith(HINT_MARK) else CUE
            stems = tuple(stem(word) for word in _words(cue.removeprefix(HINT_MARK)))
            if not stems:
                continue
            by_first.setdefault(stems[0], []).append((stems, theme, weight))
            prefixes.update(_fold(s)[:PREFIX] for s in stems)
    # Longer cues first: a word that "night shift" took is not counted again for "~shifts".
    ordered = {k: tuple(sorted(v, key=lambda cue: -len(cue[0]))) for k, v in by_first.items()}
    return _Index(ordered, frozenset(prefixes))


def cues_key(cues: Mapping[str, Mapping[str, Sequence[str]]], themes: Sequence[str], language: str) -> tuple:
    """The cue words of ``themes`` in ``language``, as a hashable key (the index is cached by it)."""
    return tuple((theme, tuple(cues.get(theme, {}).get(language, ()))) for theme in themes)


def suggest(
    text: str,
    themes: Sequence[str],
    cues: Mapping[str, Mapping[str, Sequence[str]]],
    language: str,
    *,
    limit: int = LIMIT,
    prefilter: bool = True,
) -> list[Suggestion]:
    """Up to ``limit`` of ``themes`` that ``text`` points to, best first, each with its words.

    A theme is suggested when one of its cues (in ``language``: see ``language_of``) occurs in
    the text as the same stems, or three of its hints do. Themes are ranked by the weight of the
    different cues that matched (``CUE``, ``HINT``), then how often, then their order in ``themes``.
    ``prefilter=False`` stems every word (the same answer, slower: the tests compare them).
    """
    language = language if language in STEMMERS else language_of(language)
    index = _index(cues_key(cues, themes, language), language)
    if not index.by_first:
        return []
    words = _words(text)
    stem = _stemmer(language).stemWord
    stems: list[str | None] = []
    known: dict[str, str | None] = {}
    for word in words:
        if word not in known:
            worth = not prefilter or _fold(word)[:PREFIX] in index.prefixes
            known[word] = stem(word) if worth else None
        stems.append(known[word])
    found: dict[str, dict[tuple[str, ...], tuple[int, list[str]]]] = {}  # theme -> cue -> (weight, words)
    taken: set[tuple[str, int]] = set()  # (theme, position): a word counts once per theme
    for i, first in enumerate(stems):
        if first is None or first not in index.by_first:
            continue
        for cue, theme, weight in index.by_first[first]:
            if (theme, i) in taken or tuple(stems[i : i + len(cue)]) != cue:
                continue
            taken.update((theme, j) for j in range(i, i + len(cue)))
            found.setdefault(theme, {}).setdefault(cue, (weight, []))[1].append(" ".join(words[i : i + len(cue)]))
    order = {theme: n for n, theme in enumerate(themes)}
    ranked = []
    for theme, matched in found.items():
        weight = sum(cue_weight for cue_weight, _ in matched.values())
        if weight >= HINTS_ALONE or any(cue_weight == CUE for cue_weight, _ in matched.values()):
            ranked.append((-weight, -sum(len(seen) for _, seen in matched.values()), order[theme], theme, matched))
    ranked.sort()
    suggestions = []
    for weight, _, _, theme, matched in ranked[:limit]:
        shown = list(dict.fromkeys(seen[0] for _, seen in matched.values()))[:WORDS_SHOWN]
        suggestions.append(Suggestion(theme, tuple(shown), -weight))
    return suggestions
