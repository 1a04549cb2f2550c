"""The ``file`` job source: formats, column mapping, malformed records."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from jobforge.adapters.file_source import plugin
from jobforge.adapters.file_source.source import FileSource
from jobforge.core.errors import ConfigError
from jobforge.core.models import RawJob, RejectedRecord, WorkplaceType
from jobforge.core.registry import AdapterContext, Registry
from jobforge.ports import JobSource


async def read(source: FileSource) -> list[RawJob | RejectedRecord]:
    return [item async for item in source.fetch()]


async def jobs_of(source: FileSource) -> list[RawJob]:
    items = await read(source)
    rejected = [item for item in items if isinstance(item, RejectedRecord)]
    assert rejected == []
    return [item for item in items if isinstance(item, RawJob)]


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def write_jsonl(path: Path, records: list[Any]) -> Path:
    return write(path, "".join(json.dumps(r) + "\n" for r in records))


def build(options: dict[str, Any], key: str = "sources.jobs") -> FileSource:
    registry: Registry[JobSource] = Registry("source")
    plugin.register_sources(registry)
    source = registry.build("file", AdapterContext(name="file", options=options, key=key))
    assert isinstance(source, FileSource)
    return source


CSV = """\
Job ID,Job Title,Company Name,Location,Salary Estimate,Job Description,Date Posted,Job Type,Remote,Tags,Rating
a1,Data Engineer,Acme,"Austin, TX",$120K-$150K,Build pipelines.,2026-10-01,Full-time,yes,"python, sql",4.1
a2,Nurse,Care Co,"Leeds, UK",£15/hour,"Care for patients.

