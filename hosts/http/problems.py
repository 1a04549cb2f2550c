"""RFC 9457 problem details: every error the API returns, and how each is documented.

Every error response is ``application/problem+json`` with ``type``,
``title``, ``status`` and ``detail``; errors about the input also carry
``field`` (the first offending field, dotted for nested JSON) and
``errors`` (every offending field). Unexpected exceptions become a 500
without internals; the request id in the body and the ``X-Request-ID``
header finds the logged traceback.
"""

from __future__ import annotations

import logging
import re
from http import HTTPStatus
from typing import Any

import msgspec
from litestar import Request, Response
from litestar.exceptions import HTTPException, SerializationException, ValidationException
from litestar.openapi.datastructures import ResponseSpec

from jobforge.core.applications import AtsSubmissionError
from jobforge.core.errors import (
    ConfigError,
    InvalidRequestError,
    JobforgeError,
    NotFoundError,
    UnknownAdapterError,
)
from jobforge.hosts.logs import current_request_id

__all__ = [
    "PROBLEM_MEDIA_TYPE",
    "FieldError",
    "Problem",
    "ProblemError",
    "error_responses",
    "problem_for",
    "problem_response",
]

log = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"
_TYPE_PREFIX = "urn:jobforge:problem:"


class FieldError(msgspec.Struct, kw_only=True, omit_defaults=True):
    """One invalid input value."""

    field: str
    """Dotted path of the value (``limit``, ``filters.remote``, ``jobs.0.title``)."""
    message: str
    source: str | None = None
    """Where the value was sent: ``query``, ``path``, ``header`` or ``body``."""


class Problem(msgspec.Struct, kw_only=True, omit_defaults=True):
    """An RFC 9457 problem details object."""

    type: str = "about:blank"
    """A URN naming the kind of problem (``urn:jobforge:problem:invalid-request``...)."""
    title: str
    """Short summary of the kind of problem."""
    status: int
    detail: str
    """What went wrong in this request, naming the field when one is at fault."""
    instance: str | None = None
    """The request path."""
    request_id: str | None = None
    field: str | None = None
    """The (first) field at fault."""
    errors: list[FieldError] = msgspec.field(default_factory=list)
    retry_after: int | None = None
    """Seconds to wait before retrying (429 only; also sent as ``Retry-After``)."""


