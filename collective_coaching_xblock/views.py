"""Django views of the coaching app, for what an XBlock handler cannot do well.

The XBlock handler routes of the LMS (and of the workbench) turn a handler's response into a
Django ``HttpResponse``, which reads the whole body into memory. The CSV export of a large
course is served here instead, as a ``StreamingHttpResponse``, so memory stays flat.
"""

from __future__ import annotations

import json

from django.http import HttpResponse, StreamingHttpResponse

from .operations import export
from .operations.errors import CoachingError, NotFound
from .operations.facilitator.scope import facilitator_scope
from .platform import get_host


def _error(error: CoachingError) -> HttpResponse:
    return HttpResponse(json.dumps(error.payload()), status=error.status, content_type="application/json")


def export_csv(request, usage_id: str):
    """GET: the block's CSV export, streamed. ``?texts=1`` adds texts; ``?cohort=<id>`` filters."""
    if request.method != "GET":
        return HttpResponse(status=405, headers={"Allow": "GET"})
    block = get_host().load_block(request, usage_id)
    if block is None:
        return _error(NotFound("There is no such unit."))
    try:
        coaching = block._coaching_request()  # noqa: SLF001 - the block's own request context
        scope = facilitator_scope(coaching.exercise, coaching.person)
        cohort = request.GET.get("cohort") or None
        if cohort is not None and not scope.allows(cohort):
            raise NotFound("There is no such cohort for you.")
    except CoachingError as error:
        return _error(error)
    with_texts = request.GET.get("texts") == "1" and block.exports_texts()
    part = request.GET.get("part") or None
    try:
        rows = export.rows_for(coaching.exercise, scope, cohort=cohort, with_texts=with_texts, part=part)
    except CoachingError as error:
        return _error(error)
    response = StreamingHttpResponse(export.csv_chunks(rows), content_type="text/csv; charset=utf-8")
    name = export.file_name(coaching.exercise, block.display_name, cohort=cohort, with_texts=with_texts, part=part)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
