"""Config: TOML plus environment, validated with errors that name the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from jobforge.core.errors import ConfigError
from jobforge.hosts.config import load_settings, masked, settings_from_dict


def test_defaults_are_the_embedded_default(tmp_path: Path) -> None:
    settings = load_settings(env={"JOBFORGE_DATA_DIR": str(tmp_path)})
    assert settings.data_dir == str(tmp_path)
    assert settings.repository.name == "sqlite"
    assert settings.search_index.name == "sqlite"
    assert settings.embedder.name == "sentence-transformers"
    assert settings.cache.name == "memory"
    assert settings.flags.name == "static"


def test_toml_file_with_flattened_adapter_options(tmp_path: Path) -> None:
    config = tmp_path / "jobforge.toml"
    config.write_text(
        """
data_dir = "/srv/jobs"
[embedder]
name = "sentence-transformers"
backend = "onnx"
batch_size = 16
[search]
default_limit = 25
[sources.acme]
type = "file"
path = "postings.csv"
schedule = "every 1h"
"""
    )
    settings = load_settings(config, env={})
    assert settings.data_dir == "/srv/jobs"
    assert settings.embedder.options == {"backend": "onnx", "batch_size": 16}
    assert settings.search.default_limit == 25
    assert settings.sources["acme"].type == "file"
    assert settings.sources["acme"].options == {"path": "postings.csv"}
    assert settings.sources["acme"].schedule == "every 1h"


def test_environment_overrides_the_file(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text('[repository]\nname = "sqlite"\n')
    settings = load_settings(
        config,
        env={
            "JOBFORGE_REPOSITORY": "memory",
            "JOBFORGE_EMBEDDER_BACKEND": "torch-fp32",
            "JOBFORGE__SEARCH__MAX_LIMIT": "50",
            "JOBFORGE__PLUGINS__BLOCK": '["hashing"]',
            "JOBFORGE_DATA_DIR": str(tmp_path),
        },
    )
    assert settings.repository.name == "memory"
    assert settings.embedder.options["backend"] == "torch-fp32"
    assert settings.search.max_limit == 50
    assert settings.plugins.block == ["hashing"]


@pytest.mark.parametrize(
    ("raw", "key", "fragment"),
    [
        ({"search": {"default_limit": "ten"}}, "search.default_limit", "Expected `int`"),
        ({"search": {"colour": "red"}}, "search.colour", "unknown key"),
        ({"bogus": 1}, "bogus", "unknown key"),
        ({"search": {"max_limit": 5000}}, "search.max_limit", "between 1 and 1000"),
        ({"search": {"default_currency": "dollars"}}, "search.default_currency", "ISO 4217"),
        ({"ingest": {"batch_size": 0}}, "ingest.batch_size", "between"),
        ({"sources": {"acme": {"path": "x.csv"}}}, "sources.acme.type", "required"),
        ({"sources": {"acme": {"type": "file", "schedule": 5}}}, "sources.acme.schedule", "Expected"),
        ({"repository": 42}, "repository", "expected a table"),
        ({"plugins": {"strict": "maybe"}}, "plugins.strict", "Expected `bool`"),
        ({"log_level": "LOUD"}, "log_level", "expected DEBUG"),
        ({"alerts": {"timezone": "Mars/Olympus_Mons"}}, "alerts.timezone", "unknown time zone"),
    ],
)
def test_bad_values_name_their_key(raw: dict[str, object], key: str, fragment: str) -> None:
    with pytest.raises(ConfigError) as info:
        settings_from_dict({"data_dir": "/tmp/x", **raw})
    assert info.value.key == key
    assert fragment in info.value.message


def test_missing_or_invalid_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_settings(tmp_path / "nope.toml", env={})
    bad = tmp_path / "bad.toml"
    bad.write_text("[search\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(bad, env={})


def test_masked_hides_secrets_and_url_passwords() -> None:
    settings = settings_from_dict(
        {
            "data_dir": "/d",
            "repository": {"name": "mongo", "url": "mongodb://app:hunter2@db:27017/jobs"},
            "embedder": {"name": "openai", "api_key": "sk-secret"},
        }
    )
    shown = masked(settings)
    assert shown["embedder"]["options"]["api_key"] == "****"
    assert shown["repository"]["options"]["url"] == "mongodb://app:****@db:27017/jobs"
    assert "hunter2" not in str(shown) and "sk-secret" not in str(shown)


def test_the_alerts_time_zone_reaches_the_alert_policy() -> None:
    from jobforge.hosts.alerting import alert_policy

    settings = settings_from_dict(
        {"data_dir": "/tmp/x", "alerts": {"timezone": "Europe/Berlin", "digest_hour": 7}}
    )
    policy = alert_policy(settings)
    assert (policy.timezone, policy.digest_hour) == ("Europe/Berlin", 7)
    assert alert_policy(settings_from_dict({"data_dir": "/tmp/x"})).timezone == "UTC"


def test_http_processes_reach_every_adapter_context(tmp_path: Path) -> None:
    from jobforge.adapters.sentence_transformers import SentenceTransformerEmbedder
    from jobforge.hosts.engine import build_engine

    many = build_engine(overrides={"data_dir": str(tmp_path), "http.processes": 1024})
    one = build_engine(overrides={"data_dir": str(tmp_path)})
    for engine, inline in ((many, True), (one, False)):
        embedder = engine.container.embedder()
        inner = getattr(embedder, "inner", embedder)
        assert isinstance(inner, SentenceTransformerEmbedder)
        assert (inner._query_batcher._encode_now is not None) == inline
    with pytest.raises(ConfigError) as error:
        settings_from_dict({"data_dir": "/tmp/x", "http": {"processes": 0}})
    assert error.value.key == "http.processes"
