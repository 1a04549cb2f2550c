"""Versions that name the exported ONNX file (kept apart from the exporter, which imports torch)."""

__all__ = ["EXPORT_VERSION", "OPSET"]

OPSET = 17
"""ONNX opset of the export."""

EXPORT_VERSION = 1
"""Bump when the exported graph changes, so stale cached files are not used."""
