"""Exports a transformer plus mean pooling and L2 normalisation to one ONNX graph.

Needs torch, transformers and the ``onnx`` package, but only once per model:
the file is written atomically and re-used by every later start.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
import warnings
from pathlib import Path

import torch
from transformers import AutoModel

from jobforge.adapters.sentence_transformers._onnx_versions import OPSET

__all__ = ["export_onnx"]

logger = logging.getLogger("jobforge.adapters.sentence_transformers")


class _MeanPooled(torch.nn.Module):
    """The transformer followed by attention-masked mean pooling and L2 normalisation."""

    def __init__(self, transformer: torch.nn.Module, uses_token_types: bool) -> None:
        super().__init__()
        self.transformer = transformer
        self.uses_token_types = uses_token_types

    def forward(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor, *rest: torch.Tensor
    ) -> torch.Tensor:
        kwargs = {"input_ids": input_ids, "attention_mask": attention_mask}
        if rest:
            kwargs["token_type_ids"] = rest[0]
        hidden = self.transformer(**kwargs).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
        return torch.nn.functional.normalize(pooled, p=2.0, dim=1)


def export_onnx(model_dir: Path, target: Path, *, uses_token_types: bool) -> None:
    """Write the ONNX graph of ``model_dir`` to ``target`` (atomically: a temp file, then rename).

    Raises:
        ImportError: The ``onnx`` package, which torch's exporter needs, is missing.
    """
    try:
        import onnx  # noqa: F401  (torch.onnx.export needs it; fail with a clear message)
    except ImportError as error:
        raise ImportError(
            "backend 'onnx' exports the model once with torch.onnx, which needs the onnx package: "
            "pip install onnx"
        ) from error
    started = time.perf_counter()
    # Eager attention traces to plain MatMul/Softmax, which ONNX Runtime runs faster than the SDPA trace.
    model = AutoModel.from_pretrained(str(model_dir), attn_implementation="eager", local_files_only=True)
    wrapper = _MeanPooled(model.eval(), uses_token_types)
    names = ["input_ids", "attention_mask"] + (["token_type_ids"] if uses_token_types else [])
    example = tuple(torch.ones(2, 16, dtype=torch.long) for _ in names[:2])
    if uses_token_types:
        example += (torch.zeros(2, 16, dtype=torch.long),)
    axes = {name: {0: "batch", 1: "tokens"} for name in names}
    axes["sentence_embedding"] = {0: "batch"}
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(handle)
    try:
        with torch.no_grad(), warnings.catch_warnings():
            # The exporter warns about tracing and its own deprecation; the graph is checked by use.
            warnings.simplefilter("ignore")
            torch.onnx.export(
                wrapper,
                example,
                temp_name,
                input_names=names,
                output_names=["sentence_embedding"],
                dynamic_axes=axes,
                opset_version=OPSET,
                dynamo=False,
            )
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    logger.info("exported %s to %s in %.1f s", model_dir, target, time.perf_counter() - started)
