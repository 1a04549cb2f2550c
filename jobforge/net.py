"""Polite HTTP for plugins: one place for rate limits, retries, timeouts and robots.txt.

Every job source, ATS and notifier plugin talks HTTP through :class:`HttpClient`
so that the manners are shared, not copied per plugin:

- a rate limiter per host (:class:`RateLimiter`; by default one process-wide
  limiter, so two sources hitting one host share its budget);
- retries with exponential backoff and full jitter on 429 and 5xx answers and
  on transport errors, honouring ``Retry-After`` (seconds or an HTTP date);
- connect and read timeouts, a configurable ``User-Agent`` and optional proxy;
- robots.txt (RFC 9309) for HTML pages, including ``Crawl-delay``;
- secrets kept out of error messages and logs (:func:`redact_url`).

Settings come from adapter options (:meth:`HttpClientSettings.from_context`),
listed for ``jobforge plugins`` by :func:`http_options`::

    async with HttpClient(HttpClientSettings(rate_limit=2.0)) as client:
        data = await client.get_json("https://boards-api.greenhouse.io/v1/boards/acme/jobs")

httpx is imported when a client is created, never when this module is.
"""

from __future__ import annotations

import asyncio
import logging
import random
import re
import time
import urllib.robotparser
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import msgspec

from jobforge.core.registry import OptionSpec

if TYPE_CHECKING:
    import httpx

    from jobforge.core.registry import AdapterContext

__all__ = [
    "DEFAULT_USER_AGENT",
    "HttpClient",
    "HttpClientSettings",
    "HttpError",
    "RateLimiter",
    "RobotsDisallowedError",
    "default_rate_limiter",
    "http_options",
    "redact_url",
]

logger = logging.getLogger(__name__)

DEFAULT_USER_AGENT = "jobforge/0.1 (+https://github.com/jobforge/jobforge)"
"""Sent unless a ``user_agent`` option says otherwise; its first word is the robots.txt token."""

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
"""Answers worth another try: rate limited, or a server or gateway in trouble."""
_UNSAFE_RETRY_STATUSES = frozenset({429, 503})
"""For non-idempotent requests: answers that mean the request was not processed."""
_IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
_SECRET_PARAMS = re.compile(
    r"^(?:key|api[_-]?key|apikey|token|access[_-]?token|auth|secret|signature|sig|password|pass|"
    r"client[_-]?secret|code)$",
    re.IGNORECASE,
)
_BODY_EXCERPT = 300


class HttpError(Exception):
    """A request that failed for good: an error status after retries, or a transport error.

    ``status`` is ``None`` for transport errors (timeouts, refused
    connections). ``url`` has secrets redacted.
    """

    def __init__(self, message: str, *, url: str, status: int | None = None, body: str = "") -> None:
        super().__init__(message)
        self.url = url
        self.status = status
        self.body = body


class RobotsDisallowedError(HttpError):
    """robots.txt of the site forbids fetching this URL for our user agent."""


