"""Skill extraction: a curated vocabulary, not guesswork.

The vocabulary (``skills.toml``, shipped with the package) maps each
canonical skill to the ways people write it: ``JS`` and ``ECMAScript`` are
``JavaScript``, ``Postgres`` is ``PostgreSQL``, ``k8s`` is ``Kubernetes``.
Two operations use it:

* :meth:`SkillVocabulary.normalize` maps one entry of a skill *list* (a
  job's ``skills``, a profile's skills) to its canonical name, comparing
  case-insensitively against every form of every skill. Unknown entries
  are kept as written (trimmed), so a niche skill is never lost.
* :meth:`SkillVocabulary.extract` finds skills in *free text* (a job
  description, a résumé, a query). Text is split into tokens that keep the
  characters skills are spelled with (``C++``, ``C#``, ``Node.js``,
  ``CI/CD``, ``.NET``, ``scikit-learn``); the longest alias starting at
  each token wins (``Ruby on Rails`` before ``Ruby``). A token not matched
  whole is tried again split at ``/`` and ``-`` (``Python/Django``,
  ``Python-based``). Aliases that are ordinary words in lower case match
  only as capitalised in the vocabulary (``Go``, ``React``, ``Excel``), and
  some skills are recognised in lists only (``Hiring``, ``Research``, ``C``),
  so "we are hiring" or "go beyond" never count.

Results are canonical names in order of first appearance, without repeats.
Known ambiguity: ``GCP`` is Google Cloud Platform (clinical-research
postings that mean Good Clinical Practice should say so).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from jobforge.core.models import Job

__all__ = [
    "SkillVocabulary",
    "default_vocabulary",
    "extract_skills",
    "job_skills",
    "normalize_skill",
    "tokenize",
]

VOCABULARY_FILE = Path(__file__).with_name("skills.toml")

# A token starts with a letter or digit (or a dot, for ".NET"), may contain the
# joiners skills are written with, and ends with a letter, digit, + or #.
_TOKEN = re.compile(r"\.?[^\W_](?:[\w+#&./'-]*[\w+#])?")
_SPLIT = re.compile(r"[/-]")
_MAX_PHRASE = 6


def tokenize(text: str) -> list[str]:
    """The tokens of ``text`` as the extractor sees them (original case)."""
    return _TOKEN.findall(text)


class SkillVocabulary:
    """Canonical skills and their aliases; see the module docs for the rules.

    Args:
        entries: Category name to ``{canonical: aliases}``, where aliases is a
            list of case-insensitive aliases or a mapping with ``aliases``,
            ``exact`` and ``listed`` lists (the layout of ``skills.toml``).

    Raises:
        ValueError: An alias belongs to two skills, or an entry is malformed.
    """

    def __init__(self, entries: Mapping[str, Mapping[str, Any]]) -> None:
        self._category: dict[str, str] = {}
        self._any_case: dict[str, str] = {}
        """Case-folded form (any kind) to canonical: for skill lists."""
        self._text_folded: dict[tuple[str, ...], str] = {}
        self._text_exact: dict[tuple[str, ...], str] = {}
        self._first_tokens: set[str] = set()
        for category, skills in entries.items():
            if not isinstance(skills, Mapping):
                raise ValueError(f"skill category {category!r} must be a table of skills")
            for canonical, spec in skills.items():
                self._add(str(canonical), spec, str(category))

    def _add(self, canonical: str, spec: Any, category: str) -> None:
        if isinstance(spec, list):
            aliases, exact, listed = [str(a) for a in spec], [], []
        elif isinstance(spec, Mapping):
            unknown = set(spec) - {"aliases", "exact", "listed"}
            if unknown:
                raise ValueError(f"skill {canonical!r}: unknown keys {sorted(unknown)}")
            aliases = [str(a) for a in spec.get("aliases", [])]
            exact = [str(a) for a in spec.get("exact", [])]
            listed = [str(a) for a in spec.get("listed", [])]
        else:
            raise ValueError(f"skill {canonical!r}: expected a list of aliases or a table")
        if canonical in self._category:
            raise ValueError(f"skill {canonical!r} is listed twice")
        self._category[canonical] = category
        if canonical not in exact and canonical not in listed:
            aliases.append(canonical)
        for form in (*aliases, *exact, *listed, canonical):
            key = _fold(form)
            owner = self._any_case.setdefault(key, canonical)
            if owner != canonical:
                raise ValueError(f"alias {form!r} belongs to both {owner!r} and {canonical!r}")
        for alias in aliases:
            self._add_phrase(self._text_folded, tuple(_fold(t) for t in tokenize(alias)), canonical)
        for alias in exact:
            self._add_phrase(self._text_exact, tuple(tokenize(alias)), canonical)

    def _add_phrase(self, table: dict[tuple[str, ...], str], phrase: tuple[str, ...], canonical: str) -> None:
        if not phrase or len(phrase) > _MAX_PHRASE:
            raise ValueError(f"skill {canonical!r}: alias must have 1 to {_MAX_PHRASE} words")
        owner = table.setdefault(phrase, canonical)
        if owner != canonical:
            raise ValueError(f"alias {' '.join(phrase)!r} belongs to both {owner!r} and {canonical!r}")
        self._first_tokens.add(_fold(phrase[0]))

    @classmethod
    def from_file(cls, path: Path | str) -> SkillVocabulary:
        """Load a vocabulary in the ``skills.toml`` layout."""
        with Path(path).open("rb") as handle:
            return cls(tomllib.load(handle))

    def __len__(self) -> int:
        return len(self._category)

    def __contains__(self, skill: object) -> bool:
        return isinstance(skill, str) and skill in self._category

    @property
    def skills(self) -> list[str]:
        """Every canonical skill name, sorted."""
        return sorted(self._category)

    def category(self, skill: str) -> str | None:
        """The category (``languages``, ``data``, ``healthcare``...) of a canonical skill."""
        return self._category.get(skill)

    def lookup(self, name: str) -> str | None:
        """The canonical skill ``name`` is a form of (any case), or ``None``."""
        return self._any_case.get(_fold(name.strip()))

    def normalize(self, name: str) -> str:
        """The canonical name of a skill list entry; unknown entries are kept, trimmed."""
        text = " ".join(name.split())
        return self.lookup(text) or text

    def normalize_all(self, names: Iterable[str]) -> list[str]:
        """:meth:`normalize` each entry, dropping blanks and repeats (first occurrence wins)."""
        result: dict[str, None] = {}
        for name in names:
            text = self.normalize(name)
            if text:
                result.setdefault(text, None)
        return list(result)

    def extract(self, text: str) -> list[str]:
        """The canonical skills mentioned in free ``text``, in order of first appearance."""
        found: dict[str, None] = {}
        self._scan(tokenize(text), found, split=True)
        return list(found)

    def _scan(self, tokens: Sequence[str], found: dict[str, None], *, split: bool) -> None:
        folded = [_fold(t.rstrip(".'")) for t in tokens]
        exact = [t.rstrip(".'") for t in tokens]
        i = 0
        while i < len(tokens):
            matched = 0
            if folded[i] in self._first_tokens:
                for size in range(min(_MAX_PHRASE, len(tokens) - i), 0, -1):
                    skill = self._text_exact.get(tuple(exact[i : i + size])) or self._text_folded.get(
                        tuple(folded[i : i + size])
                    )
                    if skill is not None:
                        found.setdefault(skill, None)
                        matched = size
                        break
            if not matched and split and _SPLIT.search(tokens[i]):
                parts = [p for p in _SPLIT.split(tokens[i]) if p]
                if len(parts) > 1:
                    self._scan(parts, found, split=False)
            i += matched or 1


def _fold(text: str) -> str:
    return text.casefold()


@cache
def default_vocabulary() -> SkillVocabulary:
    """The vocabulary shipped with jobforge (loaded once)."""
    return SkillVocabulary.from_file(VOCABULARY_FILE)


def extract_skills(text: str, vocabulary: SkillVocabulary | None = None) -> list[str]:
    """The canonical skills in ``text`` (see :meth:`SkillVocabulary.extract`)."""
    return (vocabulary or default_vocabulary()).extract(text)


def normalize_skill(name: str, vocabulary: SkillVocabulary | None = None) -> str:
    """The canonical name of one skill (see :meth:`SkillVocabulary.normalize`)."""
    return (vocabulary or default_vocabulary()).normalize(name)


def job_skills(job: Job, vocabulary: SkillVocabulary | None = None) -> list[str]:
    """A job's skills: its listed skills normalised, then those its title and description mention."""
    vocab = vocabulary or default_vocabulary()
    listed = vocab.normalize_all(job.skills)
    mentioned = vocab.extract(f"{job.title}\n{job.description}")
    return list(dict.fromkeys([*listed, *mentioned]))
