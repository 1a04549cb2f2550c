"""``GET /``: the job search page, a static HTML/CSS/JS page over the JSON API."""

from __future__ import annotations

from pathlib import Path

from litestar import Response, get
from litestar.static_files import create_static_files_router

__all__ = ["STATIC_DIR", "page", "static_files"]

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


@get(
    "/",
    tags=["page"],
    summary="The job search page",
    media_type="text/html",
    security=[{}],
    description="A static page (query box, filters, results, job detail) over the JSON API.",
)
async def page() -> Response[bytes]:
    """The search page."""
    return Response(
        (STATIC_DIR / "index.html").read_bytes(),
        media_type="text/html",
        headers={
            "Content-Security-Policy": _CSP,
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
        },
    )


static_files = create_static_files_router(
    path="/static",
    directories=[STATIC_DIR],
    include_in_schema=False,
    name="static",
    cache_control=None,
)
"""The page's script and style sheet."""
