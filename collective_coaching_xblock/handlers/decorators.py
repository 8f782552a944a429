"""What makes a block method a handler: JSON in and out, who is asking, refusals as 4xx answers.

A reader sees at the top of each handler who may call it: ``coaching_handler(write=...)`` for
learners and readers, ``facilitator_handler`` for course staff, ``json_handler`` for Studio.
"""

from __future__ import annotations

import functools
import json
import re

from webob import Response
from xblock.core import XBlock

from ..i18n import gettext
from ..operations.errors import CoachingError, InvalidInput
from ..operations.facilitator.scope import facilitator_scope

#: The deepest nesting of arrays and objects a handler body may have (the real ones nest a few
#: levels). The limit is the block's own, so whether a body is refused never depends on the
#: interpreter's JSON recursion limit (Python 3.13 parses bodies that 3.11 and 3.12 cannot).
MAX_JSON_DEPTH = 32
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_JSON_BRACKET = re.compile(r"[\[\]{}]")


def _nested_too_deeply(text: str) -> bool:
    """Whether arrays and objects in ``text`` nest deeper than ``MAX_JSON_DEPTH`` (strings aside)."""
    depth = 0
    for match in _JSON_BRACKET.finditer(_JSON_STRING.sub("", text)):
        depth += 1 if match.group() in "[{" else -1
        if depth > MAX_JSON_DEPTH:
            return True
    return False


def json_handler(func):
    """Like ``XBlock.json_handler`` (POST, JSON in and out), with every bad body answered 400.

    XBlock's own decorator lets a deeply nested body raise ``RecursionError`` (a 500); this one
    refuses any body nested deeper than ``MAX_JSON_DEPTH``, and says so in the person's language.
    It also refuses what JSON allows but no handler can store: ``NaN`` and ``Infinity``, and
    text with lone surrogates (not UTF-8).
    """

    @XBlock.handler
    @functools.wraps(func)
    def wrapper(self, request, suffix=""):
        if request.method != "POST":
            response = error_response(CoachingError(gettext("Use POST.")))
            response.status = 405
            response.allow = ["POST"]
            return response
        try:
            text = request.body.decode("utf-8")
            if _nested_too_deeply(text):
                raise ValueError("nested too deeply")
            data = json.loads(text, parse_constant=_refuse_constant)
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except (ValueError, RecursionError):  # UnicodeError is a ValueError
            return error_response(InvalidInput(gettext("The request body is not valid JSON.")))
        result = func(self, data, suffix)
        if isinstance(result, Response):
            return result
        return Response(json.dumps(result), content_type="application/json", charset="utf8")

    return wrapper


def coaching_handler(*, write: bool):
    """A JSON handler that knows who is asking and turns refusals into 4xx responses.

    ``write=True`` handlers need a signed-in learner who may write (403 otherwise). Every
    refusal answers ``{"error": message}`` with its status and writes nothing.
    """

    def decorator(func):
        @json_handler
        @functools.wraps(func)
        def wrapper(self, data, suffix=""):
            try:
                request = self._coaching_request()
                if write:
                    request.require_learner()
                return func(self, request, data)
            except CoachingError as error:
                return error_response(error)

        return wrapper

    return decorator


def facilitator_handler(func):
    """A JSON handler for facilitators: 403 for anyone else before the input is even read."""

    @coaching_handler(write=False)
    @functools.wraps(func)
    def wrapper(self, request, data):
        scope = facilitator_scope(request.exercise, request.person)
        return func(self, request, scope, data)

    return wrapper


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a number a handler accepts")


def error_response(error: CoachingError) -> Response:
    """A refusal as the handlers answer it: ``{"error": message}`` with its status."""
    return Response(json.dumps(error.payload()), status=error.status, content_type="application/json", charset="utf8")
