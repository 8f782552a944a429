"""Every string a person reads is marked for translation (a static check, no browser).

A Spanish page with one English sentence on it is a page a Spanish reader cannot fully use. This
reads the block's Django templates, its email templates and its scripts, and fails on any text a
person reads that does not go through the translation machinery: text left in a template outside
``{% trans %}``/``{% blocktrans %}``, an attribute such as ``aria-label`` written in English, or a
string literal given to what the page shows (``text:``, ``'aria-label':``, ``title:``,
``placeholder:`` of ``el(...)``, ``.textContent =``, ``announce(...)``) that does not come through
``gettext(...)``/``ngettext(...)``. Each checker is also run on a planted violation, so that it
cannot pass by finding nothing.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "collective_coaching_xblock"
TEMPLATES = sorted((PACKAGE / "templates").glob("*.html"))
EMAIL_TEMPLATES = sorted(
    p for p in (PACKAGE / "templates" / "collective_coaching" / "edx_ace").rglob("*") if p.is_file()
)
SCRIPTS = sorted((PACKAGE / "static" / "js").glob("*.js"))

LETTER = re.compile(r"[^\W\d_]")  # a letter of any alphabet

# --- templates -------------------------------------------------------------------------------

#: Attributes whose values a person reads (a screen reader, a tooltip, a field's hint, an image).
READ_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")

_BLOCK_CONTENTS = re.compile(
    r"{%-?\s*(blocktrans(?:late)?|comment)\b.*?%}.*?{%-?\s*end\1\s*-?%}",  # translated (or comment) blocks, whole
    re.DOTALL,
)
_TAG = re.compile(r"{%.*?%}", re.DOTALL)
_VARIABLE = re.compile(r"{{.*?}}", re.DOTALL)
_TEMPLATE_COMMENT = re.compile(r"{#.*?#}", re.DOTALL)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
_ELEMENT = re.compile(r"<[^>]*>", re.DOTALL)
_ATTRIBUTE = re.compile(r"""\s({})\s*=\s*("[^"]*"|'[^']*')""".format("|".join(READ_ATTRIBUTES)), re.IGNORECASE)


def _without_template_language(source: str) -> str:
    for pattern in (_TEMPLATE_COMMENT, _BLOCK_CONTENTS, _TAG, _VARIABLE):
        source = pattern.sub(" ", source)
    return source


def unmarked_template_text(source: str, *, html: bool = True) -> list[str]:
    """The pieces of text a person would read that are not inside a translation tag."""
    found = []
    text = _without_template_language(source)
    if html:
        # Attribute values once the template's tags and variables are out: letters left are literal.
        for match in _ATTRIBUTE.finditer(_HTML_COMMENT.sub(" ", text)):
            if LETTER.search(value := match.group(2)[1:-1]):
                found.append(f'{match.group(1)}="{value.strip()}"')
        for pattern in (_HTML_COMMENT, _SCRIPT_OR_STYLE, _ELEMENT):
            text = pattern.sub(" ", text)
    found.extend(piece.strip() for piece in re.split(r"\n|\s{2,}", text) if LETTER.search(piece))
    return found


