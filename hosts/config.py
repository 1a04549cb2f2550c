"""Configuration: a TOML file plus environment overrides, validated by msgspec.

A bad key or value fails fast with :class:`ConfigError` naming the dotted
key and what was expected. Adapter sections take ``name`` plus any options
of that adapter (``[embedder] name = "sentence-transformers"`` and
``backend = "onnx"``); they are passed to the adapter's factory, which
validates them.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

import msgspec

from jobforge.core.clock import time_zone
from jobforge.core.errors import ConfigError
from jobforge.core.search_types import SearchMode

__all__ = [
    "ENV_OVERRIDES",
    "SHARED_ADAPTER_SECTIONS",
    "AdapterSettings",
    "AlertSettings",
    "AnalyticsSettings",
    "AuthSettings",
    "HttpSettings",
    "IngestSettings",
    "MongoSettings",
    "NotifierSettings",
    "PluginSettings",
    "RankingSettings",
    "RateLimitSettings",
    "SearchSettings",
    "Settings",
    "SourceSettings",
    "TelemetrySettings",
    "WorkerSettings",
    "adapter_options",
    "default_data_dir",
    "load_settings",
    "masked",
    "settings_from_dict",
]

_T = TypeVar("_T")

ADAPTER_SECTIONS = ("repository", "search_index", "embedder", "cache", "flags", "store")


class AdapterSettings(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Which adapter serves a port, and its options."""

    name: str
    options: dict[str, Any] = msgspec.field(default_factory=dict)