class HttpClientSettings(msgspec.Struct, frozen=True, kw_only=True):
    """How a plugin's HTTP client behaves; defaults are conservative."""

    user_agent: str = DEFAULT_USER_AGENT
    timeout: float = 30.0
    """Seconds to wait for a read, write or pool slot."""
    connect_timeout: float = 10.0
    max_retries: int = 4
    """Further attempts after the first one (so 5 requests at most)."""
    backoff_base: float = 1.0
    """First backoff ceiling in seconds; doubles per attempt, with full jitter."""
    backoff_max: float = 60.0
    max_retry_after: float = 300.0
    """A longer ``Retry-After`` fails the request instead of sleeping that long."""
    rate_limit: float = 1.0
    """Requests per second per host; 0 disables the limit."""
    burst: int = 1
    """Requests a host may receive back to back before the rate applies."""
    proxy: str | None = None
    """Proxy URL (``http://user:pass@proxy:3128``); else ``HTTP(S)_PROXY`` from the environment."""
    respect_robots: bool = True
    """Check robots.txt before fetching HTML pages."""
    verify: bool = True
    """Verify TLS certificates."""

    def __post_init__(self) -> None:
        checks = (
            ("timeout", self.timeout > 0, "must be positive"),
            ("connect_timeout", self.connect_timeout > 0, "must be positive"),
            ("max_retries", self.max_retries >= 0, "must be 0 or more"),
            ("backoff_base", self.backoff_base >= 0, "must be 0 or more"),
            ("backoff_max", self.backoff_max >= 0, "must be 0 or more"),
            ("max_retry_after", self.max_retry_after >= 0, "must be 0 or more"),
            ("rate_limit", self.rate_limit >= 0, "must be 0 (unlimited) or positive"),
            ("burst", self.burst >= 1, "must be at least 1"),
        )
        for field, ok, message in checks:
            if not ok:
                raise ValueError(f"{field}: {message}")

    @classmethod
    def from_context(cls, context: AdapterContext, **defaults: Any) -> HttpClientSettings:
        """Settings from the options :func:`http_options` lists; ``defaults`` override the class defaults.

        Raises:
            ConfigError: An option has a value of the wrong type or out of range.
        """
        from jobforge.core.errors import ConfigError

        base = cls(**defaults)
        values: dict[str, Any] = {
            "user_agent": str(context.get("user_agent") or base.user_agent),
            "timeout": context.get_float("timeout", base.timeout),
            "connect_timeout": context.get_float("connect_timeout", base.connect_timeout),
            "max_retries": context.get_int("max_retries", base.max_retries),
            "backoff_base": context.get_float("backoff_base", base.backoff_base),
            "backoff_max": context.get_float("backoff_max", base.backoff_max),
            "max_retry_after": context.get_float("max_retry_after", base.max_retry_after),
            "rate_limit": context.get_float("rate_limit", base.rate_limit),
            "burst": context.get_int("burst", base.burst),
            "proxy": context.get("proxy") or base.proxy,
            "respect_robots": context.get_bool("respect_robots", base.respect_robots),
            "verify": context.get_bool("verify", base.verify),
        }
        try:
            return cls(**values)
        except ValueError as exc:
            field, _, message = str(exc).partition(": ")
            key = f"{context.key}.{field}" if context.key else field
            raise ConfigError(key, message) from None


def http_options(**defaults: Any) -> list[OptionSpec]:
    """The :class:`OptionSpec` list of the HTTP options, for ``register(..., options=...)``.

    ``defaults`` are shown instead of the class defaults (pass the same ones
    to :meth:`HttpClientSettings.from_context`).
    """
    base = HttpClientSettings(**defaults)
    return [
        OptionSpec(name="user_agent", description="User-Agent header.", default=base.user_agent),
        OptionSpec(name="timeout", description="Read timeout in seconds.", default=base.timeout),
        OptionSpec(
            name="connect_timeout", description="Connect timeout in seconds.", default=base.connect_timeout
        ),
        OptionSpec(
            name="max_retries",
            description="Retries on 429, 5xx and transport errors (exponential backoff with jitter).",
            default=base.max_retries,
        ),
        OptionSpec(name="backoff_base", description="First backoff in seconds.", default=base.backoff_base),
        OptionSpec(name="backoff_max", description="Longest backoff in seconds.", default=base.backoff_max),
        OptionSpec(
            name="max_retry_after",
            description="Longest Retry-After honoured (seconds); longer ones fail the request.",
            default=base.max_retry_after,
        ),
        OptionSpec(
            name="rate_limit",
            description="Requests per second per host (0: unlimited).",
            default=base.rate_limit,
        ),
        OptionSpec(name="burst", description="Back-to-back requests allowed per host.", default=base.burst),
        OptionSpec(
            name="proxy",
            description="Proxy URL; default: HTTP(S)_PROXY from the environment.",
            secret=True,
        ),
        OptionSpec(
            name="respect_robots",
            description="Obey robots.txt (and Crawl-delay) for HTML pages.",
            default=base.respect_robots,
        ),
        OptionSpec(name="verify", description="Verify TLS certificates.", default=base.verify),
    ]


