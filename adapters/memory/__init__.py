"""In-process adapters and state-recording fakes: repository, cache and search index."""
