"""Employment-type words (in several languages and casings) to :class:`EmploymentType`."""

from __future__ import annotations

import re

from jobforge.core.models import EmploymentType
from jobforge.core.normalize._text import fold

__all__ = ["parse_employment_type"]

_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z])(?=[A-Z])")

# Checked in this order: the more specific form wins ("temporary full-time"
# is temporary, "full-time internship" an internship). Full-time and
# part-time, checked last, are decided by which is mentioned first.
_PATTERNS: tuple[tuple[EmploymentType, re.Pattern[str]], ...] = (
    (
        EmploymentType.INTERNSHIP,
        re.compile(
            r"\bintern(?:ship)?s?\b|\bpraktik(?:um|ant(?:in)?)\b|\bworking student\b|\bwerkstudent(?:in)?\b"
            r"|\bstagiaire\b|\bpasant[ií]a\b|\bpr[aá]cticas\b|\bco ?op\b"
        ),
    ),
    (EmploymentType.VOLUNTEER, re.compile(r"\bvolunt(?:eer|ary)\b|\bb[eé]n[eé]vole\b|\behrenamt\w*")),
    (
        EmploymentType.TEMPORARY,
        re.compile(
            r"\btemporary\b|\btemp\b|\bseasonal\b|\bfixed term\b|\bcdd\b|\bshort term\b|\bbefristet\b"
            r"|\binterim\b|\bzeitarbeit\b|\bsaisonal\b|\btemporal\b"
        ),
    ),
    (
        EmploymentType.CONTRACT,
        re.compile(
            r"\bcontract(?:or|ors|ing)?\b|\bfreelanc\w*|\bfreiberuf\w*|\bc2c\b|\bcorp to corp\b|\b1099\b"
            r"|\bself employed\b|\bconsultant contract\b"
        ),
    ),
    (
        EmploymentType.PART_TIME,
        re.compile(
            r"\bpart ?time\b|\bteilzeit\b|\bminijob\b|\btemps partiel\b|\bmi temps\b"
            r"|\b(?:medio tiempo|tiempo parcial)\b"
        ),
    ),
    (
        EmploymentType.FULL_TIME,
        re.compile(
            r"\bfull ?time\b|\bpermanent\b|\bperm\b|\bfestanstellung\b|\bvollzeit\b|\bunbefristet\b|\bcdi\b"
            r"|\btemps plein\b|\btiempo completo\b"
        ),
    ),
    (EmploymentType.OTHER, re.compile(r"\bper diem\b|\bother\b|\bprn\b|\bon call\b")),
)
# "Permanent contract" is a permanent job, not contract work.
_PERMANENT_CONTRACT = re.compile(r"\b(permanent|indefinite|open ended|employment)\s+contract\b")
_WHOLE_WORDS: dict[str, EmploymentType] = {
    "ft": EmploymentType.FULL_TIME,
    "pt": EmploymentType.PART_TIME,
    "stage": EmploymentType.INTERNSHIP,
}


def parse_employment_type(text: str | None) -> EmploymentType:
    """The employment type a word or phrase names.

    Understands the spellings of job boards and ATS APIs (``Full-time``,
    ``FULL_TIME``, ``FullTime``, ``fulltime_permanent``), schema.org values
    (``CONTRACTOR``, ``PER_DIEM``) and German, French and Spanish terms
    (``Vollzeit``, ``CDI``, ``Werkstudent``, ``Praktikum``...).

    Args:
        text: The employment type as the source wrote it.

    Returns:
        The type, or :attr:`EmploymentType.UNKNOWN` when the text names none.
    """
    if not text or not text.strip():
        return EmploymentType.UNKNOWN
    spaced = _CAMEL_BOUNDARY.sub(" ", text)
    key = _PERMANENT_CONTRACT.sub(r"\1", fold(re.sub(r"[_\-/]+", " ", spaced)))
    if key in _WHOLE_WORDS:
        return _WHOLE_WORDS[key]
    found: list[tuple[EmploymentType, int]] = []
    for kind, pattern in _PATTERNS:
        match = pattern.search(key)
        if match:
            found.append((kind, match.start()))
    if not found:
        return EmploymentType.UNKNOWN
    hours = [item for item in found if item[0] in (EmploymentType.FULL_TIME, EmploymentType.PART_TIME)]
    first = found[0]
    if first[0] in (EmploymentType.FULL_TIME, EmploymentType.PART_TIME):
        return min(hours, key=lambda item: item[1])[0]
    return first[0]
