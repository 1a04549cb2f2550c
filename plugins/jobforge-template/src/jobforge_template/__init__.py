"""A template jobforge plugin: copy it, rename it, replace the example board with yours.

It registers one job source, ``example_board`` (a paginated JSON API), and
one pipeline hook, ``enrich_job``, which tags remote jobs with the skill
``remote-friendly``. Its tests use the kit every jobforge plugin uses:
``SourceContract`` and the ``jobforge_http_server`` fixture.
"""

__all__: list[str] = []
