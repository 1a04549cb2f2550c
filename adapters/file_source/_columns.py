"""Which file column feeds which :class:`~jobforge.core.models.RawJob` field, and the value conversions."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from typing import Any

import msgspec

from jobforge.core.errors import ConfigError
from jobforge.core.models import RawJob, WorkplaceType

__all__ = [
    "DEFAULT_COLUMNS",
    "FIELDS",
    "ColumnMap",
    "canonical_field",
    "normalise_name",
    "resolve_columns",
    "to_raw_job",
]

DEFAULT_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "id": ("id", "job_id", "jobid", "posting_id", "requisition_id", "req_id"),
    "url": ("url", "link", "job_url", "posting_url", "job_link"),
    "apply_url": ("apply_url", "application_url", "apply_link"),
    "title": ("title", "job_title", "position", "role", "job_name"),
    "company": ("company", "company_name", "employer", "organization", "hiring_organization"),
    "location": ("location", "job_location", "locations", "city"),
    "description": ("description", "job_description", "body", "content", "details", "summary"),
    "salary": ("salary", "salary_estimate", "compensation", "pay", "salary_range"),
    "posted_at": (
        "posted_at",
        "date_posted",
        "posted",
        "created_at",
        "publication_date",
        "published_at",
        "date",
    ),
    "valid_through": ("valid_through", "expires_at", "expiry_date", "closing_date", "deadline"),
    "employment_type": ("employment_type", "job_type", "type", "contract_type"),
    "workplace": ("workplace", "workplace_type", "remote", "is_remote", "remote_type"),
    "skills": ("skills", "tags", "keywords", "key_skills"),
    "department": ("department", "team", "function"),
}
"""Field to the normalised column names that feed it by default, in order of preference."""

FIELDS: tuple[str, ...] = tuple(DEFAULT_COLUMNS)
"""The fields a ``column.<field>`` option may name."""

_FIELD_SYNONYMS: Mapping[str, str] = {
    "source_id": "id",
    "location_text": "location",
    "salary_text": "salary",
    "employment_type_text": "employment_type",
    "workplace_type": "workplace",
    "tags": "skills",
}

_UNNAMED_INDEX = re.compile(r"^(unnamed:?_?0|index)?$")
_SEPARATORS = re.compile(r"[\s\-]+")

ColumnMap = dict[str, str]
"""Field name to the column (as the file spells it) that feeds it."""


def normalise_name(name: str) -> str:
    """A column name compared case-insensitively, with spaces and dashes as underscores."""
    return _SEPARATORS.sub("_", name.strip().lower())


def canonical_field(name: str, option_key: str) -> str:
    """The field a ``column.<name>`` option maps, accepting RawJob spellings such as ``salary_text``.

    Raises:
        ConfigError: The field is unknown; the error names ``option_key``.
    """
    field = normalise_name(name)
    field = _FIELD_SYNONYMS.get(field, field)
    if field not in DEFAULT_COLUMNS:
        raise ConfigError(option_key, f"unknown field {name!r}; expected one of: {', '.join(FIELDS)}")
    return field


def resolve_columns(
    columns: Sequence[str],
    explicit: Mapping[str, str],
    *,
    option_prefix: str,
    required: bool,
) -> ColumnMap:
    """Map fields to the given columns: explicit mappings first, then the defaults.

    Args:
        columns: The column names present, in file order.
        explicit: Field to column name from the ``column.<field>`` options
            (fields already canonical). A column is matched exactly, else
            after :func:`normalise_name`.
        option_prefix: Prefix of option names in error messages.
        required: Whether an explicit column missing from ``columns`` is an
            error (true for a header or a whole file; false for one record
            of a file whose columns vary).

    Raises:
        ConfigError: ``required`` and an explicitly mapped column is absent.
    """
    by_normalised: dict[str, str] = {}
    for name in columns:
        by_normalised.setdefault(normalise_name(name), name)
    column: str | None
    mapping: ColumnMap = {}
    used: set[str] = set()
    for field, wanted in explicit.items():
        column = wanted if wanted in columns else by_normalised.get(normalise_name(wanted))
        if column is None:
            if required:
                shown = ", ".join(repr(c) for c in columns[:30]) or "none"
                raise ConfigError(
                    f"{option_prefix}column.{field}", f"the file has no column {wanted!r} (columns: {shown})"
                )
            continue
        mapping[field] = column
        used.add(column)
    for field, aliases in DEFAULT_COLUMNS.items():
        if field in explicit:
            continue
        for alias in aliases:
            column = by_normalised.get(alias)
            if column is not None and column not in used:
                mapping[field] = column
                used.add(column)
                break
    if "id" not in mapping and "id" not in explicit and columns:
        first = columns[0]
        # pandas writes its index as a first column with an empty name.
        if first not in used and _UNNAMED_INDEX.match(normalise_name(first)):
            mapping["id"] = first
    return mapping


def _text(value: Any, *, joiner: str = "; ") -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, int | float):
        text = str(value)
    elif isinstance(value, list | tuple):
        parts = [_text(item, joiner=joiner) for item in value]
        text = joiner.join(p for p in parts if p)
    else:
        text = msgspec.json.encode(value).decode()
    return text or None


def _date(value: Any) -> str | int | float | None:
    if value is None or isinstance(value, bool):
        return _text(value)
    if isinstance(value, int | float):
        return value
    return _text(value)


def _skills(value: Any) -> list[str] | None:
    if value is None:
        return None
    items: list[Any]
    if isinstance(value, list | tuple):
        items = list(value)
    else:
        text = str(value).strip()
        if text.startswith("["):
            try:
                decoded = msgspec.json.decode(text)
            except msgspec.DecodeError:
                decoded = None
            items = decoded if isinstance(decoded, list) else re.split(r"[,;]", text.strip("[]"))
        else:
            items = re.split(r"[,;]", text)
    skills = [s for s in (_text(item) for item in items) if s]
    return skills or None


_TRUE = {"true", "yes", "y", "1", "t"}
_FALSE = {"false", "no", "n", "0", "f"}
_NOT_REMOTE = re.compile(r"\b(not|no|non)[\s\-]*remote\b")
_REMOTE_WORDS = ("remote", "work from home", "wfh", "telecommute", "anywhere", "distributed")
_ONSITE_WORDS = ("onsite", "on-site", "on site", "in office", "in-office", "office", "in person", "in-person")


def workplace_from(value: Any) -> WorkplaceType | None:
    """The workplace type a value clearly states, else ``None``.

    Booleans (and ``yes``/``no``, ``1``/``0``...) answer "is it remote?":
    true is remote, false onsite. Text naming hybrid is hybrid; text naming
    only remote or only onsite work is that.
    """
    if isinstance(value, bool):
        return WorkplaceType.REMOTE if value else WorkplaceType.ONSITE
    if isinstance(value, int | float):
        if value in (0, 1):
            return WorkplaceType.REMOTE if value else WorkplaceType.ONSITE
        return None
    if not isinstance(value, str):
        return None
    text = normalise_name(value).replace("_", " ")
    if text in _TRUE:
        return WorkplaceType.REMOTE
    if text in _FALSE:
        return WorkplaceType.ONSITE
    if "hybrid" in text:
        return WorkplaceType.HYBRID
    if _NOT_REMOTE.search(text):
        return WorkplaceType.ONSITE
    remote = any(word in text for word in _REMOTE_WORDS)
    onsite = any(word in text for word in _ONSITE_WORDS)
    if remote and not onsite:
        return WorkplaceType.REMOTE
    if onsite and not remote:
        return WorkplaceType.ONSITE
    return None


def stable_id(title: str | None, company: str | None, location: str | None, description: str | None) -> str:
    """The ``source_id`` of a record with neither an id nor a URL: a SHA-256 of its content."""
    payload = msgspec.json.encode([title or "", company or "", location or "", description or ""])
    return hashlib.sha256(payload).hexdigest()


def to_raw_job(source: str, record: Mapping[str, Any], mapping: ColumnMap) -> RawJob:
    """Build a :class:`RawJob` from one record; unmapped non-empty columns go to ``extra``.

    ``source_id`` is the id column when present, else the URL, else
    :func:`stable_id` of title, company, location and description.
    """

    def get(field: str) -> Any:
        column = mapping.get(field)
        return None if column is None else record.get(column)

    title = _text(get("title"))
    company = _text(get("company"))
    location = _text(get("location"))
    url = _text(get("url"))
    description = _text(get("description"), joiner="\n")
    extra: dict[str, Any] = {}
    workplace_value = get("workplace")
    workplace = workplace_from(workplace_value)
    if workplace is None and _text(workplace_value) is not None:
        extra[mapping["workplace"]] = workplace_value
    mapped = set(mapping.values())
    extra.update(
        {
            column: value
            for column, value in record.items()
            if column not in mapped and value not in (None, "")
        }
    )
    return RawJob(
        source=source,
        source_id=_text(get("id")) or url or stable_id(title, company, location, description),
        url=url,
        apply_url=_text(get("apply_url")),
        title=title,
        company=company,
        location_text=location,
        workplace_type=workplace,
        employment_type_text=_text(get("employment_type")),
        salary_text=_text(get("salary")),
        description=description,
        skills=_skills(get("skills")),
        department=_text(get("department")),
        posted_at=_date(get("posted_at")),
        valid_through=_date(get("valid_through")),
        extra=extra,
    )
