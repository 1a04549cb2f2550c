"""Stable identities: job ids, canonical URLs, content hashes and fingerprints."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import msgspec

from jobforge.core.models import Job

__all__ = [
    "DESCRIPTION_SIMILARITY",
    "canonical_url",
    "check_upsert_batch",
    "content_hash",
    "description_shingles",
    "embedding_text",
    "fingerprint",
    "job_id_for",
    "lookup_terms",
    "normalize_words",
    "same_description",
    "source_keys_of",
]

_TRACKING_PARAMS = frozenset(
    {
        "gh_src",
        "gh_jid_src",
        "lever-source",
        "lever-origin",
        "ref",
        "referrer",
        "source",
        "src",
        "trk",
        "trkid",
        "fbclid",
        "gclid",
        "mc_cid",
        "mc_eid",
        "_hsenc",
        "_hsmi",
        "utm_source",
        "utm_medium",
        "utm_campaign",
        "utm_term",
        "utm_content",
        "utm_id",
    }
)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_SHINGLE = 3
_MIN_DESCRIPTION_WORDS = 20
DESCRIPTION_SIMILARITY = 0.8
"""Shingle overlap above which two descriptions count as one posting: survives
reformatting (HTML vs text, spacing, bullets) and small edits, while two
openings that share boilerplate but describe different work stay apart."""


def job_id_for(source: str, source_id: str) -> str:
    """The id of the job first seen as ``source_id`` on ``source`` (16 hex chars)."""
    return hashlib.blake2b(f"{source}\x1f{source_id}".encode(), digest_size=8).hexdigest()


def canonical_url(url: str | None) -> str | None:
    """Lower-case scheme and host, no fragment, no tracking parameters, no
    trailing slash; ``None`` for anything that is not an http(s) URL."""
    if not url:
        return None
    text = url.strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc or " " in parts.netloc:
        return None
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in _TRACKING_PARAMS and not k.lower().startswith("utm_")
    ]
    path = parts.path.rstrip("/") or ""
    return urlunsplit(
        (
            "https" if parts.scheme.lower() in {"http", "https"} else parts.scheme.lower(),
            parts.netloc.lower(),
            path,
            urlencode(query),
            "",
        )
    )


def normalize_words(text: str) -> list[str]:
    """Case-folded, accent-free word tokens."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _WORD.findall(stripped)


def content_hash(job: Job) -> str:
    """Hash of everything shown, indexed or embedded; excludes ids, sources and timestamps."""
    payload = msgspec.json.encode(
        [
            job.title,
            job.company,
            job.url,
            job.apply_url,
            job.locations,
            job.workplace_type,
            job.employment_type,
            job.seniority,
            job.salary,
            job.skills,
            job.department,
            job.description,
            job.posted_at,
            job.valid_through,
        ]
    )
    return hashlib.sha256(payload).hexdigest()


def fingerprint(job: Job, company_key: str) -> str:
    """Near-duplicate blocking key across sources: company + title + locations.

    Jobs sharing it are only merged when their descriptions are also nearly
    the same (:func:`same_description`); two openings with one title at one
    company and place stay apart when their texts differ.
    """
    locations = sorted(
        "|".join(
            normalize_words(" ".join(p for p in (loc.city, loc.region, loc.country) if p))
            or normalize_words(loc.text or "")
        )
        for loc in job.locations
    )
    key = "\x1f".join(
        [company_key, " ".join(normalize_words(job.title)), ";".join(locations) or job.workplace_type.value]
    )
    return hashlib.blake2b(key.encode(), digest_size=16).hexdigest()


def description_shingles(text: str) -> frozenset[str]:
    """Word 3-shingles of a description, after case and accent folding."""
    return _shingles(normalize_words(text))


def _shingles(words: list[str]) -> frozenset[str]:
    return frozenset(" ".join(words[i : i + _SHINGLE]) for i in range(max(len(words) - _SHINGLE + 1, 0)))


def same_description(a: str, b: str, *, threshold: float = DESCRIPTION_SIMILARITY) -> bool:
    """True when two descriptions are the same text up to formatting and small
    edits: Jaccard similarity of their word 3-shingles at least ``threshold``.
    Descriptions too short to compare are never the same."""
    left_words, right_words = normalize_words(a), normalize_words(b)
    if min(len(left_words), len(right_words)) < _MIN_DESCRIPTION_WORDS:
        return False
    left, right = _shingles(left_words), _shingles(right_words)
    return len(left & right) / len(left | right) >= threshold


def embedding_text(job: Job) -> str:
    """The text embedded for semantic search: title first, then context."""
    parts = [job.title, f"at {job.company}"]
    if job.locations:
        parts.append("in " + "; ".join(loc.label() for loc in job.locations))
    if job.workplace_type.value != "unknown":
        parts.append(f"({job.workplace_type.value})")
    head = " ".join(parts)
    skills = ", ".join(job.skills)
    return "\n".join(p for p in (head, skills, job.description) if p)


def source_keys_of(job: Job) -> list[tuple[str, str]]:
    """The distinct ``(source, source_id)`` keys of a job: its primary one and
    every ``sources`` entry (what repositories look jobs up by)."""
    return list(dict.fromkeys([(job.source, job.source_id), *((s.source, s.source_id) for s in job.sources)]))


def lookup_terms(
    source_keys: Iterable[tuple[str, str]], urls: Iterable[str], fingerprints: Iterable[str]
) -> tuple[list[tuple[str, str]], list[str], list[str]]:
    """The arguments of :meth:`JobRepository.lookup` as repositories query them:
    each value once, in order, and empty URLs and fingerprints dropped (they match nothing)."""
    return (
        list(dict.fromkeys((source, source_id) for source, source_id in source_keys)),
        [url for url in dict.fromkeys(urls) if url],
        [fp for fp in dict.fromkeys(fingerprints) if fp],
    )


def check_upsert_batch(jobs: Sequence[Job]) -> None:
    """Reject a repository batch that names one id twice or gives one source
    key to two jobs (the repository contract: such a batch writes nothing).

    Raises:
        ValueError: Naming the duplicated id or key.
    """
    owners: dict[tuple[str, str], str] = {}
    seen: set[str] = set()
    for job in jobs:
        if job.id in seen:
            raise ValueError(f"upsert batch contains job id {job.id!r} twice")
        seen.add(job.id)
        for key in source_keys_of(job):
            other = owners.setdefault(key, job.id)
            if other != job.id:
                raise ValueError(
                    f"upsert batch gives source key {key!r} to two jobs: {other!r} and {job.id!r}"
                )
