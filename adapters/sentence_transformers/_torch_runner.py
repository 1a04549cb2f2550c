"""Runs the model with sentence-transformers on torch, in float32 or bfloat16.

Imported only when an embedder loads (torch is heavy).
"""

from __future__ import annotations

from pathlib import Path

import torch
from sentence_transformers import SentenceTransformer

__all__ = ["TorchRunner"]


class TorchRunner:
    """One loaded SentenceTransformer; :meth:`encode` embeds one batch.

    Args:
        model_dir: The model directory.
        bf16: Cast the weights to bfloat16 (only sensible with native CPU support).
        max_seq_length: Truncation length in tokens.
        threads: torch intra-op threads (a process-wide setting).
    """

    def __init__(self, model_dir: Path, *, bf16: bool, max_seq_length: int, threads: int) -> None:
        torch.set_num_threads(threads)
        # The default (SDPA) attention: in interleaved runs on busy 2-core machines it beat
        # eager attention by 25-40% in fp32 and bf16 (benchmarks/embedders.py --variants).
        self.model = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
        self.model.max_seq_length = max_seq_length
        self.model.eval()
        if bf16:
            self.model.to(torch.bfloat16)

    @property
    def dimensions(self) -> int:
        """Length of the vectors the model outputs."""
        # get_embedding_dimension is the sentence-transformers 6 name of the older getter.
        getter = getattr(self.model, "get_embedding_dimension", None)
        if getter is None:
            getter = self.model.get_sentence_embedding_dimension
        return int(getter() or 0)

    def encode(self, texts: list[str]) -> list[list[float]]:
        """Unit-length float32 vectors of one batch, in order."""
        with torch.inference_mode():
            vectors = self.model.encode(
                texts,
                batch_size=len(texts),
                convert_to_tensor=True,
                normalize_embeddings=False,
                show_progress_bar=False,
            )
            # Normalise in float32: a bfloat16 norm is only accurate to ~3 digits.
            vectors = torch.nn.functional.normalize(vectors.float(), p=2.0, dim=1)
        return vectors.tolist()

    def close(self) -> None:
        """Drop the model."""
        del self.model
