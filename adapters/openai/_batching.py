"""Splitting texts into requests the embeddings API accepts.

The API takes at most 2048 inputs and about 300,000 tokens per request,
and at most 8191 tokens per input. No tokenizer is available offline, so
token counts are bounded by UTF-8 byte counts: a BPE token always covers at
least one byte, so a text of ``n`` bytes has at most ``n`` tokens. Inputs
are truncated to ``max_input_tokens`` bytes (on a character boundary) and
batches are cut so their byte total stays within ``max_batch_tokens``.
Typical English text has about four bytes per token, so this keeps the
first ~2,000 tokens of a long posting -- more than embedding models weigh.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

__all__ = ["batches", "prepare"]


def prepare(text: str, max_input_tokens: int) -> str:
    """The text as sent: truncated to ``max_input_tokens`` bytes; a blank text becomes one space.

    The API rejects empty strings; a space embeds as "nothing" just the same.
    """
    if not text.strip():
        return " "
    data = text.encode("utf-8")
    if len(data) <= max_input_tokens:
        return text
    return data[:max_input_tokens].decode("utf-8", errors="ignore")


def batches(texts: Sequence[str], *, max_inputs: int, max_tokens: int) -> Iterator[list[int]]:
    """Positions of ``texts`` grouped into batches within both bounds, in order."""
    batch: list[int] = []
    size = 0
    for position, text in enumerate(texts):
        cost = len(text.encode("utf-8"))
        if batch and (len(batch) == max_inputs or size + cost > max_tokens):
            yield batch
            batch, size = [], 0
        batch.append(position)
        size += cost
    if batch:
        yield batch
