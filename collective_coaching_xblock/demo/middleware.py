"""The demo's visitor who picked no user.

The workbench names anyone who opens a page without ``?student=<id>`` ``student_1``: a real
learner, who would take a seat in a demo group (Alice's, filling it before Bob and Carol arrive).
Here such a visitor is nobody in particular: the request goes on with an empty ``student``,
which the demo's user service answers as an anonymous visitor, who reads but never writes and
never joins a group. The page tells them how to pick a user.
"""

from __future__ import annotations


class VisitorWithoutStudentMiddleware:
    """Gives the workbench an empty ``student`` (an anonymous visitor) where the query names none."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "student" not in request.GET:
            query = request.GET.copy()
            query["student"] = ""
            request.GET = query
        return self.get_response(request)
