"""Registration of the notifiers, and their options."""

from __future__ import annotations

from jobforge.hosts.plugin_host import PluginHost
from jobforge_notify import plugin


def test_registers_the_notifiers_with_their_options() -> None:
    host = PluginHost()
    assert host.add_plugin(plugin, name="notify")
    registry = host.registries.notifiers
    assert registry.names() == ["email", "slack", "webhook"]
    email = {o.name: o for o in registry.get("email").options}
    assert {n for n, o in email.items() if o.required} == {"host", "sender"}
    assert email["password"].secret
    assert {o.name for o in registry.get("slack").options if o.secret} >= {"webhook_url"}
    webhook = {o.name: o for o in registry.get("webhook").options}
    assert webhook["secret"].required
    assert webhook["secret"].secret
    for name in registry.names():
        assert "dedupe" in {o.name for o in registry.get(name).options}