def redact_url(url: str) -> str:
    """``url`` with passwords and secret-looking query values (``key``, ``token``...) replaced by ``***``."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unparseable url>"
    netloc = parts.netloc
    if "@" in netloc:
        netloc = "***@" + netloc.rsplit("@", 1)[1]
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        if any(_SECRET_PARAMS.match(name) for name, _ in pairs):
            query = urlencode([(n, "***" if _SECRET_PARAMS.match(n) else v) for n, v in pairs], safe="*")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


class _RedactingFilter(logging.Filter):
    """Redacts URLs in httpx's request log lines (``HTTP Request: POST <url> ...``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args and isinstance(record.args, tuple):
            record.args = tuple(_redact_arg(arg) for arg in record.args)
        return True


def _redact_arg(arg: object) -> object:
    text = str(arg) if type(arg).__name__ == "URL" else arg
    if isinstance(text, str) and text.startswith(("http://", "https://")):
        return redact_url(text)
    return arg


_filter_installed = False


def _install_log_filter() -> None:
    global _filter_installed  # noqa: PLW0603  (a once-per-process switch)
    if not _filter_installed:
        logging.getLogger("httpx").addFilter(_RedactingFilter())
        _filter_installed = True


Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


class RateLimiter:
    """Spaces requests per host: at most ``rate`` per second after a burst of ``burst``.

    A generic cell rate algorithm: each host has a theoretical arrival time
    that every request pushes ``1 / rate`` seconds further. Reservations are
    made synchronously, so concurrent tasks on one event loop queue up fairly
    without a lock (and one limiter can serve several event loops).

    Args:
        clock: Monotonic seconds (injectable for tests).
        sleep: Awaitable sleep (injectable for tests).
    """

    def __init__(self, *, clock: Clock = time.monotonic, sleep: Sleep | None = None) -> None:
        self._clock = clock
        self._sleep = sleep
        self._next: dict[str, float] = {}
        self.waits: dict[str, int] = {}
        """How many requests per host had to wait (for monitoring and tests)."""

    def reserve(self, host: str, rate: float, burst: int = 1) -> float:
        """Book the next slot for ``host``; returns the seconds to wait before using it."""
        now = self._clock()
        if rate <= 0:
            return max(0.0, self._next.get(host, now) - now)
        interval = 1.0 / rate
        arrival = max(self._next.get(host, now), now)
        delay = max(0.0, arrival - (burst - 1) * interval - now)
        self._next[host] = arrival + interval
        if delay > 0:
            self.waits[host] = self.waits.get(host, 0) + 1
        return delay

    def defer(self, host: str, seconds: float) -> None:
        """Hold every request to ``host`` back for ``seconds`` (after a 429 or a Crawl-delay)."""
        until = self._clock() + seconds
        if self._next.get(host, 0.0) < until:
            self._next[host] = until

    async def acquire(self, host: str, rate: float, burst: int = 1) -> float:
        """Wait for ``host``'s next slot; returns the seconds waited."""
        delay = self.reserve(host, rate, burst)
        if delay > 0:
            await (self._sleep or asyncio.sleep)(delay)
        return delay


_default_limiter = RateLimiter()


def default_rate_limiter() -> RateLimiter:
    """The process-wide limiter every :class:`HttpClient` uses unless given another."""
    return _default_limiter


