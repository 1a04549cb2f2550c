"""The job source contract suite against the fake and the built-in file source.

The HTTP sources of ``plugins/jobforge-sources`` run the same suite against
recorded API responses.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from jobforge.adapters.file_source.source import FileSource
from jobforge.core.models import RawJob, RejectedRecord
from jobforge.testing.contracts import SourceContract
from jobforge.testing.fakes import FakeSource

CSV = (
    "id,title,company,location,salary,posted_at\n"
    '1,Data Engineer,Acme,"Austin, TX",$120k-$150k,2026-09-01\n'
    "2,Nurse,Mercy Health,Remote,,1790265606\n"
)


class TestFakeSource(SourceContract):
    @pytest.fixture
    def source(self) -> FakeSource:
        return FakeSource(
            [
                RawJob(source="fake", source_id="1", title="Data Engineer", company="Acme"),
                RawJob(
                    source="fake",
                    source_id="2",
                    title="Nurse",
                    company="Mercy Health",
                    location_text="Remote",
                ),
            ]
        )

    @pytest.fixture
    def expected_count(self) -> int:
        return 2

    @pytest.fixture
    def malformed_source(self) -> FakeSource:
        return FakeSource(
            [
                RawJob(source="fake", source_id="1", title="Data Engineer", company="Acme"),
                RejectedRecord(source="fake", reason="no title", record={"id": 2}),
            ]
        )


class TestFileSource(SourceContract):
    @pytest.fixture
    def source(self, tmp_path: Path) -> FileSource:
        path = tmp_path / "postings.csv"
        path.write_text(CSV)
        return FileSource(path)

    @pytest.fixture
    def expected_count(self) -> int:
        return 2

    @pytest.fixture
    def malformed_source(self, tmp_path: Path) -> FileSource:
        path = tmp_path / "postings.jsonl"
        path.write_text('{"id": 1, "title": "Data Engineer", "company": "Acme"}\n{oops\n')
        return FileSource(path)
