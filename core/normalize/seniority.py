"""Career level from a job title (and, failing that, stated years of experience)."""

from __future__ import annotations

import re

from jobforge.core.models import Seniority
from jobforge.core.normalize._text import fold

__all__ = ["infer_seniority"]

# Highest level first: "Senior Engineering Manager" is a manager, "Sr. Staff
# Engineer" a principal-level engineer.
_TITLE_PATTERNS: tuple[tuple[Seniority, re.Pattern[str]], ...] = (
    (
        Seniority.EXECUTIVE,
        re.compile(
            r"\bchief\b|\bc[etfoimprdh]o\b|\bciso\b|\bco-?founder\b"
            r"|(?<!vice )(?<!vice-)\bpresident\b"
        ),
    ),
    (
        Seniority.DIRECTOR,
        re.compile(r"\bhead of\b|\bhead,|\bdirector\b|\bdirektor\w*|\b[aes]?vp\b|\bvice[ -]president\b"),
    ),
    (
        Seniority.INTERN,
        re.compile(
            r"\bintern(?:ship)?s?\b|\bwerkstudent\w*|\bworking student\b|\bpraktikant\w*|\bstagiaire\b"
        ),
    ),
    (
        Seniority.PRINCIPAL,
        re.compile(
            r"\bprincipal\b|\bdistinguished\b|\bstaff\b(?!\s+(?:accountants?|nurses?|auditors?|attorneys?|"
            r"assistants?|pharmacists?|physicians?|writers?|members?|augmentation|scheduler|coordinator))"
        ),
    ),
    (Seniority.LEAD, re.compile(r"\blead\b(?!\s+gen)|\bteam leader\b|\btech(?:nical)? leader\b")),
    (Seniority.MANAGER, re.compile(r"\bmanager\b|\bmgr\b")),
    (Seniority.SENIOR, re.compile(r"\bsenior\b|\bsr\b|\bsnr\b")),
    (Seniority.MID, re.compile(r"\bmid(?:[- ]?level)?\b|\bintermediate\b")),
    (
        Seniority.JUNIOR,
        re.compile(r"\bjunior\b|\bjr\b|\bentry[- ]level\b|\bgraduate\b|\bnew grad\b|\btrainee\b"),
    ),
)
_NOT_A_LEVEL = re.compile(r"\bmember of (?:the )?technical staff\b|\bchief of staff\b")
_ROMAN_LEVEL = re.compile(r"(?:^|(?<=\s))(I{1,3}|IV|V)(?=\s*(?:$|[,(\-\u2013|:]))")
_ROMAN_SENIORITY = {
    "I": Seniority.JUNIOR,
    "II": Seniority.MID,
    "III": Seniority.SENIOR,
    "IV": Seniority.SENIOR,
    "V": Seniority.SENIOR,
}
_ALTERNATIVES = re.compile(r"\s*/\s*|\s+or\s+")
_ORDER = (
    Seniority.INTERN,
    Seniority.JUNIOR,
    Seniority.MID,
    Seniority.SENIOR,
    Seniority.LEAD,
    Seniority.PRINCIPAL,
    Seniority.MANAGER,
    Seniority.DIRECTOR,
    Seniority.EXECUTIVE,
)
_YEARS = re.compile(
    r"(?<![\d.])(\d{1,2})\s*\+?\s*(?:(?:-|\u2013|to)\s*\d{1,2}\s*\+?\s*)?years?['\u2019]?\s+(?:of\s+)?"
    r"(?:[a-z-]+\s+){0,3}?experience",
    re.IGNORECASE,
)
_JUNIOR_MAX_YEARS = 1
_MID_MAX_YEARS = 4
_SENIOR_MAX_YEARS = 20


def infer_seniority(title: str | None, description: str | None = None) -> Seniority:
    """The career level a title signals.

    Title words: intern/working student -> intern; junior/jr/entry level/
    graduate -> junior; mid-level -> mid; senior/sr -> senior; lead/tech
    lead -> lead; staff/principal -> principal; manager -> manager; head
    of/director/VP -> director; chief/CEO/CTO/CFO -> executive; a trailing
    roman numeral I -> junior, II -> mid, III/IV -> senior. When a title
    names several levels the highest wins ("Sr. Staff" is principal), except
    for alternatives separated by ``/`` or ``or`` ("Senior / Staff
    Engineer"), where the lowest is the entry requirement.

    The description is only used when the title gives no signal, and only for
    an explicit "N+ years of experience": up to 1 year -> junior, 2-4 -> mid,
    5 or more -> senior.

    Args:
        title: The job title.
        description: The plain-text description, optional.

    Returns:
        The level, or :attr:`Seniority.UNKNOWN` when nothing signals one
        (never a default of mid).
    """
    levels = [
        level
        for part in _ALTERNATIVES.split(title or "")
        if (level := _title_level(part)) is not Seniority.UNKNOWN
    ]
    if levels:
        return min(levels, key=_ORDER.index)
    if description:
        return _level_from_years(description)
    return Seniority.UNKNOWN


def _title_level(title: str) -> Seniority:
    folded = _NOT_A_LEVEL.sub(" ", fold(title.replace(".", " ")))
    for level, pattern in _TITLE_PATTERNS:
        if pattern.search(folded):
            return level
    roman = _ROMAN_LEVEL.search(title.strip())
    if roman:
        return _ROMAN_SENIORITY[roman.group(1)]
    return Seniority.UNKNOWN


def _level_from_years(description: str) -> Seniority:
    match = _YEARS.search(description)
    if match is None:
        return Seniority.UNKNOWN
    years = int(match.group(1))
    if years <= _JUNIOR_MAX_YEARS:
        return Seniority.JUNIOR
    if years <= _MID_MAX_YEARS:
        return Seniority.MID
    if years <= _SENIOR_MAX_YEARS:
        return Seniority.SENIOR
    return Seniority.UNKNOWN
