"""The Litestar HTTP host: JSON API, OpenAPI docs and the job search page.

``create_app(settings)`` builds the app; ``jobforge serve`` runs it with uvicorn.
"""

from jobforge.hosts.http.app import create_app, jobforge_plugin

__all__ = ["create_app", "jobforge_plugin"]
