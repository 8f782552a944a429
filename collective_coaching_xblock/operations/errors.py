"""Errors the operations raise; the block turns each into an HTTP status and ``{"error": ...}``."""

from __future__ import annotations


class CoachingError(Exception):
    """A request the operations refuse. ``message`` is translated and safe to show to the person."""

    status = 400

    def __init__(self, message: str, **extra):
        super().__init__(message)
        self.message = str(message)
        self.extra = extra

    def payload(self) -> dict:
        """The JSON body of the error response."""
        return {"error": self.message, **self.extra}


class InvalidInput(CoachingError):
    """The request is malformed or asks for something the exercise does not allow (400)."""

    status = 400


class Forbidden(CoachingError):
    """The person may not do this (403)."""

    status = 403


class NotFound(CoachingError):
    """No such thing, or not one the person may know about (404)."""

    status = 404


class Conflict(CoachingError):
    """The request is based on a state that has changed since (409)."""

    status = 409