Nights included.",2026-10-02T08:00:00Z,Part-time,no,,
"""


async def test_csv_default_mapping(tmp_path: Path) -> None:
    source = FileSource(write(tmp_path / "postings.csv", CSV))
    assert source.name == "file:postings"
    assert isinstance(source, JobSource)
    first, second = await jobs_of(source)
    assert first == RawJob(
        source="file:postings",
        source_id="a1",
        title="Data Engineer",
        company="Acme",
        location_text="Austin, TX",
        salary_text="$120K-$150K",
        description="Build pipelines.",
        posted_at="2026-10-01",
        employment_type_text="Full-time",
        workplace_type=WorkplaceType.REMOTE,
        skills=["python", "sql"],
        extra={"Rating": "4.1"},
    )
    assert second.description == "Care for patients.\n\nNights included."
    assert second.workplace_type == WorkplaceType.ONSITE
    assert second.skills is None
    assert second.extra == {}
    assert source.total_hint() == 2


async def test_more_default_spellings(tmp_path: Path) -> None:
    text = (
        "requisition-id,POSITION,employer,job_location,compensation,body,published_at,"
        "contract_type,workplace_type,keywords,team,link,application_url,valid_through\n"
        "r-9,Welder,Forge Ltd,Berlin,€40k,Weld.,2026-09-30,Contract,Hybrid,"
        '"[""tig"", ""mig""]",Plant,https://x.example/9,https://x.example/9/apply,2026-12-31\n'
    )
    [job] = await jobs_of(FileSource(write(tmp_path / "f.csv", text)))
    assert job.source_id == "r-9"
    assert (job.title, job.company, job.location_text, job.salary_text) == (
        "Welder",
        "Forge Ltd",
        "Berlin",
        "€40k",
    )
    assert (job.description, job.posted_at, job.employment_type_text) == ("Weld.", "2026-09-30", "Contract")
    assert job.workplace_type == WorkplaceType.HYBRID
    assert job.skills == ["tig", "mig"]
    assert job.department == "Plant"
    assert (job.url, job.apply_url, job.valid_through) == (
        "https://x.example/9",
        "https://x.example/9/apply",
        "2026-12-31",
    )
    assert job.extra == {}


async def test_tsv_by_extension_and_bom(tmp_path: Path) -> None:
    path = write(tmp_path / "jobs.tsv", "\ufeffid\ttitle\tcompany\n7\tBaker\tBread Co\n")
    [job] = await jobs_of(FileSource(path))
    assert (job.source_id, job.title, job.company) == ("7", "Baker", "Bread Co")


async def test_bom_in_json_and_jsonl(tmp_path: Path) -> None:
    json_path = write(tmp_path / "a.json", '\ufeff[{"id": 1, "title": "Cook"}]')
    jsonl_path = write(tmp_path / "b.jsonl", '\ufeff{"id": 2, "title": "Chef"}\n')
    assert [j.title for j in await jobs_of(FileSource(json_path))] == ["Cook"]
    assert [j.title for j in await jobs_of(FileSource(jsonl_path))] == ["Chef"]


async def test_json_array(tmp_path: Path) -> None:
    records = [
        {
            "id": 10,
            "title": "Pilot",
            "company": "Air",
            "skills": ["flying", "radio"],
            "is_remote": False,
            "posted_at": 1767225600,
            "salary": None,
            "meta": {"k": 1},
        },
        {"job_id": "x-2", "job_title": "Driver", "locations": ["Paris", "Lyon"], "remote": True},
    ]
    source = FileSource(write(tmp_path / "jobs.json", json.dumps(records)))
    first, second = await jobs_of(source)
    assert (first.source_id, first.title, first.skills) == ("10", "Pilot", ["flying", "radio"])
    assert first.workplace_type == WorkplaceType.ONSITE
    assert first.posted_at == 1767225600
    assert first.salary_text is None
    assert first.extra == {"meta": {"k": 1}}
    assert (second.source_id, second.title, second.location_text) == ("x-2", "Driver", "Paris; Lyon")
    assert second.workplace_type == WorkplaceType.REMOTE
    assert source.total_hint() == 2


@pytest.mark.parametrize("wrapper", ["jobs", "data", "results", "listings_of_the_day"])
async def test_json_object_with_one_array_of_records(tmp_path: Path, wrapper: str) -> None:
    document = {"count": 2, "next": None, wrapper: [{"id": "1", "title": "A"}, {"id": "2", "title": "B"}]}
    source = FileSource(write(tmp_path / "wrapped.json", json.dumps(document)))
    assert [j.title for j in await jobs_of(source)] == ["A", "B"]
    assert source.total_hint() == 2


async def test_a_single_json_object_is_one_record(tmp_path: Path) -> None:
    document = {"id": "solo", "title": "Only Job", "skills": ["a", "b"]}
    [job] = await jobs_of(FileSource(write(tmp_path / "one.json", json.dumps(document))))
    assert (job.source_id, job.title, job.skills) == ("solo", "Only Job", ["a", "b"])


async def test_json_lines(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "feed.ndjson", [{"id": "1", "title": "A"}, {"id": "2", "title": "B", "x": 1}]
    )
    source = FileSource(path, name="feed")
    items = await jobs_of(source)
    assert [(j.source, j.source_id, j.title, j.extra) for j in items] == [
        ("feed", "1", "A", {}),
        ("feed", "2", "B", {"x": 1}),
    ]
    assert source.total_hint() == 2


@pytest.mark.parametrize(
    ("content", "titles"),
    [
        ('{"title": "A"}\n{"title": "B"}\n', ["A", "B"]),
        ('[{"title": "A"}, {"title": "B"}]', ["A", "B"]),
        ('{"jobs": [{"title": "A"}]}', ["A"]),
        ('{\n  "jobs": [{"title": "A"}]\n}\n', ["A"]),
        ("title;company\nA;X\nB;Y\n", ["A", "B"]),
        ("title\tcompany\nA\tX\n", ["A"]),
    ],
)
async def test_format_is_sniffed_without_a_known_extension(
    tmp_path: Path, content: str, titles: list[str]
) -> None:
    source = FileSource(write(tmp_path / "export.txt", content))
    assert [j.title for j in await jobs_of(source)] == titles
    assert source.total_hint() == len(titles)


async def test_explicit_format_and_delimiter(tmp_path: Path) -> None:
    path = write(tmp_path / "data.dat", "title|company\nA|X\n")
    [job] = await jobs_of(FileSource(path, format="csv", delimiter="|"))
    assert (job.title, job.company) == ("A", "X")
    tabbed = write(tmp_path / "tabbed.dat", "title\tcompany\nA\tX\n")
    [job] = await jobs_of(build({"path": str(tabbed), "format": "csv", "delimiter": "\\t"}))
    assert job.company == "X"


async def test_explicit_mapping_overrides_defaults(tmp_path: Path) -> None:
    text = "title,Headline,Employer Name,ref\nold title,New Title,Acme,r1\n"
    source = FileSource(
        write(tmp_path / "f.csv", text),
        columns={"title": "Headline", "company": "employer name", "source_id": "ref"},
    )
    [job] = await jobs_of(source)
    assert (job.title, job.company, job.source_id) == ("New Title", "Acme", "r1")
    assert job.extra == {"title": "old title"}


async def test_plugin_reads_flat_and_nested_column_options(tmp_path: Path) -> None:
    path = write(tmp_path / "f.csv", "Headline,Firm\nT,F\n")
    flat = build({"path": str(path), "column.title": "Headline", "column.company": "Firm", "name": "mine"})
    nested = build({"path": str(path), "column": {"title": "Headline", "company": "Firm"}})
    assert [(j.source, j.title, j.company) for j in await jobs_of(flat)] == [("mine", "T", "F")]
    assert [(j.source, j.title, j.company) for j in await jobs_of(nested)] == [("file:f", "T", "F")]


async def test_a_mapped_column_the_file_lacks_is_a_config_error(tmp_path: Path) -> None:
    path = write(tmp_path / "f.csv", "title,company\nA,B\n")
    source = build({"path": str(path), "column.title": "Job Title"})
    with pytest.raises(ConfigError, match="Job Title") as caught:
        await read(source)
    assert caught.value.key == "sources.jobs.column.title"
    jsonl = write_jsonl(tmp_path / "f.jsonl", [{"title": "A"}])
    with pytest.raises(ConfigError) as caught:
        await read(FileSource(jsonl, columns={"company": "Employer"}))
    assert caught.value.key == "column.company"


async def test_unknown_fields_and_bad_options_are_config_errors(tmp_path: Path) -> None:
    path = write(tmp_path / "f.csv", "title\nA\n")
    with pytest.raises(ConfigError, match="unknown field 'colour'") as caught:
        build({"path": str(path), "column.colour": "Colour"})
    assert caught.value.key == "sources.jobs.column.colour"
    with pytest.raises(ConfigError) as caught:
        build({"path": str(path), "format": "xlsx"})
    assert caught.value.key == "sources.jobs.format"
    with pytest.raises(ConfigError) as caught:
        build({"path": str(path), "encoding": "klingon-8"})
    assert caught.value.key == "sources.jobs.encoding"
    with pytest.raises(ConfigError) as caught:
        build({"path": str(path), "delimiter": ",,"})
    assert caught.value.key == "sources.jobs.delimiter"
    with pytest.raises(ConfigError) as caught:
        build({"name": "x"})
    assert caught.value.key == "sources.jobs.path"
    with pytest.raises(ConfigError) as caught:
        build({"path": str(path), "column": "title"})
    assert caught.value.key == "sources.jobs.column"


async def test_malformed_csv_rows_are_rejected_with_line_numbers(tmp_path: Path) -> None:
    text = 'id,title,description\n1,A,"two\nlines"\n2,B,ok,surplus\n\n3,C,fine\n4,D,trailing empty,\n'
    source = FileSource(write(tmp_path / "f.csv", text))
    items = await read(source)
    assert [type(i).__name__ for i in items] == ["RawJob", "RejectedRecord", "RawJob", "RawJob"]
    rejected = items[1]
    assert isinstance(rejected, RejectedRecord)
    assert rejected.source == "file:f"
    assert rejected.position == 4
    assert rejected.reason == "row has 4 fields but the header has 3, line 4"
    assert rejected.record == "2,B,ok,surplus"
    assert [i.source_id for i in items if isinstance(i, RawJob)] == ["1", "3", "4"]
    assert source.total_hint() == 4


async def test_undecodable_bytes_reject_only_their_record(tmp_path: Path) -> None:
    csv_path = tmp_path / "f.csv"
    csv_path.write_bytes(b"id,title\n1,Caf\xc3\xa9\n2,Bad \xff byte\n3,Fine\n")
    items = await read(FileSource(csv_path))
    assert [getattr(i, "title", None) for i in items] == ["Café", None, "Fine"]
    bad = items[1]
    assert isinstance(bad, RejectedRecord)
    assert bad.reason == "undecodable bytes (utf-8-sig), line 3"
    assert bad.record == "2,Bad \\xff byte"
    jsonl_path = tmp_path / "f.jsonl"
    jsonl_path.write_bytes(b'{"title": "A"}\n{"title": "\xfe"}\n{"title": "C"}\n')
    items = await read(FileSource(jsonl_path))
    assert [getattr(i, "title", None) for i in items] == ["A", None, "C"]
    assert isinstance(items[1], RejectedRecord)
    assert items[1].reason == "undecodable bytes (utf-8-sig), line 2"


async def test_malformed_json_lines_are_rejected_with_line_numbers(tmp_path: Path) -> None:
    text = '{"id": "1", "title": "A"}\n\n{"id": "2", "title": \n["not", "an object"]\n42\n{"id": "5"}\n'
    source = FileSource(write(tmp_path / "feed.jsonl", text))
    items = await read(source)
    reasons = [(i.position, i.reason, i.record) for i in items if isinstance(i, RejectedRecord)]
    assert [(position, record) for position, _, record in reasons] == [
        (3, '{"id": "2", "title": '),
        (4, '["not", "an object"]'),
        (5, "42"),
    ]
    assert reasons[0][1].startswith("invalid JSON (")
    assert reasons[0][1].endswith(", line 3")
    assert reasons[1][1] == "a JSON array is not a record object, line 4"
    assert reasons[2][1] == "a JSON number is not a record object, line 5"
    assert [i.source_id for i in items if isinstance(i, RawJob)] == ["1", "5"]
    assert source.total_hint() == len(items)


async def test_json_elements_that_are_not_objects_are_rejected(tmp_path: Path) -> None:
    source = FileSource(write(tmp_path / "a.json", '[{"title": "A"}, "oops", null, {"title": "B"}]'))
    items = await read(source)
    assert [type(i).__name__ for i in items] == ["RawJob", "RejectedRecord", "RejectedRecord", "RawJob"]
    assert [(i.position, i.reason, i.record) for i in items if isinstance(i, RejectedRecord)] == [
        (2, "a JSON string is not a record object, element 2", '"oops"'),
        (3, "a JSON null is not a record object, element 3", "null"),
    ]
    assert source.total_hint() == 4


async def test_a_broken_json_file_is_one_rejected_record(tmp_path: Path) -> None:
    text = '[\n  {"title": "A"},\n  {"title": "B",,}\n]'
    [item] = await read(FileSource(write(tmp_path / "broken.json", text), columns={"title": "Headline"}))
    assert isinstance(item, RejectedRecord)
    assert item.reason.startswith("invalid JSON (")
    assert item.reason.endswith(", line 3")
    assert item.record == text


async def test_quoted_multiline_fields_and_huge_fields(tmp_path: Path) -> None:
    huge = "word " * 60_000
    text = f'id,description\n1,"{huge}"\n2,"line one\nline ""two""\r\nline three"\n3,plain\n'
    items = await jobs_of(FileSource(write(tmp_path / "big.csv", text)))
    assert items[0].description == huge.strip()
    assert items[1].description == 'line one\nline "two"\r\nline three'
    assert [i.source_id for i in items] == ["1", "2", "3"]


async def test_source_id_falls_back_to_url_then_a_content_hash(tmp_path: Path) -> None:
    records = [
        {"url": "https://jobs.example/1", "title": "A"},
        {"title": "B", "company": "C", "location": "L", "description": "D"},
        {"title": "B", "company": "C", "location": "L", "description": "D"},
        {"title": "B", "company": "C", "location": "L", "description": "Different"},
    ]
    items = await jobs_of(FileSource(write_jsonl(tmp_path / "f.jsonl", records)))
    assert items[0].source_id == "https://jobs.example/1"
    assert items[1].source_id == items[2].source_id
    assert items[1].source_id is not None
    assert len(items[1].source_id) == 64
    assert items[3].source_id != items[1].source_id
    again = await jobs_of(FileSource(write_jsonl(tmp_path / "g.jsonl", records[1:2])))
    assert again[0].source_id == items[1].source_id


async def test_pandas_index_column_is_the_id(tmp_path: Path) -> None:
    [job] = await jobs_of(FileSource(write(tmp_path / "p.csv", ",title,company\n0,A,B\n")))
    assert job.source_id == "0"
    assert job.extra == {}


@pytest.mark.parametrize(
    ("value", "expected", "kept"),
    [
        ("Remote", WorkplaceType.REMOTE, False),
        ("fully remote (US)", WorkplaceType.REMOTE, False),
        ("Hybrid - 3 days in office", WorkplaceType.HYBRID, False),
        ("On-site", WorkplaceType.ONSITE, False),
        ("not remote", WorkplaceType.ONSITE, False),
        ("TRUE", WorkplaceType.REMOTE, False),
        ("0", WorkplaceType.ONSITE, False),
        ("remote or office", None, True),
        ("flexible", None, True),
        ("", None, False),
    ],
)
async def test_workplace_values(
    tmp_path: Path, value: str, expected: WorkplaceType | None, kept: bool
) -> None:
    path = write_jsonl(tmp_path / "w.jsonl", [{"title": "T", "remote_type": value}])
    [job] = await jobs_of(FileSource(path))
    assert job.workplace_type == expected
    assert job.extra == ({"remote_type": value} if kept else {})


async def test_empty_files(tmp_path: Path) -> None:
    for name in ("empty.csv", "empty.jsonl", "header-only.csv"):
        content = "title,company\n" if name.startswith("header") else ""
        source = FileSource(write(tmp_path / name, content), columns={"title": "title"})
        assert await read(source) == []
        assert source.total_hint() == 0
    assert await read(FileSource(write(tmp_path / "empty.json", "[]"))) == []


async def test_a_missing_file_raises_naming_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "nope" / "jobs.csv"
    source = FileSource(missing)
    assert source.total_hint() is None
    with pytest.raises(FileNotFoundError, match="cannot read job file") as caught:
        await read(source)
    assert str(missing) in str(caught.value)
    with pytest.raises(IsADirectoryError, match=str(tmp_path)):
        await read(FileSource(tmp_path, format="json"))


async def test_other_encodings(tmp_path: Path) -> None:
    path = write(tmp_path / "latin.csv", "title,company\nCafé crème,Société\n", encoding="latin-1")
    [job] = await jobs_of(FileSource(path, encoding="latin-1"))
    assert (job.title, job.company) == ("Café crème", "Société")


async def test_stopping_early_closes_the_file(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "many.jsonl", [{"id": str(n), "title": "T"} for n in range(1000)])
    stream = FileSource(path).fetch()
    first = await anext(stream)
    assert isinstance(first, RawJob)
    await stream.aclose()  # type: ignore[attr-defined]


async def test_glassdoor_export_through_the_defaults(shared_dir: Path) -> None:
    source = FileSource(shared_dir / "data" / "glassdoor_jobs.csv")
    assert source.total_hint() == 956
    items = await read(source)
    assert len(items) == 956
    jobs = [item for item in items if isinstance(item, RawJob)]
    assert len(jobs) == 956
    first = jobs[0]
    assert first.source == "file:glassdoor_jobs"
    assert first.source_id == "0"
    assert first.title == "Data Scientist"
    assert first.salary_text == "$53K-$91K (Glassdoor est.)"
    assert first.company is not None
    assert first.company.startswith("Tecolote Research")
    assert first.location_text == "Albuquerque, NM"
    assert first.description is not None
    assert first.description.startswith("Data Scientist\nLocation: Albuquerque, NM")
    assert {"Rating", "Headquarters", "Size", "Industry"} <= set(first.extra)
    assert [job.source_id for job in jobs] == [str(n) for n in range(956)]
