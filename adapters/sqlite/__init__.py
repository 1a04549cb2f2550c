"""SQLite adapters: the embedded default job repository."""
