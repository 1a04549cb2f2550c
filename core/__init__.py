"""The pure domain core: model, normalisation, dedup and services."""
