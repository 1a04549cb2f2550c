"""Notifiers for jobforge (entry point ``notify``): ``email`` (SMTP), ``slack`` and ``webhook``.

Each sends a notification with a key (``saved_search_id:job_id``) at most
once, keeping the keys it sent in ``notify-sent.sqlite3`` in the data folder.
"""

__all__: list[str] = []
