"""The ``file`` job source: postings from CSV, TSV, JSON and JSON Lines files."""