class PluginSettings(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Plugin loading: allow/block lists of entry-point names, strict mode."""

    allow: list[str] = msgspec.field(default_factory=list)
    block: list[str] = msgspec.field(default_factory=list)
    strict: bool = False


class SearchSettings(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Search defaults and bounds."""

    default_limit: int = 10
    max_limit: int = 100
    max_offset: int = 10_000
    mode: SearchMode = SearchMode.HYBRID
    min_similarity: float = 0.25
    vector_candidates: int = 1000
    rrf_k: int = 60
    default_currency: str = "USD"
    max_query_length: int = 500
    cache_ttl: float = 30.0
    """Seconds a search result stays in the query-result cache (0 turns it off)."""

    def __post_init__(self) -> None:
        _check_range("search.cache_ttl", self.cache_ttl, 0, 86_400)
        _check_range("search.default_limit", self.default_limit, 1, self.max_limit)
        _check_range("search.max_limit", self.max_limit, 1, 1000)
        _check_range("search.max_offset", self.max_offset, 0, 1_000_000)
        _check_range("search.min_similarity", self.min_similarity, -1.0, 1.0)
        _check_range("search.vector_candidates", self.vector_candidates, 1, 100_000)
        _check_range("search.rrf_k", self.rrf_k, 1, 10_000)
        if not re.fullmatch(r"[A-Z]{3}", self.default_currency):
            raise ConfigError("search.default_currency", "expected an ISO 4217 code such as USD")


class IngestSettings(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Ingest pipeline tuning."""

    batch_size: int = 128
    fuzzy_dedup: bool = True

    def __post_init__(self) -> None:
        _check_range("ingest.batch_size", self.batch_size, 1, 10_000)


class SourceSettings(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A configured job source: the registered source type and its options."""

    type: str
    options: dict[str, Any] = msgspec.field(default_factory=dict)
    schedule: str | None = None


class NotifierSettings(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A configured notifier (``[notifiers.<name>]``): the registered notifier type
    (default: the section name) and its options. Saved searches name it."""

    type: str
    options: dict[str, Any] = msgspec.field(default_factory=dict)


class AtsSettings(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Options of one registered ATS adapter (``[ats.<name>]``), with per-tenant
    overrides (``[ats.<name>.tenants.<tenant_id>]``): each tenant's applications
    are submitted with that tenant's keys."""

    options: dict[str, Any] = msgspec.field(default_factory=dict)
    tenants: dict[str, dict[str, Any]] = msgspec.field(default_factory=dict)

    def options_for(self, tenant_id: str | None) -> dict[str, Any]:
        """The adapter options for a tenant: shared options, then the tenant's."""
        return {**self.options, **(self.tenants.get(tenant_id, {}) if tenant_id else {})}


class RankingSettings(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The built-in feature reranker (see ``jobforge.core.ranking``)."""

    enabled: bool = True
    """Default of the ``ranking.enabled`` flag."""
    window: int = 50
    """Top candidates reranked per query (0: only the requested page)."""
    half_life_days: float = 30.0
    """Age at which the recency feature halves."""
    weights: dict[str, float] = msgspec.field(default_factory=dict)
    """Feature weights over the defaults; the ``ranking.weights`` flag overrides them per tenant."""

    def __post_init__(self) -> None:
        _check_range("ranking.window", self.window, 0, 1000)
        _check_range("ranking.half_life_days", self.half_life_days, 0.01, 36_500)
        from jobforge.core.ranking import RankingWeights

        try:
            RankingWeights().merged(self.weights)
        except (ValueError, TypeError) as exc:
            raise ConfigError("ranking.weights", str(exc)) from None


class WorkerSettings(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """``jobforge worker``: scheduling, alert passes and the per-source lock."""

    tick: float = 5.0
    """Seconds between looks at the schedules (a failed run is retried at the next one)."""
    alerts_interval: float = 60.0
    """Seconds between alert passes (one also follows every ingest run)."""
    run_on_start: bool = True
    """Run interval-scheduled sources when the worker starts (cron ones wait for their time)."""
    lock: str = "auto"
    """``memory`` (one worker), ``redis`` (several workers), or ``auto``: redis when
    ``lock_url`` is set or the cache is redis, else memory."""
    lock_url: str = ""
    """Redis URL of the locks (default: the cache's ``url``)."""
    lock_ttl: float = 60.0
    """Seconds a lock outlives a worker that died holding it."""

    def __post_init__(self) -> None:
        _check_range("worker.tick", self.tick, 0.01, 3600)
        _check_range("worker.alerts_interval", self.alerts_interval, 0.01, 86_400)
        _check_range("worker.lock_ttl", self.lock_ttl, 1, 86_400)
        if self.lock not in ("auto", "memory", "redis"):
            raise ConfigError("worker.lock", f"expected auto, memory or redis, got {self.lock!r}")


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class AlertSettings(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Saved-search alerts (see ``docs/alerts.md``)."""

    enabled: bool = True
    """Record changed jobs at ingest so alert passes can match them."""
    min_similarity: float = 0.5
    """A job matches a saved query when it contains every query word or its
    embedding's cosine similarity to the query's is at least this."""
    digest_hour: int = 8
    """Hour at which daily and weekly digests become due, in ``timezone``."""
    timezone: str = "UTC"
    """IANA time zone of ``digest_hour`` for saved searches that name none."""
    weekly_day: str = "monday"
    max_attempts: int = 8
    """Delivery attempts before an alert is marked failed."""
    retry_seconds: float = 60.0
    """Wait before the first retry of a failed delivery; doubles each time."""
    batch_size: int = 500
    """Changed jobs matched per step, and alerts delivered per step."""
    digest_max_jobs: int = 25
    """Jobs listed in one digest (the rest are counted)."""
    base_url: str = ""
    """Public URL of the search page; alerts link to ``<base_url>/?job=<id>`` when set."""

    def __post_init__(self) -> None:
        _check_range("alerts.min_similarity", self.min_similarity, -1.0, 1.0)
        _check_range("alerts.digest_hour", self.digest_hour, 0, 23)
        _check_range("alerts.max_attempts", self.max_attempts, 1, 1000)
        _check_range("alerts.retry_seconds", self.retry_seconds, 0, 86_400)
        _check_range("alerts.batch_size", self.batch_size, 1, 100_000)
        _check_range("alerts.digest_max_jobs", self.digest_max_jobs, 1, 1000)
        if self.weekly_day.lower() not in _WEEKDAYS:
            raise ConfigError(
                "alerts.weekly_day", f"expected a weekday name such as monday, got {self.weekly_day!r}"
            )
        try:
            time_zone(self.timezone)
        except ValueError as error:
            raise ConfigError("alerts.timezone", str(error)) from None


class AnalyticsSettings(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Search and interaction events (see ``docs/analytics.md``)."""

    enabled: bool = True
    anonymous_tenant: str = "default"
    """The tenant anonymous searches and interactions are counted under."""
    window_days: int = 30
    """Days a report covers unless asked otherwise."""
    retention_days: int = 400
    """Events older than this are deleted by the worker (once a day)."""

    def __post_init__(self) -> None:
        _check_range("analytics.window_days", self.window_days, 1, 3650)
        _check_range("analytics.retention_days", self.retention_days, 1, 36_500)


class RateLimitSettings(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """HTTP rate limits: ``per_key`` requests per ``period`` seconds for each API key
    (or JWT subject), ``anonymous`` for each anonymous client address."""

    enabled: bool = True
    per_key: int = 600
    anonymous: int = 120
    period: float = 60.0
    store: str = "memory"
    """Where counters live: ``memory`` (this process) or a store another plugin provides."""
    options: dict[str, Any] = msgspec.field(default_factory=dict)

    def __post_init__(self) -> None:
        _check_range("http.rate_limit.per_key", self.per_key, 1, 10_000_000)
        _check_range("http.rate_limit.anonymous", self.anonymous, 1, 10_000_000)
        _check_range("http.rate_limit.period", self.period, 0.001, 86_400)


class HttpSettings(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The HTTP host (``jobforge serve``)."""

    request_max_body_size: int = 1_048_576
    """Largest accepted request body in bytes; larger bodies get 413."""
    preload_embedder: bool = True
    """Load the embedding model at start-up; ``/ready`` answers 503 until it is loaded."""
    trust_forwarded_for: bool = False
    """Take the anonymous client address from ``X-Forwarded-For`` (behind a trusted proxy)."""
    rate_limit: RateLimitSettings = msgspec.field(default_factory=RateLimitSettings)
    processes: int = 1
    """Server processes sharing this machine's cores; ``jobforge serve --workers N`` sets it
    for its workers (set it yourself under another process manager)."""

    def __post_init__(self) -> None:
        _check_range("http.request_max_body_size", self.request_max_body_size, 1024, 1 << 30)
        _check_range("http.processes", self.processes, 1, 1024)


class TelemetrySettings(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Traces and logs of the hosts."""

    otlp_endpoint: str = ""
    """OTLP/HTTP endpoint (e.g. ``http://collector:4318``); traces are exported when set."""
    service_name: str = "jobforge"
    log_format: str = "json"
    """``json`` (one object per line) or ``text``."""

    def __post_init__(self) -> None:
        if self.log_format not in ("json", "text"):
            raise ConfigError("telemetry.log_format", f"expected json or text, got {self.log_format!r}")


class AuthSettings(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Who may call the HTTP host: API keys always; JWTs when a secret or public key is set."""

    public_search: bool = True
    """Let anonymous callers search and read jobs; everything else needs a key or token."""
    jwt_secret: str | None = None
    """Shared secret of HS* tokens (``JOBFORGE_JWT_SECRET``)."""
    jwt_public_key: str | None = None
    """PEM public key of RS*/ES*/EdDSA tokens."""
    jwt_algorithms: list[str] = msgspec.field(default_factory=lambda: ["HS256"])
    jwt_issuer: str | None = None
    """When set, tokens must carry this ``iss``."""
    jwt_audience: str | None = None
    """When set, tokens must carry this ``aud``."""
    tenant_claim: str = "tenant"
    role_claim: str = "role"
    bootstrap_admin_key: str | None = None
    """An admin API key registered at start-up (``JOBFORGE_ADMIN_KEY``), for the first login."""

    def __post_init__(self) -> None:
        if not self.jwt_algorithms:
            raise ConfigError("auth.jwt_algorithms", "give at least one algorithm, e.g. HS256")
        if any(alg.lower() == "none" for alg in self.jwt_algorithms):
            raise ConfigError("auth.jwt_algorithms", "unsigned tokens (none) are never accepted")


class MongoSettings(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """MongoDB connection settings shared by every adapter named ``mongo``.

    The ``mongo`` job repository and the ``mongo`` store both read this
    section; a key set in ``[repository]`` or ``[store]`` wins over it for
    that adapter only. Times are in seconds.
    """

    url: str = ""
    """Connection string, e.g. ``mongodb://db1,db2,db3/?replicaSet=rs0``; required."""
    database: str = "jobforge"
    pool_size: int = 100
    """Most connections each adapter keeps open (``maxPoolSize``)."""
    min_pool_size: int = 0
    connect_timeout: float = 10.0
    server_selection_timeout: float = 10.0
    """How long an operation waits for a usable server before it fails."""
    socket_timeout: float = 0.0
    """How long a request may wait for its reply; 0 waits indefinitely."""
    transactions: str = "auto"
    """``auto`` (when the server is a replica set or sharded), ``always`` or ``never``."""

    def __post_init__(self) -> None:
        _check_range("mongo.pool_size", self.pool_size, 1, 100_000)
        _check_range("mongo.min_pool_size", self.min_pool_size, 0, self.pool_size)
        _check_range("mongo.connect_timeout", self.connect_timeout, 0.001, 3600)
        _check_range("mongo.server_selection_timeout", self.server_selection_timeout, 0.001, 3600)
        _check_range("mongo.socket_timeout", self.socket_timeout, 0, 86_400)
        if self.transactions not in ("auto", "always", "never"):
            raise ConfigError(
                "mongo.transactions", f"expected auto, always or never, got {self.transactions!r}"
            )


class Settings(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The whole effective configuration."""

    data_dir: str = ""
    repository: AdapterSettings = msgspec.field(default_factory=lambda: AdapterSettings(name="sqlite"))
    search_index: AdapterSettings = msgspec.field(default_factory=lambda: AdapterSettings(name="sqlite"))
    embedder: AdapterSettings = msgspec.field(
        default_factory=lambda: AdapterSettings(name="sentence-transformers")
    )
    cache: AdapterSettings = msgspec.field(default_factory=lambda: AdapterSettings(name="memory"))
    flags: AdapterSettings = msgspec.field(default_factory=lambda: AdapterSettings(name="static"))
    store: AdapterSettings = msgspec.field(default_factory=lambda: AdapterSettings(name="sqlite"))
    plugins: PluginSettings = msgspec.field(default_factory=PluginSettings)
    search: SearchSettings = msgspec.field(default_factory=SearchSettings)
    ingest: IngestSettings = msgspec.field(default_factory=IngestSettings)
    sources: dict[str, SourceSettings] = msgspec.field(default_factory=dict)
    log_level: str = "WARNING"
    http: HttpSettings = msgspec.field(default_factory=HttpSettings)
    telemetry: TelemetrySettings = msgspec.field(default_factory=TelemetrySettings)
    auth: AuthSettings = msgspec.field(default_factory=AuthSettings)
    mongo: MongoSettings = msgspec.field(default_factory=MongoSettings)
    ranking: RankingSettings = msgspec.field(default_factory=RankingSettings)
    worker: WorkerSettings = msgspec.field(default_factory=WorkerSettings)
    alerts: AlertSettings = msgspec.field(default_factory=AlertSettings)
    notifiers: dict[str, NotifierSettings] = msgspec.field(default_factory=dict)
    ats: dict[str, AtsSettings] = msgspec.field(default_factory=dict)
    analytics: AnalyticsSettings = msgspec.field(default_factory=AnalyticsSettings)


ENV_OVERRIDES: dict[str, str] = {
    "JOBFORGE_DATA_DIR": "data_dir",
    "JOBFORGE_REPOSITORY": "repository.name",
    "JOBFORGE_SEARCH_INDEX": "search_index.name",
    "JOBFORGE_EMBEDDER": "embedder.name",
    "JOBFORGE_CACHE": "cache.name",
    "JOBFORGE_FLAGS": "flags.name",
    "JOBFORGE_STORE": "store.name",
    "JOBFORGE_EMBEDDER_BACKEND": "embedder.backend",
    "JOBFORGE_LOG_LEVEL": "log_level",
    "JOBFORGE_PLUGINS_STRICT": "plugins.strict",
    "JOBFORGE_OTEL_ENDPOINT": "telemetry.otlp_endpoint",
    "JOBFORGE_JWT_SECRET": "auth.jwt_secret",
    "JOBFORGE_ADMIN_KEY": "auth.bootstrap_admin_key",
    "JOBFORGE_REDIS_URL": "cache.url",
    "JOBFORGE_OPENAI_BASE_URL": "embedder.base_url",
    "JOBFORGE_OPENAI_API_KEY": "embedder.api_key",
    "JOBFORGE_OPENAI_MODEL": "embedder.model",
    "JOBFORGE_LAUNCHDARKLY_SDK_KEY": "flags.sdk_key",
    "JOBFORGE_WEAVIATE_URL": "search_index.url",
    "JOBFORGE_WEAVIATE_API_KEY": "search_index.api_key",
    "JOBFORGE_MONGO_URL": "mongo.url",
    "JOBFORGE_MONGO_DATABASE": "mongo.database",
}
"""Named environment variables and the dotted key each sets.

Any other key can be set as ``JOBFORGE__SECTION__KEY`` (double
underscores between parts); values are read as TOML values when they
parse as one (``true``, ``42``, ``["a"]``) and as strings otherwise.
"""

_TYPED_ENV_KEYS = frozenset({"plugins.strict"})

_SECRET_PARTS = ("key", "secret", "password", "token", "credential")


SHARED_ADAPTER_SECTIONS: dict[str, str] = {"mongo": "mongo"}
"""Adapter name to the top-level section whose keys are defaults for every
port section that selects that adapter (``[mongo]`` serves both
``repository = "mongo"`` and ``store = "mongo"``)."""


def adapter_options(settings: Settings, section: str) -> dict[str, Any]:
    """The options the adapter of ``section`` is built with: the keys of its
    shared section (see :data:`SHARED_ADAPTER_SECTIONS`), overridden by the
    keys of ``section`` itself."""
    adapter: AdapterSettings = getattr(settings, section)
    shared = SHARED_ADAPTER_SECTIONS.get(adapter.name)
    defaults = msgspec.to_builtins(getattr(settings, shared)) if shared else {}
    return {**defaults, **adapter.options}


def default_data_dir() -> str:
    """``JOBFORGE_DATA_DIR`` or the per-user data folder."""
    env = os.environ.get("JOBFORGE_DATA_DIR")
    if env:
        return env
    import platformdirs

    return platformdirs.user_data_dir("jobforge", appauthor=False)


def load_settings(
    path: str | Path | None = None,
    *,
    env: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """Read the TOML file (``path`` or ``JOBFORGE_CONFIG``), apply the
    environment, then ``overrides`` (dotted keys), and validate."""
    environ = os.environ if env is None else env
    raw: dict[str, Any] = {}
    config_path = path or environ.get("JOBFORGE_CONFIG")
    if config_path:
        file = Path(config_path).expanduser()
        try:
            raw = tomllib.loads(file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError("config", f"file not found: {file}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError("config", f"{file} is not valid TOML: {exc}") from None
    for var, key in ENV_OVERRIDES.items():
        if environ.get(var):
            # Named variables carry names, URLs and secrets: kept as text, so an
            # all-digit secret stays a string; only flags are parsed.
            value = environ[var]
            _set_dotted(raw, key, _parse_env_value(value) if key in _TYPED_ENV_KEYS else value)
    for var, value in environ.items():
        if var.startswith("JOBFORGE__") and value != "":
            key = ".".join(part.lower() for part in var[len("JOBFORGE__") :].split("__"))
            _set_dotted(raw, key, _parse_env_value(value))
    for key, value in (overrides or {}).items():
        _set_dotted(raw, key, value)
    return settings_from_dict(raw)


def settings_from_dict(raw: Mapping[str, Any]) -> Settings:
    """Validate a plain mapping (as read from TOML) into :class:`Settings`."""
    data = dict(raw)
    for section in ADAPTER_SECTIONS:
        if section in data:
            data[section] = _adapter_section(section, data[section])
    if "sources" in data:
        if not isinstance(data["sources"], Mapping):
            raise ConfigError("sources", "expected a table of named sources")
        sources = {
            name: _convert(_source_section(f"sources.{name}", value), SourceSettings, f"sources.{name}")
            for name, value in data.pop("sources").items()
        }
    else:
        sources = {}
    for name, source in sources.items():
        if source.schedule is not None:
            from jobforge.hosts.schedule import parse_schedule

            try:
                parse_schedule(source.schedule)
            except ValueError as exc:
                raise ConfigError(f"sources.{name}.schedule", str(exc)) from None
    notifiers = _notifier_sections(data.pop("notifiers", None))
    ats = _ats_sections(data.pop("ats", None))
    settings = _convert(data, Settings, "")
    settings.ats.update(ats)
    settings.sources.update(sources)
    settings.notifiers.update(notifiers)
    if not settings.data_dir:
        settings = msgspec.structs.replace(settings, data_dir=default_data_dir())
    level = settings.log_level.upper()
    if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
        raise ConfigError("log_level", f"expected DEBUG, INFO, WARNING, ERROR or CRITICAL, got {level!r}")
    return settings


def masked(settings: Settings) -> dict[str, Any]:
    """The settings as a plain dict with secret-looking values masked."""
    shown: dict[str, Any] = _mask(msgspec.to_builtins(settings))
    return shown


def _mask(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _mask(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask(v, key) for v in value]
    if isinstance(value, str):
        if value and any(part in key.lower() for part in _SECRET_PARTS):
            return "****"
        return re.sub(r"(?<=://)([^:/@]+):([^@/]+)@", r"\1:****@", value)
    return value


def _adapter_section(section: str, value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        return {"name": value}
    if not isinstance(value, Mapping):
        raise ConfigError(section, "expected a table with at least `name`")
    table = dict(value)
    options = dict(table.pop("options", {}) or {})
    name = table.pop("name", None)
    options.update(table)
    result: dict[str, Any] = {"options": options}
    if name is not None:
        result["name"] = name
    else:
        result["name"] = Settings().__getattribute__(section).name
    return result


def _ats_sections(value: Any) -> dict[str, AtsSettings]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ConfigError("ats", "expected a table of ATS adapters, e.g. [ats.greenhouse]")
    result: dict[str, AtsSettings] = {}
    for name, table in value.items():
        key = f"ats.{name}"
        if not isinstance(table, Mapping):
            raise ConfigError(key, "expected a table of options")
        options = dict(table)
        tenants = options.pop("tenants", {})
        if not isinstance(tenants, Mapping) or not all(isinstance(v, Mapping) for v in tenants.values()):
            raise ConfigError(f"{key}.tenants", "expected a table of tenant id to a table of options")
        result[name] = AtsSettings(options=options, tenants={t: dict(v) for t, v in tenants.items()})
    return result


def _source_section(key: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise ConfigError(key, "expected a table with at least `type`")
    table = dict(value)
    options = dict(table.pop("options", {}) or {})
    result: dict[str, Any] = {}
    for field in ("type", "schedule"):
        if field in table:
            result[field] = table.pop(field)
    options.update(table)
    result["options"] = options
    if "type" not in result:
        raise ConfigError(f"{key}.type", "is required (the registered source name, e.g. `file`)")
    return result


def _notifier_sections(value: Any) -> dict[str, NotifierSettings]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ConfigError("notifiers", "expected a table of named notifiers")
    result = {}
    for name, section in value.items():
        key = f"notifiers.{name}"
        if not isinstance(section, Mapping):
            raise ConfigError(key, "expected a table with the notifier's options")
        table = dict(section)
        options = dict(table.pop("options", {}) or {})
        kind = table.pop("type", name)
        options.update(table)
        result[name] = _convert({"type": kind, "options": options}, NotifierSettings, key)
    return result


def _convert(data: Any, kind: type[_T], prefix: str) -> _T:
    try:
        return msgspec.convert(data, kind, strict=False)
    except msgspec.ValidationError as exc:
        key, message = _split_validation_error(exc)
        full = f"{prefix}.{key}" if prefix and key != "config" else (prefix or key)
        raise ConfigError(full, message) from None


def _split_validation_error(exc: msgspec.ValidationError) -> tuple[str, str]:
    text = str(exc)
    match = re.fullmatch(r"(.*?)(?: - at `\$\.?(.*)`)?", text, flags=re.DOTALL)
    message, path = (match.group(1), match.group(2) or "") if match else (text, "")
    key = re.sub(r"\[(?:'|\")?([^\]'\"]+)(?:'|\")?\]", r".\1", path).strip(".")
    unknown = re.fullmatch(r"Object contains unknown field `([^`]+)`", message)
    if unknown:
        return (f"{key}.{unknown.group(1)}" if key else unknown.group(1)), "unknown key"
    return key or "config", message


def _set_dotted(raw: dict[str, Any], key: str, value: Any) -> None:
    parts = key.split(".")
    node = raw
    for part in parts[:-1]:
        child = node.get(part)
        if isinstance(child, str) and part in ADAPTER_SECTIONS:
            child = {"name": child}
        if not isinstance(child, dict):
            child = {}
        node[part] = child
        node = child
    node[parts[-1]] = value


def _parse_env_value(value: str) -> Any:
    try:
        return tomllib.loads(f"v = {value}")["v"]
    except tomllib.TOMLDecodeError:
        return value


def _check_range(key: str, value: float, low: float, high: float) -> None:
    if not low <= value <= high:
        raise ConfigError(key, f"must be between {low} and {high}, got {value}")
