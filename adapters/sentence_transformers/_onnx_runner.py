"""Runs an exported model with ONNX Runtime and the ``tokenizers`` library (no torch).

Imported only when an embedder loads.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer

__all__ = ["OnnxRunner"]


class OnnxRunner:
    """One ONNX Runtime session over a graph that outputs pooled, normalised vectors.

    Args:
        onnx_path: The exported graph (see ``_onnx_export``).
        model_dir: The model directory, for ``tokenizer.json``.
        max_seq_length: Truncation length in tokens.
        threads: Intra-op threads of the session.
        spin: Whether idle intra-op threads spin; off for sessions that share a busy
            machine with other work (spinning burns the cores that work needs).
        one_at_a_time: Run each text on its own. For graphs with dynamically quantised
            activations, whose scale is taken over the whole batch: batched, a text's
            vector would depend on its batch companions (a cosine as low as 0.988 to
            itself, measured), so the same query could rank differently under load.
    """

    def __init__(
        self,
        onnx_path: Path,
        model_dir: Path,
        *,
        max_seq_length: int,
        threads: int,
        spin: bool = True,
        one_at_a_time: bool = False,
    ) -> None:
        self.one_at_a_time = one_at_a_time
        tokenizer_file = model_dir / "tokenizer.json"
        if not tokenizer_file.is_file():
            raise ValueError(
                f"backend 'onnx' needs {str(tokenizer_file)!r} (a fast tokenizer); it is missing"
            )
        self.tokenizer = Tokenizer.from_file(str(tokenizer_file))
        self.tokenizer.enable_truncation(max_length=max_seq_length)
        padding = self.tokenizer.padding
        if padding is None:
            pad_token = _pad_token(model_dir)
            pad_id = self.tokenizer.token_to_id(pad_token)
            self.tokenizer.enable_padding(pad_id=0 if pad_id is None else pad_id, pad_token=pad_token)
        else:  # keep the model's pad token, but pad to the longest text of each batch
            self.tokenizer.enable_padding(pad_id=padding["pad_id"], pad_token=padding["pad_token"])
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        if not spin:
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = ort.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])
        self.input_names = [i.name for i in self.session.get_inputs()]

    @property
    def dimensions(self) -> int:
        """Length of the vectors the graph outputs."""
        return int(self.session.get_outputs()[0].shape[-1])

    def encode(self, texts: list[str]) -> list[list[float]]:
        """Unit-length float32 vectors of one batch, in order."""
        if self.one_at_a_time and len(texts) > 1:
            return [vector for text in texts for vector in self._run([text])]
        return self._run(texts)

    def _run(self, texts: list[str]) -> list[list[float]]:
        encodings = self.tokenizer.encode_batch(texts)
        columns = {
            "input_ids": [e.ids for e in encodings],
            "attention_mask": [e.attention_mask for e in encodings],
            "token_type_ids": [e.type_ids for e in encodings],
        }
        feeds = {name: np.asarray(columns[name], dtype=np.int64) for name in self.input_names}
        (vectors,) = self.session.run(None, feeds)
        return vectors.astype(np.float32, copy=False).tolist()  # type: ignore[no-any-return]

    def close(self) -> None:
        """Drop the session."""
        del self.session


def _pad_token(model_dir: Path) -> str:
    for name in ("special_tokens_map.json", "tokenizer_config.json"):
        path = model_dir / name
        if path.is_file():
            token = json.loads(path.read_text(encoding="utf-8")).get("pad_token")
            if isinstance(token, dict):
                token = token.get("content")
            if isinstance(token, str):
                return token
    return "[PAD]"
