"""The documented production configuration (docs/configuration.md) builds every adapter,
and the environment variables set the same keys as its TOML."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from jobforge.adapters.launchdarkly import LaunchDarklyFlags
from jobforge.adapters.openai import OpenAIEmbedder
from jobforge.adapters.redis import RedisCache
from jobforge.adapters.weaviate import WeaviateSearchIndex
from jobforge.hosts.config import load_settings
from jobforge.hosts.container import build_adapter
from jobforge.hosts.plugin_host import load_plugins

DOC = Path(__file__).resolve().parents[3] / "docs" / "configuration.md"


def documented_toml() -> str:
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Production adapters", 1)[1]
    match = re.search(r"```toml\n(.*?)```", section, re.DOTALL)
    assert match
    return match.group(1)


def test_the_documented_toml_builds_every_production_adapter(tmp_path: Path) -> None:
    config = tmp_path / "jobforge.toml"
    config.write_text(documented_toml(), encoding="utf-8")
    # offline: building the LaunchDarkly client must not reach the network from a test
    settings = load_settings(config, env={}, overrides={"data_dir": str(tmp_path), "flags.offline": True})
    host = load_plugins(strict=True)
    built = {
        section: build_adapter(host, registry, section, settings)
        for registry, section in (
            ("caches", "cache"),
            ("embedders", "embedder"),
            ("feature_flags", "flags"),
            ("search_indexes", "search_index"),
        )
    }
    assert isinstance(built["cache"], RedisCache)
    assert isinstance(built["embedder"], OpenAIEmbedder)
    assert isinstance(built["flags"], LaunchDarklyFlags)
    assert isinstance(built["search_index"], WeaviateSearchIndex)
    assert built["embedder"].dimensions == 1536
    assert built["flags"].get("search.alpha", 0.5) == 0.5
    built["flags"].close()


def test_environment_variables_match_the_toml_keys(tmp_path: Path) -> None:
    env = {
        "JOBFORGE_CACHE": "redis",
        "JOBFORGE_REDIS_URL": "redis://:password@redis:6379/0",
        "JOBFORGE_EMBEDDER": "openai",
        "JOBFORGE_OPENAI_MODEL": "text-embedding-3-small",
        "JOBFORGE_OPENAI_API_KEY": "sk-...",
        "JOBFORGE_OPENAI_BASE_URL": "http://embeddings:8000/v1",
        "JOBFORGE_FLAGS": "launchdarkly",
        "JOBFORGE_LAUNCHDARKLY_SDK_KEY": "sdk-...",
        "JOBFORGE_SEARCH_INDEX": "weaviate",
        "JOBFORGE_WEAVIATE_URL": "http://weaviate:8080",
        "JOBFORGE_WEAVIATE_API_KEY": "12345",
    }
    settings = load_settings(env=env, overrides={"data_dir": str(tmp_path)})
    toml = tomllib.loads(documented_toml())
    assert settings.cache.name == "redis"
    assert settings.cache.options["url"] == toml["cache"]["url"]
    assert settings.embedder.options == {
        "model": "text-embedding-3-small",
        "api_key": "sk-...",
        "base_url": "http://embeddings:8000/v1",
    }
    assert settings.flags.options == {"sdk_key": "sdk-..."}
    assert settings.search_index.options == {"url": "http://weaviate:8080", "api_key": "12345"}
