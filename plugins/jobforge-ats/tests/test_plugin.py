"""Registration and configuration of the ATS adapters."""

from __future__ import annotations

import pytest

from jobforge import AdapterContext, ConfigError
from jobforge.hosts.plugin_host import PluginHost
from jobforge_ats import plugin
from jobforge_ats.greenhouse import GreenhouseAts


def test_registers_every_ats_with_secret_keys() -> None:
    host = PluginHost()
    assert host.add_plugin(plugin, name="ats")
    assert host.registries.ats.names() == ["greenhouse", "lever", "recruitee"]
    for name in host.registries.ats.names():
        options = {o.name: o for o in host.registries.ats.get(name).options}
        secrets = {n for n, o in options.items() if o.secret}
        assert secrets >= ({"api_tokens", "api_token"} if name == "recruitee" else {"api_keys", "api_key"})


def test_keys_from_a_table_from_text_and_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    table = plugin._lazy("greenhouse")(
        AdapterContext(name="greenhouse", options={"api_keys": {"acme": "k1"}})
    )
    assert isinstance(table, GreenhouseAts)
    assert table._key("acme") == "k1"
    text = plugin._lazy("greenhouse")(
        AdapterContext(name="greenhouse", options={"api_keys": "acme=k1, beta=k2"})
    )
    assert text._key("beta") == "k2"
    monkeypatch.setenv("JOBFORGE_GREENHOUSE_API_KEYS", "gamma=k3")
    from_env = plugin._lazy("greenhouse")(AdapterContext(name="greenhouse"))
    assert from_env._key("gamma") == "k3"


def test_bad_keys_option_names_the_option() -> None:
    with pytest.raises(ConfigError, match=r"ats\.greenhouse\.api_keys"):
        plugin._lazy("greenhouse")(
            AdapterContext(name="greenhouse", key="ats.greenhouse", options={"api_keys": "acme:k1"})
        )
