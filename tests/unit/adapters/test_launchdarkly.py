"""LaunchDarkly flags through the SDK's own TestData and file data sources (no network)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ldclient.integrations.test_data import TestData

from jobforge.adapters.launchdarkly import LaunchDarklyFlags
from jobforge.core.errors import ConfigError
from jobforge.core.registry import AdapterContext
from jobforge.hosts.config import load_settings
from jobforge.ports import FeatureFlags


@pytest.fixture
def data() -> Any:
    return TestData.data_source()


@pytest.fixture
def flags(data: Any) -> Iterator[LaunchDarklyFlags]:
    flags = LaunchDarklyFlags("sdk-test", data_source=data, send_events=False, start_wait=1)
    yield flags
    flags.close()


def test_implements_the_port(flags: LaunchDarklyFlags) -> None:
    assert isinstance(flags, FeatureFlags)
    assert flags.initialized


def test_per_tenant_targeting(flags: LaunchDarklyFlags, data: Any) -> None:
    data.update(
        data.flag("search.alpha")
        .variations(0.5, 0.8)
        .fallthrough_variation(0)
        .variation_for_key("tenant", "acme", 1)
    )
    assert flags.get("search.alpha", 0.1, tenant_id="acme") == 0.8
    assert flags.get("search.alpha", 0.1, tenant_id="acme", user_id="u1") == 0.8
    assert flags.get("search.alpha", 0.1, tenant_id="globex") == 0.5
    assert flags.get("search.alpha", 0.1) == 0.5


def test_per_user_targeting(flags: LaunchDarklyFlags, data: Any) -> None:
    data.update(
        data.flag("new-ranking")
        .boolean_flag()
        .fallthrough_variation(False)
        .variation_for_key("user", "ada", True)
    )
    assert flags.get("new-ranking", False, tenant_id="acme", user_id="ada") is True
    assert flags.get("new-ranking", False, user_id="ada") is True
    assert flags.get("new-ranking", False, tenant_id="acme", user_id="bob") is False
    assert flags.get("new-ranking", False, tenant_id="ada") is False  # a tenant key is not a user key


def test_user_and_tenant_rules_combine(flags: LaunchDarklyFlags, data: Any) -> None:
    data.update(
        data.flag("mode")
        .variations("hybrid", "keyword", "vector")
        .fallthrough_variation(0)
        .variation_for_key("tenant", "acme", 1)
        .variation_for_key("user", "ada", 2)
    )
    assert flags.get("mode", "x", tenant_id="acme") == "keyword"
    assert flags.get("mode", "x", user_id="ada") == "vector"
    assert flags.get("mode", "x", tenant_id="other", user_id="bob") == "hybrid"


def test_unknown_flag_gives_the_default_and_is_logged_once(
    flags: LaunchDarklyFlags, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, "jobforge.adapters.launchdarkly")
    assert flags.get("no-such-flag", 42, tenant_id="acme") == 42
    assert flags.get("no-such-flag", 42) == 42
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "no-such-flag" in warnings[0].getMessage()
    assert "FLAG_NOT_FOUND" in warnings[0].getMessage()


def test_wrong_type_gives_the_default(
    flags: LaunchDarklyFlags, data: Any, caplog: pytest.LogCaptureFixture
) -> None:
    data.update(data.flag("search.alpha").variations("high", "low").fallthrough_variation(0))
    with caplog.at_level(logging.WARNING, "jobforge.adapters.launchdarkly"):
        assert flags.get("search.alpha", 0.5) == 0.5
    assert "expected float" in caplog.text
    data.update(data.flag("limit").variations(7).fallthrough_variation(0))
    assert flags.get("limit", 0.5) == 7.0  # an integer serves a float default


def test_file_data_source(tmp_path: Path) -> None:
    path = tmp_path / "flags.json"
    path.write_text(json.dumps({"flagValues": {"search.alpha": 0.7, "banner": "hello"}}))
    flags = LaunchDarklyFlags(data_file=str(path), start_wait=1)
    try:
        assert flags.get("search.alpha", 0.5, tenant_id="acme") == 0.7
        assert flags.get("banner", "", user_id="u") == "hello"
        assert flags.get("missing", True) is True
    finally:
        flags.close()


def test_offline_gives_defaults() -> None:
    flags = LaunchDarklyFlags("sdk-test", offline=True)
    try:
        assert flags.get("anything", "default", tenant_id="t") == "default"
    finally:
        flags.close()


def test_plugin_from_environment(tmp_path: Path) -> None:
    from jobforge.adapters.launchdarkly.plugin import _build

    path = tmp_path / "flags.json"
    path.write_text(json.dumps({"flagValues": {"search.alpha": 0.3}}))
    settings = load_settings(
        env={
            "JOBFORGE_FLAGS": "launchdarkly",
            "JOBFORGE_LAUNCHDARKLY_SDK_KEY": "sdk-123",
            "JOBFORGE__FLAGS__DATA_FILE": str(path),
        },
        overrides={"data_dir": str(tmp_path)},
    )
    assert settings.flags.name == "launchdarkly"
    assert settings.flags.options["sdk_key"] == "sdk-123"
    flags = _build(AdapterContext(name="launchdarkly", options=settings.flags.options, key="flags"))
    try:
        assert flags.get("search.alpha", 0.5) == 0.3
    finally:
        flags.close()  # type: ignore[attr-defined]
    with pytest.raises(ConfigError, match=r"flags\.sdk_key"):
        _build(AdapterContext(name="launchdarkly", options={}, key="flags"))
    with pytest.raises(ConfigError, match=r"flags\.colour"):
        _build(AdapterContext(name="launchdarkly", options={"sdk_key": "k", "colour": 1}, key="flags"))