class HttpClient:
    """An async HTTP client with the manners described in this module.

    Use it as an async context manager (or call :meth:`aclose`). One
    client keeps one connection pool and one robots.txt cache.

    Args:
        settings: Timeouts, retries, rate limit, user agent, proxy, robots.
        limiter: The per-host rate limiter; default :func:`default_rate_limiter`.
        sleep: Awaitable sleep used for backoff (injectable for tests).
        jitter: Returns a float in [0, 1) scaling each backoff (injectable for tests).
        transport: An httpx transport (tests may pass ``httpx.MockTransport``).
    """

    def __init__(
        self,
        settings: HttpClientSettings | None = None,
        *,
        limiter: RateLimiter | None = None,
        sleep: Sleep | None = None,
        jitter: Callable[[], float] = random.random,
        transport: Any = None,
    ) -> None:
        import httpx

        self.settings = settings or HttpClientSettings()
        self.limiter = limiter or default_rate_limiter()
        self._sleep = sleep
        self._jitter = jitter
        self._robots: dict[str, urllib.robotparser.RobotFileParser | bool] = {}
        self._host_rates: dict[str, float] = {}
        """Slower rates some hosts asked for with a robots.txt ``Crawl-delay``."""
        _install_log_filter()
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(self.settings.timeout, connect=self.settings.connect_timeout),
            headers={"User-Agent": self.settings.user_agent},
            proxy=self.settings.proxy,
            verify=self.settings.verify,
            follow_redirects=True,
            transport=transport,
        )
        self.requests_sent = 0
        """Requests put on the wire, retries and robots.txt included."""

    async def __aenter__(self) -> HttpClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._client.aclose()

    async def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        data: Mapping[str, Any] | None = None,
        files: Any = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        robots: bool = False,
        idempotent: bool | None = None,
        ok_statuses: frozenset[int] = frozenset(),
    ) -> httpx.Response:
        """Send a request with rate limiting and retries; return the final response.

        Args:
            method: HTTP method.
            url: Absolute URL.
            params: Query parameters.
            json: A JSON body.
            data: Form fields.
            files: Multipart files, as httpx takes them.
            content: A raw body.
            headers: Extra headers.
            auth: Basic auth ``(user, password)``.
            robots: Check robots.txt first (for HTML pages).
            idempotent: Whether repeating the request is harmless; default by
                method. Non-idempotent requests are retried only when the
                answer shows they were not processed (429, 503) or the
                connection was never made.
            ok_statuses: Error statuses to return instead of raising (e.g. 404).

        Raises:
            HttpError: An error status after the retries, or a transport error.
            RobotsDisallowedError: ``robots`` and robots.txt forbids the URL.
        """
        import httpx

        method = method.upper()
        safe = idempotent if idempotent is not None else method in _IDEMPOTENT
        shown = redact_url(url)
        if robots and self.settings.respect_robots:
            await self._check_robots(url)
        host = _host(url)
        attempt = 0
        while True:
            slower = self._host_rates.get(host)
            if slower is None:
                await self.limiter.acquire(host, self.settings.rate_limit, self.settings.burst)
            else:
                await self.limiter.acquire(host, slower, 1)
            self.requests_sent += 1
            try:
                response = await self._client.request(
                    method,
                    url,
                    params=params,
                    json=json,
                    data=data,
                    files=files,
                    content=content,
                    headers=headers,
                    auth=auth,
                )
            except httpx.TransportError as exc:
                never_sent = isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)
                if attempt >= self.settings.max_retries or not (safe or never_sent):
                    raise HttpError(f"{method} {shown}: {type(exc).__name__}: {exc}", url=shown) from None
                delay = self._backoff(attempt)
                logger.warning(
                    "%s %s: %s; retry %d in %.1fs", method, shown, type(exc).__name__, attempt + 1, delay
                )
            else:
                status = response.status_code
                if status < 400 or status in ok_statuses:
                    return response
                retryable = status in (RETRY_STATUSES if safe else _UNSAFE_RETRY_STATUSES)
                if not retryable or attempt >= self.settings.max_retries:
                    raise _status_error(method, shown, response)
                retry_after = _retry_after(response.headers.get("Retry-After"))
                if retry_after is not None and retry_after > self.settings.max_retry_after:
                    raise _status_error(
                        method, shown, response, f" (Retry-After {retry_after:.0f}s exceeds max_retry_after)"
                    )
                delay = retry_after if retry_after is not None else self._backoff(attempt)
                if status == 429:
                    self.limiter.defer(host, delay)
                logger.warning("%s %s: HTTP %d; retry %d in %.1fs", method, shown, status, attempt + 1, delay)
            attempt += 1
            await (self._sleep or asyncio.sleep)(delay)

    async def get_json(
        self, url: str, *, params: Mapping[str, Any] | None = None, headers: Mapping[str, str] | None = None
    ) -> Any:
        """GET a JSON document.

        Raises:
            HttpError: An error status, a transport error, or a body that is not JSON.
        """
        response = await self.request(
            "GET", url, params=params, headers={"Accept": "application/json", **(headers or {})}
        )
        return _decode_json(response, url)

    async def post_json(
        self,
        url: str,
        payload: Any,
        *,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        idempotent: bool | None = None,
    ) -> Any:
        """POST a JSON body and decode the JSON answer (``None`` for an empty one)."""
        response = await self.request(
            "POST",
            url,
            params=params,
            json=payload,
            idempotent=idempotent,
            headers={"Accept": "application/json", **(headers or {})},
        )
        if not response.content.strip():
            return None
        return _decode_json(response, url)

    async def get_text(
        self, url: str, *, params: Mapping[str, Any] | None = None, robots: bool = True
    ) -> tuple[str, str]:
        """GET a text page (robots.txt checked by default); returns ``(text, final_url)``.

        ``final_url`` is the URL after redirects, for resolving relative links.
        """
        response = await self.request("GET", url, params=params, robots=robots)
        return response.text, str(response.url)

    async def _check_robots(self, url: str) -> None:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        policy = self._robots.get(origin)
        if policy is None:
            policy = await self._load_robots(origin)
            self._robots[origin] = policy
        if policy is True:
            return
        if policy is False or not policy.can_fetch(self._robots_agent(), url):
            raise RobotsDisallowedError(
                f"robots.txt of {origin} disallows {redact_url(url)}", url=redact_url(url)
            )

    async def _load_robots(self, origin: str) -> urllib.robotparser.RobotFileParser | bool:
        """RFC 9309: 4xx means no rules; 5xx or unreachable means everything is disallowed."""
        try:
            response = await self.request(
                "GET", f"{origin}/robots.txt", ok_statuses=frozenset(range(400, 500))
            )
        except HttpError as exc:
            logger.warning("robots.txt of %s unreachable (%s): treating the site as disallowed", origin, exc)
            return False
        if response.status_code >= 400:
            return True
        parser = urllib.robotparser.RobotFileParser()
        parser.parse(response.text.splitlines())
        delay = parser.crawl_delay(self._robots_agent())
        if delay:
            # A Crawl-delay slows this host below our own rate, never the other way round.
            host = _host(origin)
            self.limiter.defer(host, float(delay))
            own = self.settings.rate_limit
            if own == 0 or 1.0 / own < float(delay):
                self._host_rates[host] = 1.0 / float(delay)
        return parser

    def _robots_agent(self) -> str:
        return self.settings.user_agent.split("/", 1)[0].split()[0] or "*"

    def _backoff(self, attempt: int) -> float:
        ceiling = min(self.settings.backoff_max, self.settings.backoff_base * (2**attempt))
        return float(ceiling * self._jitter())


def _host(url: str) -> str:
    return urlsplit(url).netloc.rsplit("@", 1)[-1].lower()


def _retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, float((when - datetime.now(UTC)).total_seconds()))


def _status_error(method: str, url: str, response: httpx.Response, note: str = "") -> HttpError:
    body = response.text[:_BODY_EXCERPT] if response.content else ""
    return HttpError(
        f"{method} {url}: HTTP {response.status_code}{note}", url=url, status=response.status_code, body=body
    )


def _decode_json(response: httpx.Response, url: str) -> Any:
    try:
        return msgspec.json.decode(response.content)
    except msgspec.DecodeError as exc:
        shown = redact_url(url)
        raise HttpError(
            f"GET {shown}: not JSON ({exc})",
            url=shown,
            status=response.status_code,
            body=response.text[:_BODY_EXCERPT],
        ) from None
