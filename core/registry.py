"""Named adapter factories, one registry per port.

Plugins hand factories over through the ``register_*`` hooks; the core
owns these registries and rejects a second registration under one name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import msgspec

from jobforge.core.errors import ConfigError, DuplicateRegistrationError, UnknownAdapterError

if TYPE_CHECKING:
    from jobforge.ports import (
        ATS,
        AppStore,
        Cache,
        Embedder,
        FeatureFlags,
        JobRepository,
        JobSource,
        Notifier,
        SearchIndex,
    )

__all__ = [
    "PORTS",
    "AdapterContext",
    "AdapterSpec",
    "OptionSpec",
    "Registries",
    "Registry",
]

T = TypeVar("T")

_MISSING: Any = object()


class OptionSpec(msgspec.Struct, frozen=True, kw_only=True):
    """One option an adapter accepts (shown by ``jobforge plugins``)."""

    name: str
    description: str = ""
    required: bool = False
    default: Any = None
    secret: bool = False


class AdapterContext(msgspec.Struct, frozen=True, kw_only=True):
    """What a factory receives: its options and where it may keep data.

    ``key`` is the dotted config path of the options (for error messages).
    """

    name: str
    options: dict[str, Any] = msgspec.field(default_factory=dict)
    data_dir: str = "."
    key: str = ""
    processes: int = 1
    """Processes of this host sharing the machine's cores (``jobforge serve --workers N``
    sets ``[http] processes``): a CPU-heavy adapter may size its threads by it."""

    def get(self, option: str, default: Any = None) -> Any:
        """An option's value, or ``default``."""
        return self.options.get(option, default)

    def require(self, option: str) -> Any:
        """An option's value; a missing one is a :class:`ConfigError` naming it."""
        if option not in self.options or self.options[option] in (None, ""):
            raise ConfigError(self.option_key(option), "is required")
        return self.options[option]

    def get_int(self, option: str, default: int) -> int:
        """An integer option (strings are converted), validated."""
        return int(self._convert(option, default, int))

    def get_float(self, option: str, default: float) -> float:
        """A float option (strings are converted), validated."""
        return float(self._convert(option, default, float))

    def get_bool(self, option: str, default: bool) -> bool:
        """A boolean option; accepts true/false, yes/no, 1/0 as strings."""
        value = self.options.get(option, default)
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in {"1", "true", "yes", "on"}:
            return True
        if text in {"0", "false", "no", "off"}:
            return False
        raise ConfigError(self.option_key(option), f"expected a boolean, got {value!r}")

    def _convert(self, option: str, default: Any, kind: Callable[[Any], Any]) -> Any:
        value = self.options.get(option, default)
        if isinstance(value, bool):
            raise ConfigError(self.option_key(option), f"expected {kind.__name__}, got {value!r}")
        try:
            return kind(value)
        except (TypeError, ValueError):
            raise ConfigError(self.option_key(option), f"expected {kind.__name__}, got {value!r}") from None

    def option_key(self, option: str) -> str:
        """The dotted config key of one option (``embedder.backend``), for error messages."""
        return f"{self.key}.{option}" if self.key else option


class AdapterSpec(msgspec.Struct, Generic[T], frozen=True, kw_only=True):
    """A registered factory: name, port, where it came from and its options."""

    name: str
    port: str
    factory: Callable[[AdapterContext], T]
    description: str = ""
    options: tuple[OptionSpec, ...] = ()
    plugin: str = ""
    """Name of the plugin that registered it."""


class Registry(Generic[T]):
    """Factories for one port, by unique name."""

    def __init__(self, port: str) -> None:
        self.port = port
        self._specs: dict[str, AdapterSpec[T]] = {}
        self.current_plugin = ""

    def register(
        self,
        name: str,
        factory: Callable[[AdapterContext], T],
        *,
        description: str = "",
        options: tuple[OptionSpec, ...] | list[OptionSpec] = (),
    ) -> None:
        """Add a factory; a name already taken is a :class:`DuplicateRegistrationError`."""
        if not name or not isinstance(name, str):
            raise ValueError(f"{self.port} adapter name must be a non-empty string, got {name!r}")
        if not callable(factory):
            raise TypeError(f"{self.port} adapter {name!r}: factory is not callable")
        if name in self._specs:
            owner = self._specs[name].plugin or "another plugin"
            raise DuplicateRegistrationError(f"{self.port} adapter {name!r} is already registered by {owner}")
        self._specs[name] = AdapterSpec(
            name=name,
            port=self.port,
            factory=factory,
            description=description,
            options=tuple(options),
            plugin=self.current_plugin,
        )

    __call__ = register

    def get(self, name: str) -> AdapterSpec[T]:
        """The spec registered under ``name``; unknown names name the alternatives."""
        try:
            return self._specs[name]
        except KeyError:
            raise UnknownAdapterError(self.port, name, list(self._specs)) from None

    def build(self, name: str, context: AdapterContext) -> T:
        """Build the adapter registered under ``name``."""
        return self.get(name).factory(context)

    def names(self) -> list[str]:
        """Registered names, sorted."""
        return sorted(self._specs)

    def __contains__(self, name: object) -> bool:
        return name in self._specs

    def __iter__(self) -> Iterator[AdapterSpec[T]]:
        return iter(sorted(self._specs.values(), key=lambda s: s.name))

    def __len__(self) -> int:
        return len(self._specs)


PORTS: Mapping[str, str] = {
    "sources": "source",
    "search_indexes": "search_index",
    "embedders": "embedder",
    "repositories": "repository",
    "ats": "ats",
    "notifiers": "notifier",
    "caches": "cache",
    "feature_flags": "feature_flags",
    "stores": "store",
}
"""Registry attribute to port name."""


class Registries:
    """One registry per port."""

    def __init__(self) -> None:
        self.sources: Registry[JobSource] = Registry("source")
        self.search_indexes: Registry[SearchIndex] = Registry("search_index")
        self.embedders: Registry[Embedder] = Registry("embedder")
        self.repositories: Registry[JobRepository] = Registry("repository")
        self.ats: Registry[ATS] = Registry("ats")
        self.notifiers: Registry[Notifier] = Registry("notifier")
        self.caches: Registry[Cache] = Registry("cache")
        self.feature_flags: Registry[FeatureFlags] = Registry("feature_flags")
        self.stores: Registry[AppStore] = Registry("store")

    def all(self) -> dict[str, Registry[Any]]:
        """Port name to registry."""
        return {PORTS[attr]: getattr(self, attr) for attr in PORTS}