def test_the_template_checker_flags_a_planted_violation():
    planted = (
        '{% load i18n %}<p title="Close">{% trans "Stages" %}: Read me</p>'
        '<a aria-label="{% trans "Pages" %}" alt="{{ name }}">{% blocktrans %}Hi {{ name }}{% endblocktrans %}</a>'
        "<!-- a note to developers --><script>var x = 'code';</script>"
    )
    assert unmarked_template_text(planted) == ['title="Close"', ": Read me"]
    assert unmarked_template_text("{% trans 'Hi' %}\nPlain words\n", html=False) == ["Plain words"]


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: path.name)
def test_every_text_of_a_template_is_marked_for_translation(path):
    assert unmarked_template_text(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("path", EMAIL_TEMPLATES, ids=lambda path: "/".join(path.parts[-3:]))
def test_every_text_of_an_email_template_is_marked_for_translation(path):
    assert unmarked_template_text(path.read_text(encoding="utf-8"), html=path.suffix == ".html") == []


def test_the_templates_are_found():
    assert len(TEMPLATES) >= 5 and len(EMAIL_TEMPLATES) >= 5 and len(SCRIPTS) >= 6


# --- scripts ---------------------------------------------------------------------------------

#: The functions that mark a string for translation (xgettext's keywords for JavaScript).
MARKERS = {"gettext", "ngettext", "pgettext", "npgettext"}

#: Literals with letters that may reach the page unmarked, each with why it is not language.
NON_LINGUISTIC: dict[str, str] = {}

_TOKEN = re.compile(
    r"""
    (?P<comment>//[^\n]*|/\*.*?\*/)
    | (?P<string>'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|`(?:\\.|[^`\\])*`)
    | (?P<name>[A-Za-z_$][\w$]*)
    | (?P<number>\d[\w.]*)
    | (?P<operator>===|!==|==|!=|=>|\|\||&&|[-+*/%<>=!?:.,;(){}\[\]&|^~])
    | (?P<space>\s+)
    """,
    re.DOTALL | re.VERBOSE,
)


def _tokens(source: str) -> list[tuple[str, str, int]]:
    """(kind, text, line) of each token, without comments and white space. Regular expression
    literals are read as operators and names, which is harmless here: none is a sink."""
    tokens, position, line = [], 0, 1
    while position < len(source):
        match = _TOKEN.match(source, position)
        if not match:  # a character the tokenizer does not know (e.g. a regex's backslash): skip it
            position += 1
            continue
        kind = match.lastgroup
        if kind not in ("comment", "space"):
            tokens.append((kind, match.group(), line))
        line += match.group().count("\n")
        position = match.end()
    return tokens


def _literal_value(token: str) -> str:
    escapes = {"n": "\n", "t": "\t", "r": "\r"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(1)), token[1:-1])


_OPENS, _CLOSES = "([{", ")]}"


def _expression_end(tokens, start: int, stops: tuple[str, ...]) -> int:
    """The index just after the expression starting at ``start``: up to a stop token (or the
    bracket that closes an enclosing one) at the expression's own depth."""
    depth = 0
    for index in range(start, len(tokens)):
        kind, text, _ = tokens[index]
        if kind != "operator":
            continue
        if text in _OPENS:
            depth += 1
        elif text in _CLOSES:
            if depth == 0:
                return index
            depth -= 1
        elif depth == 0 and text in stops:
            return index
    return len(tokens)


def _opener(tokens, index: int) -> int:
    """The index of the bracket that encloses the token at ``index`` (-1 at the top)."""
    depth = 0
    for position in range(index - 1, -1, -1):
        kind, text, _ = tokens[position]
        if kind == "operator" and text in _CLOSES:
            depth += 1
        elif kind == "operator" and text in _OPENS:
            if not depth:
                return position
            depth -= 1
    return -1


def _in_el_attributes(tokens, index: int) -> bool:
    """Whether the token at ``index`` is in the attributes object of an ``el(tag, {...})`` call."""
    brace = _opener(tokens, index)
    if brace < 0 or tokens[brace][1] != "{":
        return False
    paren = _opener(tokens, brace)
    return paren > 0 and tokens[paren][1] == "(" and tokens[paren - 1][1] == "el"


def _sinks(tokens):
    """(start, end) token ranges of the expressions a person reads."""
    for index, (kind, text, _) in enumerate(tokens):
        before = tokens[index - 1][1] if index else ""
        after = tokens[index + 1][1] if index + 1 < len(tokens) else ""
        # A key of el(...)'s attributes (also quoted: 'aria-label': ...), not `a ? b : c` nor a request's body.
        is_key = after == ":" and before in ("{", ",") and _in_el_attributes(tokens, index)
        key = _literal_value(text) if kind == "string" else text if kind == "name" else None
        if is_key and key in ("text", "aria-label", "title", "placeholder", "alt"):
            yield index + 2, _expression_end(tokens, index + 2, (",",))
        elif kind == "name" and text == "textContent" and before == "." and after == "=":
            yield index + 2, _expression_end(tokens, index + 2, (";", ","))
        elif kind == "name" and text == "announce" and after == "(" and before != "function":
            yield index + 2, _expression_end(tokens, index + 2, (",",))


