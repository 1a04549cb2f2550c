"""CPU feature detection and the choice of backend."""

from __future__ import annotations

import os
import platform
from pathlib import Path

__all__ = [
    "AUTO_ORDER",
    "BACKENDS",
    "cpu_count",
    "has_native_bf16",
    "read_cpu_flags",
    "resolve_backend",
    "resolve_query_backend",
]

BACKENDS = ("auto", "torch-fp32", "torch-bf16", "onnx", "onnx-int8")
"""Accepted values of the ``backend`` option."""

AUTO_ORDER = ("torch-bf16", "onnx", "torch-fp32")
"""What ``auto`` tries, fastest first, as measured by ``benchmarks/embedders.py``
on a 2-core AMD EPYC (Zen 4) with 250-token job descriptions; each keeps
top-10 retrieval overlap with torch fp32 at or above 0.97."""

_BF16_FLAGS = frozenset({"avx512_bf16", "amx_bf16"})


def read_cpu_flags() -> frozenset[str]:
    """The CPU feature flags of this machine (empty where they cannot be read)."""
    cpuinfo = Path("/proc/cpuinfo")
    if platform.system() == "Linux" and cpuinfo.is_file():
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
            key, _, value = line.partition(":")
            if key.strip() in {"flags", "Features"}:
                return frozenset(value.split())
    return frozenset()


def has_native_bf16(flags: frozenset[str]) -> bool:
    """Whether the CPU computes bfloat16 natively (AVX512-BF16 or AMX-BF16).

    Without it torch emulates bfloat16 and is slower than float32.
    """
    return bool(flags & _BF16_FLAGS)


def cpu_count() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def resolve_backend(requested: str, *, native_bf16: bool, onnx_problem: str | None) -> tuple[str, str]:
    """The backend to run and why.

    Args:
        requested: One of :data:`BACKENDS`.
        native_bf16: Whether the CPU has native bfloat16.
        onnx_problem: Why the ONNX backend cannot run here, or ``None`` when it can.

    Returns:
        ``(backend, reason)``, the backend one of ``torch-fp32``, ``torch-bf16``, ``onnx``.

    Raises:
        ValueError: ``requested`` is unknown, or ``onnx`` was asked for and cannot run.
    """
    if requested not in BACKENDS:
        raise ValueError(f"backend must be one of {', '.join(BACKENDS)}; got {requested!r}")
    if requested == "torch-fp32":
        return requested, "requested"
    if requested == "torch-bf16":
        if native_bf16:
            return requested, "requested; the CPU has native bfloat16"
        return "torch-fp32", (
            "torch-bf16 requested but the CPU has no native bfloat16 (avx512_bf16 or amx_bf16), "
            "where it is slower than float32; using torch-fp32"
        )
    if requested in ("onnx", "onnx-int8"):
        if onnx_problem is not None:
            raise ValueError(f"backend {requested!r} cannot run: {onnx_problem}")
        return requested, "requested"
    if native_bf16:
        return "torch-bf16", "auto: the CPU has native bfloat16, the fastest backend here"
    if onnx_problem is None:
        return "onnx", "auto: no native bfloat16 on this CPU; ONNX Runtime fp32 is the next fastest"
    return "torch-fp32", f"auto: no native bfloat16 on this CPU and ONNX is unavailable ({onnx_problem})"


def resolve_query_backend(
    requested: str, *, documents: str, native_bf16: bool, onnx_problem: str | None
) -> tuple[str, str]:
    """The backend that embeds single queries, and why.

    ``auto`` prefers ONNX Runtime: it answers one short query several times
    faster than torch, its vectors equal torch fp32 ones, and it loads
    without importing torch (a search-only process starts in under a second).

    Args:
        requested: One of :data:`BACKENDS`.
        documents: The backend chosen for documents (the fallback).
        native_bf16: Whether the CPU has native bfloat16.
        onnx_problem: Why the ONNX backend cannot run here, or ``None`` when it can.

    Returns:
        ``(backend, reason)``.

    Raises:
        ValueError: ``requested`` is unknown, or ``onnx`` was asked for and cannot run.
    """
    if requested != "auto":
        return resolve_backend(requested, native_bf16=native_bf16, onnx_problem=onnx_problem)
    if onnx_problem is None:
        return "onnx", "auto: ONNX Runtime embeds single queries fastest and loads without torch"
    return documents, f"auto: as documents, ONNX is unavailable ({onnx_problem})"