class ProblemError(HTTPException):
    """Raised by handlers and middleware for an error response with a problem slug."""

    def __init__(
        self,
        status: int,
        slug: str,
        detail: str,
        *,
        field: str | None = None,
        headers: dict[str, str] | None = None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(detail=detail, status_code=status, headers=headers)
        self.slug = slug
        self.field = field
        self.retry_after = retry_after


_SLUG_TITLES = {
    "invalid-request": "Invalid request",
    "malformed-json": "Malformed JSON body",
    "unknown-filter": "Unknown or invalid filter",
    "not-found": "Not found",
    "unauthenticated": "Authentication required",
    "forbidden": "Forbidden",
    "payload-too-large": "Request body too large",
    "ats-rejected": "The applicant tracking system refused the application",
    "rate-limited": "Too many requests",
    "method-not-allowed": "Method not allowed",
    "unavailable": "Service unavailable",
    "internal-error": "Internal server error",
}
"""Every problem type the API uses (``urn:jobforge:problem:<slug>``), with its title."""

_UNKNOWN_FIELD = re.compile(r"Object contains unknown field `([^`]+)`")
_MISSING_FIELD = re.compile(r"Object missing required field `([^`]+)`")
_AT_PATH = re.compile(r"^(.*?) - at `\$(.*)`$")


def _problem(status: int, slug: str, detail: str, **fields: Any) -> Problem:
    return Problem(
        type=_TYPE_PREFIX + slug,
        title=_SLUG_TITLES.get(slug, HTTPStatus(status).phrase),
        status=status,
        detail=detail,
        **fields,
    )


def _dotted(path: str) -> str:
    # msgspec paths look like ``.jobs[0].title``; fields are named ``jobs.0.title``.
    return re.sub(r"\[(?:'|\")?([^\]'\"]+)(?:'|\")?\]", r".\1", path).strip(".")


def _field_errors(extra: Any) -> list[FieldError]:
    errors: list[FieldError] = []
    for item in extra if isinstance(extra, list) else []:
        if not isinstance(item, dict):
            continue
        key = _dotted(str(item.get("key") or "body"))
        message = str(item.get("message") or "invalid value")
        if message == "'data'":  # Litestar's message for a missing body
            message = "a JSON body is required"
        at = _AT_PATH.match(message)
        if at:
            message, nested = at.group(1), _dotted(at.group(2))
            key = nested if key in ("data", "body") else f"{key}.{nested}"
        for pattern, text in ((_UNKNOWN_FIELD, "unknown field"), (_MISSING_FIELD, "is required")):
            named = pattern.fullmatch(message)
            if named:
                key = named.group(1) if key in ("data", "body") else f"{key}.{named.group(1)}"
                message = text
        if key == "data":
            key = "body"
        source = item.get("source")
        errors.append(
            FieldError(field=key, message=message, source=str(getattr(source, "value", source) or "body"))
        )
    return errors


def _is_malformed_body(exc: HTTPException) -> bool:
    cause = exc.__cause__ or exc.__context__
    return "JSON is malformed" in (exc.detail or "") or isinstance(cause, SerializationException)


def problem_for(exc: Exception, path: str | None = None) -> tuple[Problem, dict[str, str]]:
    """The problem details and extra headers for an exception."""
    headers: dict[str, str] = {}
    request_id = current_request_id()
    if isinstance(exc, ProblemError):
        problem = _problem(
            exc.status_code, exc.slug, exc.detail, field=exc.field, retry_after=exc.retry_after
        )
        headers.update(exc.headers or {})
    elif isinstance(exc, ValidationException):
        errors = _field_errors(exc.extra)
        first = errors[0] if errors else FieldError(field="body", message="invalid value")
        detail = "; ".join(f"{e.field}: {e.message}" for e in errors) or exc.detail
        problem = _problem(400, "invalid-request", detail, field=first.field, errors=errors)
    elif isinstance(exc, HTTPException):
        status = exc.status_code
        if status == 400 and _is_malformed_body(exc):
            message = (
                exc.detail
                if exc.detail.startswith("JSON is malformed")
                else f"JSON is malformed: {exc.detail}"
            )
            problem = _problem(
                400,
                "malformed-json",
                f"body: {message}",
                field="body",
                errors=[FieldError(field="body", message=message, source="body")],
            )
        elif status == 413:
            problem = _problem(
                413, "payload-too-large", "body: the request body is larger than the limit", field="body"
            )
        elif status == 405:
            problem = _problem(405, "method-not-allowed", exc.detail or "method not allowed")
        elif status == 404:
            problem = _problem(404, "not-found", f"no resource at {path}" if path else "not found")
        elif status >= 500:
            problem = _problem(status, "internal-error", "the server could not answer this request")
        else:
            problem = _problem(
                status,
                "invalid-request" if status == 400 else HTTPStatus(status).phrase.lower().replace(" ", "-"),
                exc.detail or HTTPStatus(status).phrase,
            )
        headers.update(exc.headers or {})
    elif isinstance(exc, AtsSubmissionError):
        problem = _problem(422, "ats-rejected", str(exc), field="applicant")
    elif isinstance(exc, NotFoundError):
        problem = _problem(404, "not-found", str(exc))
    elif isinstance(exc, InvalidRequestError):
        slug = "unknown-filter" if type(exc).__name__ == "InvalidFilterError" else "invalid-request"
        problem = _problem(
            400, slug, str(exc), field=exc.field, errors=[FieldError(field=exc.field, message=exc.message)]
        )
    elif isinstance(exc, UnknownAdapterError):
        problem = _problem(
            400,
            "invalid-request",
            f"source: {exc}",
            field="source",
            errors=[FieldError(field="source", message=str(exc))],
        )
    elif isinstance(exc, ConfigError):
        field = exc.key.replace("sources.", "", 1) if exc.key.startswith("sources.") else exc.key
        field = "options." + field.split(".", 1)[1] if field.startswith("source.") else field
        problem = _problem(
            400,
            "invalid-request",
            f"{field}: {exc.message}",
            field=field,
            errors=[FieldError(field=field, message=exc.message)],
        )
    elif isinstance(exc, JobforgeError) and getattr(exc, "status", None) in (401, 403):
        status = exc.status  # type: ignore[attr-defined]
        problem = _problem(status, "unauthenticated" if status == 401 else "forbidden", str(exc))
        if status == 401:
            headers["WWW-Authenticate"] = 'Bearer realm="jobforge", ApiKey header="X-API-Key"'
    elif isinstance(exc, msgspec.ValidationError):
        problem = _problem(400, "invalid-request", str(exc))
    elif isinstance(exc, msgspec.DecodeError | UnicodeDecodeError):
        message = "not UTF-8 text" if isinstance(exc, UnicodeDecodeError) else str(exc)
        problem = _problem(
            400,
            "malformed-json",
            f"body: JSON is malformed: {message}",
            field="body",
            errors=[FieldError(field="body", message=f"JSON is malformed: {message}", source="body")],
        )
    else:
        log.error("unhandled error serving %s", path, exc_info=exc)
        problem = _problem(500, "internal-error", "the server could not answer this request")
    if request_id is not None:
        problem.request_id = request_id
    if path is not None:
        problem.instance = path
    return problem, headers


def problem_response(request: Request[Any, Any, Any], exc: Exception) -> Response[Problem]:
    """The Litestar exception handler: any exception to a problem+json response."""
    problem, headers = problem_for(exc, request.scope.get("path"))
    if problem.retry_after is not None:
        headers["Retry-After"] = str(problem.retry_after)
    return Response(problem, status_code=problem.status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


_DESCRIPTIONS = {
    400: "Invalid input: malformed JSON, a wrong type, an unknown filter or a value out of range; "
    "`field` names it.",
    401: "No valid credentials: send `X-API-Key: <key>` or `Authorization: Bearer <key or JWT>`.",
    403: "The caller's role is too low for this operation.",
    404: "The id does not exist or belongs to another tenant.",
    422: "A downstream system (the applicant tracking system) refused the request.",
    413: "The request body is larger than `[http] request_max_body_size`.",
    429: "Rate limit exceeded; retry after `Retry-After` seconds.",
    503: "A dependency is not ready.",
}


def error_responses(*statuses: int) -> dict[int, ResponseSpec]:
    """OpenAPI response specs (problem+json) for these error statuses; 429 is always included."""
    return {
        status: ResponseSpec(
            data_container=Problem,
            description=_DESCRIPTIONS[status],
            media_type=PROBLEM_MEDIA_TYPE,
            generate_examples=False,
        )
        for status in sorted({*statuses, 429})
    }
