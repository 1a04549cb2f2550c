"""Domain errors. Each names what was wrong so callers can show it."""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "DuplicateRegistrationError",
    "InvalidFilterError",
    "InvalidRequestError",
    "JobforgeError",
    "NotFoundError",
    "UnknownAdapterError",
]


class JobforgeError(Exception):
    """Base of every error jobforge raises on purpose."""


class InvalidRequestError(JobforgeError, ValueError):
    """A caller-supplied value is invalid; ``field`` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class InvalidFilterError(InvalidRequestError):
    """An unknown filter name or a bad filter value."""


class NotFoundError(JobforgeError, LookupError):
    """An id that does not exist (or is not visible to the caller)."""

    def __init__(self, kind: str, ident: str) -> None:
        super().__init__(f"{kind} {ident!r} not found")
        self.kind = kind
        self.ident = ident


class ConfigError(JobforgeError):
    """A configuration key has a bad value; ``key`` is its dotted path."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"config {key}: {message}")
        self.key = key
        self.message = message


class DuplicateRegistrationError(JobforgeError):
    """Two plugins registered an adapter under the same name for one port."""


class UnknownAdapterError(JobforgeError, LookupError):
    """Config names an adapter no loaded plugin registered."""

    def __init__(self, port: str, name: str, available: list[str]) -> None:
        avail = ", ".join(sorted(available)) or "none"
        super().__init__(f"no {port} adapter named {name!r} is registered (available: {avail})")
        self.port = port
        self.name = name
        self.available = available