def _marked(tokens, start: int, index: int) -> bool:
    """Whether the string at ``index`` is an argument of a marker, directly (inside its parentheses,
    with no other call or object between)."""
    depth = 0
    for position in range(index - 1, start - 1, -1):
        kind, text, _ = tokens[position]
        if kind != "operator":
            continue
        if text in _CLOSES:
            depth += 1
        elif text in _OPENS:
            if depth:
                depth -= 1
                continue
            return text == "(" and position and tokens[position - 1][1] in MARKERS
    return False


def _compared(tokens, index: int) -> bool:
    """A literal compared with a value (`status === 'done'`) is a value, not text."""
    equality = ("===", "!==", "==", "!=")
    return (index and tokens[index - 1][1] in equality) or (
        index + 1 < len(tokens) and tokens[index + 1][1] in equality
    )


def unmarked_script_strings(source: str) -> list[tuple[int, str]]:
    """(line, literal) of each string with letters that reaches what a person reads unmarked."""
    tokens = _tokens(source)
    found = []
    for start, end in _sinks(tokens):
        for index in range(start, end):
            kind, text, line = tokens[index]
            if kind != "string" or not LETTER.search(value := _literal_value(text)):
                continue
            if value in NON_LINGUISTIC or _marked(tokens, start, index) or _compared(tokens, index):
                continue
            found.append((line, value))
    return sorted(set(found))


def test_the_script_checker_flags_a_planted_violation():
    planted = """
        el('p', {className: 'cc-note', text: 'Saved'});
        el('span', {'aria-label': format(gettext('{name} said'), {name: 'Anonymous'}), text: '✓ 3'});
        el('button', {title: ok ? gettext('Open') : 'Close', placeholder: gettext('Type ' + 'here')});
        node.textContent = gettext('Fine') + ' (' + 'draft' + ')';
        announce(status === 'done' ? gettext('Done.') : 'Not yet.');
        var label = {text: ngettext('one', 'many', count)};
        // text: 'a comment is not read'
    """
    assert unmarked_script_strings(planted) == [
        (2, "Saved"),
        (3, "Anonymous"),
        (4, "Close"),
        (5, "draft"),
        (6, "Not yet."),
    ]


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda path: path.name)
def test_every_string_a_script_shows_is_marked_for_translation(path):
    assert unmarked_script_strings(path.read_text(encoding="utf-8")) == []


#: A literal that reads as words of a language: two words of letters, or one capitalised word and
#: end punctuation. Selectors, class lists, ids and handler names are none of these.
_PROSE = re.compile(r"(?:^|\s)[A-Za-z][a-z]+[,:;]? [A-Za-z]{2,}|^[A-Z][a-z]+[.!?:]$")

#: Words in scripts that are code, not text a person reads, each with why.
CODE_LITERALS = {
    "use strict": "a JavaScript directive",
}


def prose_outside_gettext(source: str) -> list[tuple[int, str]]:
    """(line, literal) of each literal anywhere in a script that reads as words and is not marked: a
    net under the sinks above, for text that reaches the page through a variable."""
    tokens = _tokens(source)
    found = []
    for index, (kind, text, line) in enumerate(tokens):
        if kind != "string" or not _PROSE.search(value := _literal_value(text)) or value in CODE_LITERALS:
            continue
        if not _marked(tokens, 0, index):
            found.append((line, value))
    return found


def test_the_prose_checker_flags_a_planted_violation():
    planted = """var note = 'Nothing to do yet';
        var css = 'cc-button cc-button--quiet', sel = 'input[name="sharing"]:checked';
        var ok = gettext('Waiting for ' + 'your group'), done = 'Done.';"""
    assert prose_outside_gettext(planted) == [(1, "Nothing to do yet"), (3, "Done.")]


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda path: path.name)
def test_no_script_holds_words_outside_gettext(path):
    assert prose_outside_gettext(path.read_text(encoding="utf-8")) == []
