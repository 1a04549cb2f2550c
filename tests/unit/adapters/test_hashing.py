"""The hashing embedder: stable across processes, validated, registered by its plugin."""

from __future__ import annotations

import math
import subprocess
import sys

import pytest

from jobforge.adapters.hashing import plugin
from jobforge.adapters.hashing.embedder import HashingEmbedder
from jobforge.core.errors import ConfigError
from jobforge.core.registry import AdapterContext, Registry


def test_vectors_are_the_same_in_another_process() -> None:
    code = (
        "from jobforge.adapters.hashing.embedder import HashingEmbedder;"
        "print(repr(HashingEmbedder(16).embed('Senior Python developer')))"
    )
    # PYTHONHASHSEED differs per process by default; pin a different one to be sure hash() is unused.
    other = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONHASHSEED": "12345", "PATH": ""},
    )
    assert other.stdout.strip() == repr(HashingEmbedder(16).embed("Senior Python developer"))


def test_case_and_punctuation_do_not_matter() -> None:
    embedder = HashingEmbedder(32)
    assert embedder.embed("Python, Developer!") == embedder.embed("python developer")


def test_word_order_matters_through_bigrams() -> None:
    embedder = HashingEmbedder(256)
    assert embedder.embed("data engineer") != embedder.embed("engineer data")


def test_a_text_without_words_gets_the_fixed_unit_vector() -> None:
    embedder = HashingEmbedder(4)
    assert embedder.embed("") == embedder.embed("?!") == [0.5, 0.5, 0.5, 0.5]


def test_model_id_names_the_dimensions() -> None:
    assert HashingEmbedder(64).model_id != HashingEmbedder(32).model_id


@pytest.mark.parametrize("bad", [0, 1, -3, 2.5, True, "64"])
def test_bad_dimensions_are_rejected(bad: object) -> None:
    with pytest.raises(ValueError, match="dimensions"):
        HashingEmbedder(bad)  # type: ignore[arg-type]


async def test_a_non_string_text_is_rejected_with_its_position() -> None:
    with pytest.raises(TypeError, match=r"texts\[2\] is NoneType"):
        await HashingEmbedder().embed_documents(["a", "b", None])  # type: ignore[list-item]


def test_the_plugin_registers_hashing_with_its_option() -> None:
    registry: Registry[object] = Registry("embedder")
    plugin.register_embedders(registry)
    spec = registry.get("hashing")
    assert [option.name for option in spec.options] == ["dimensions"]
    built = registry.build(
        "hashing", AdapterContext(name="hashing", options={"dimensions": "16"}, key="embedder")
    )
    assert isinstance(built, HashingEmbedder)
    assert built.dimensions == 16
    assert math.isclose(sum(x * x for x in built.embed("hello world")), 1.0)


@pytest.mark.parametrize("bad", ["many", 1])
def test_the_plugin_names_the_key_of_a_bad_dimensions_option(bad: object) -> None:
    registry: Registry[object] = Registry("embedder")
    plugin.register_embedders(registry)
    with pytest.raises(ConfigError) as error:
        registry.build("hashing", AdapterContext(name="hashing", options={"dimensions": bad}, key="embedder"))
    assert error.value.key == "embedder.dimensions"
