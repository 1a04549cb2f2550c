"""The built-in feature-based reranker.

Retrieval (BM25 + vectors, fused) finds candidates; this module orders the
first ``[search] rerank_window`` of them by a weighted sum of features,
each in ``[0, 1]``:

==============  ==============================================================
feature         value
==============  ==============================================================
``semantic``    the cosine similarity of query and job (0 when the vector
                retriever did not return the job)
``keyword``     the BM25 score divided by the best BM25 score among the
                candidates
``title``       the share of the wanted title's words found in the job title
                (best of several titles), times a seniority factor: 1 when
                the levels agree or none was asked for, 0.6 when the job's
                level is unknown, 0.5 when it differs
``skills``      the share of the wanted skills the job has (its listed skills,
                normalised, plus those its title mentions; its description
                when it lists none)
``recency``     ``0.5 ** (age in days / half life)``; 0 without a date
``salary``      1 when the job pays at least the wanted minimum (same currency),
                0.3 when its salary is unknown, 0.1 when it is in another
                currency, 0 when it pays less
``location``    1 when the job is in a wanted place or has a wanted workplace
                type (remote...), else 0
==============  ==============================================================

A feature without a wish behind it (no salary or place asked for, no skill
named) is 0 for every candidate, so it never reorders them.

What is wanted (a :class:`RankingIntent`) comes from a search request -- its
query text and filters -- or from a candidate profile. From query text:
skills through the skill vocabulary (:mod:`jobforge.core.skills`); a level
word (junior, senior, lead, staff, principal...); an amount such as
``150k`` or ``$150,000`` as the salary minimum; ``remote``, ``hybrid`` or
``onsite``; and place names: a query word that names the city, region or
country of any candidate (or a country by name) is a place, not part of
the title, and so is a region word (``europe``, ``emea``, ``uk``, ``apac``...),
which stands for its countries. The remaining words, minus a few stop
words, are the title.
Titles are compared as normalised words with a small synonym table
(``developer`` is ``engineer``, ``front-end`` is ``frontend``...).
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

import msgspec

from jobforge.core.identity import normalize_words
from jobforge.core.models import CandidateProfile, Job, Seniority, WorkplaceType
from jobforge.core.normalize import country_code, infer_seniority
from jobforge.core.search_types import SearchFilters, SearchHit, SearchRequest
from jobforge.core.skills import SkillVocabulary, default_vocabulary

__all__ = [
    "FEATURES",
    "FeatureReranker",
    "RankingIntent",
    "RankingWeights",
    "intent_from_profile",
    "intent_from_query",
    "title_words",
]

FEATURES = ("semantic", "keyword", "title", "skills", "recency", "salary", "location")
"""The feature names, in the order :class:`RankingWeights` lists them."""


class RankingWeights(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """How much each feature counts (non-negative; 0 switches a feature off)."""

    semantic: float = 1.0
    keyword: float = 0.35
    title: float = 1.0
    skills: float = 0.6
    recency: float = 0.1
    salary: float = 0.5
    location: float = 0.6

    def __post_init__(self) -> None:
        for name in FEATURES:
            value = getattr(self, name)
            if not (isinstance(value, int | float) and math.isfinite(value) and value >= 0):
                raise ValueError(f"ranking weight {name!r} must be a non-negative number, got {value!r}")

    def merged(self, overrides: Mapping[str, Any] | None) -> RankingWeights:
        """These weights with some replaced (from config or a feature flag).

        Raises:
            ValueError: An unknown feature name or a bad value.
        """
        if not overrides:
            return self
        unknown = sorted(set(overrides) - set(FEATURES))
        if unknown:
            raise ValueError(
                f"unknown ranking feature {unknown[0]!r}; the features are {', '.join(FEATURES)}"
            )
        values = {**msgspec.structs.asdict(self), **{k: float(v) for k, v in overrides.items()}}
        return RankingWeights(**values)


class RankingIntent(msgspec.Struct, frozen=True, kw_only=True):
    """What the searcher wants, as the features read it (see the module docs)."""

    titles: tuple[tuple[str, ...], ...] = ()
    """Each wanted title as normalised words (no level words)."""
    seniorities: tuple[Seniority, ...] = ()
    skills: tuple[str, ...] = ()
    """Canonical skill names."""
    places: tuple[str, ...] = ()
    """Case-folded place names (city, region or country, as written)."""
    countries: tuple[str, ...] = ()
    """ISO 3166-1 alpha-2 codes."""
    workplace_types: tuple[WorkplaceType, ...] = ()
    salary_min: float | None = None
    salary_currency: str | None = None

    def is_empty(self) -> bool:
        """True when nothing is wanted beyond the text itself."""
        return self == RankingIntent()


# --- reading intents -------------------------------------------------------------

_STOP_WORDS = (
    "a an and or the of for in at on to with from near by job jobs role roles position positions "
    "opening openings vacancy work working based remote hybrid onsite office home anywhere "
    "salary pay paying over above min minimum least plus k usd eur gbp per year annual level "
    "experienced experience new"
)
_STOP = frozenset(_STOP_WORDS.split())
_LEVEL_WORDS: Mapping[str, Seniority] = {
    "intern": Seniority.INTERN,
    "internship": Seniority.INTERN,
    "junior": Seniority.JUNIOR,
    "jr": Seniority.JUNIOR,
    "entry": Seniority.JUNIOR,
    "graduate": Seniority.JUNIOR,
    "mid": Seniority.MID,
    "senior": Seniority.SENIOR,
    "sr": Seniority.SENIOR,
    "lead": Seniority.LEAD,
    "staff": Seniority.PRINCIPAL,
    "principal": Seniority.PRINCIPAL,
}
_WORKPLACE_WORDS: Mapping[str, WorkplaceType] = {
    "remote": WorkplaceType.REMOTE,
    "hybrid": WorkplaceType.HYBRID,
    "onsite": WorkplaceType.ONSITE,
}
_PHRASES = (
    (re.compile(r"\bfront[\s-]+end\b"), "frontend"),
    (re.compile(r"\bback[\s-]+end\b"), "backend"),
    (re.compile(r"\bfull[\s-]*stack\b"), "fullstack"),
    (re.compile(r"\bon[\s-]+site\b"), "onsite"),
    (re.compile(r"\bmachine learning\b"), "ml"),
    (re.compile(r"\bsite reliability\b"), "sre"),
    (re.compile(r"\bdev[\s-]?ops\b"), "devops"),
    (re.compile(r"\bentry[\s-]+level\b"), "entry"),
    (re.compile(r"\bnode\.?js\b"), "node"),
)
_SYNONYMS: Mapping[str, str] = {
    "developer": "engineer",
    "developers": "engineer",
    "dev": "engineer",
    "programmer": "engineer",
    "swe": "engineer",
    "engineers": "engineer",
    "nurses": "nurse",
    "rn": "nurse",
    "managers": "manager",
    "mgr": "manager",
    "designers": "designer",
    "analysts": "analyst",
    "scientists": "scientist",
    "ios": "ios",
}
_EUROPE = (
    "AT",
    "BE",
    "CH",
    "CZ",
    "DE",
    "DK",
    "ES",
    "FI",
    "FR",
    "GB",
    "IE",
    "IT",
    "NL",
    "NO",
    "PL",
    "PT",
    "SE",
)
_REGIONS: Mapping[str, tuple[str, ...]] = {
    "europe": _EUROPE,
    "eu": _EUROPE,
    "emea": _EUROPE,
    "uk": ("GB",),
    "apac": ("AU", "IN", "JP", "NZ", "SG"),
    "latam": ("AR", "BR", "CL", "CO", "MX"),
    "usa": ("US",),
    "us": ("US",),
}
"""Region words of queries and the countries they stand for."""
_SALARY = re.compile(
    r"(?P<cur>[$€£])?\s*(?P<num>\d{2,3}(?:[,.]\d{3})+|\d{2,3})\s*(?P<k>k\b)?(?:\s*(?P<code>usd|eur|gbp|cad|aud)\b)?",
    re.IGNORECASE,
)
_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP"}


@functools.lru_cache(maxsize=65_536)
def title_words(text: str) -> tuple[str, ...]:
    """Normalised words of a title or query, with phrases joined and synonyms applied.

    Memoised: the same titles come back in query after query's candidates.
    """
    folded = text.casefold()
    for pattern, replacement in _PHRASES:
        folded = pattern.sub(replacement, folded)
    return tuple(_SYNONYMS.get(word, word) for word in normalize_words(folded))


def _salary_in(text: str, default_currency: str) -> tuple[float | None, str | None, str]:
    """An amount asked for in query text, its currency, and the text without it."""
    for match in _SALARY.finditer(text):
        digits = re.sub(r"[,.]", "", match.group("num"))
        amount = float(digits) * (1000 if match.group("k") else 1)
        if not match.group("k") and not match.group("cur") and amount < 10_000:
            continue  # a bare "100" is not a salary
        if amount < 10_000:
            continue
        code = (match.group("code") or "").upper() or _SYMBOLS.get(match.group("cur") or "", default_currency)
        return amount, code, text[: match.start()] + " " + text[match.end() :]
    return None, None, text


def _without_skills(words: tuple[str, ...], skills: set[str], vocab: SkillVocabulary) -> tuple[str, ...]:
    """The words not naming a wanted skill (one- or two-word forms); all of
    them when every word does ("python sql" is still a title to compare)."""
    if not skills:
        return words
    drop: set[int] = set()
    for i, word in enumerate(words):
        if vocab.lookup(word) in skills:
            drop.add(i)
        if i + 1 < len(words) and vocab.lookup(f"{word} {words[i + 1]}") in skills:
            drop.update((i, i + 1))
    kept = tuple(w for i, w in enumerate(words) if i not in drop)
    return kept or words


def intent_from_query(
    request: SearchRequest,
    filters: SearchFilters | None = None,
    *,
    places: Iterable[str] = (),
    default_currency: str = "USD",
    vocabulary: SkillVocabulary | None = None,
) -> RankingIntent:
    """What a search asks for (see the module docs).

    Args:
        request: The search; its query text is read.
        filters: Its validated filters: workplace types, location, countries
            and the salary minimum count as wishes too.
        places: Case-folded place names the candidates are in; query words
            among them are places rather than title words.
        default_currency: The currency of an amount written without one.
        vocabulary: The skill vocabulary (default: the shipped one).
    """
    text = " ".join(request.query.split())
    salary_min, currency, rest = _salary_in(text, default_currency)
    vocab = vocabulary or default_vocabulary()
    skills = tuple(vocab.extract(rest))
    words = _without_skills(title_words(rest), set(skills), vocab)
    known_places = set(places)
    seniorities: list[Seniority] = []
    workplaces: list[WorkplaceType] = []
    found_places: list[str] = []
    countries: list[str] = []
    title: list[str] = []
    for word in words:
        if word in _LEVEL_WORDS:
            seniorities.append(_LEVEL_WORDS[word])
        elif word in _WORKPLACE_WORDS:
            workplaces.append(_WORKPLACE_WORDS[word])
        elif word in _STOP:
            continue
        elif word in known_places:
            found_places.append(word)
            countries.extend(_REGIONS.get(word, ()))
        elif word in _REGIONS:
            countries.extend(_REGIONS[word])
        elif len(word) > 3 and (code := country_code(word)) is not None:
            countries.append(code)
        else:
            title.append(word)
    if filters is not None:
        workplaces.extend(filters.workplace_types)
        if filters.location:
            found_places.append(filters.location.casefold())
        countries.extend(filters.countries)
        if filters.salary_min is not None:
            salary_min, currency = filters.salary_min, filters.salary_currency
    return RankingIntent(
        titles=(tuple(title),) if title else (),
        seniorities=tuple(dict.fromkeys(seniorities)),
        skills=skills,
        places=tuple(dict.fromkeys(found_places)),
        countries=tuple(dict.fromkeys(countries)),
        workplace_types=tuple(dict.fromkeys(workplaces)),
        salary_min=salary_min,
        salary_currency=currency,
    )


def intent_from_profile(
    profile: CandidateProfile, *, default_currency: str = "USD", vocabulary: SkillVocabulary | None = None
) -> RankingIntent:
    """What a candidate profile asks for: its titles (levels read from them),
    its skills normalised plus those its résumé text mentions, its places,
    workplace types and salary minimum."""
    vocab = vocabulary or default_vocabulary()
    titles: list[tuple[str, ...]] = []
    seniorities: list[Seniority] = []
    for title in profile.titles:
        level = infer_seniority(title)
        if level is not Seniority.UNKNOWN:
            seniorities.append(level)
        words = tuple(w for w in title_words(title) if w not in _LEVEL_WORDS and w not in _STOP)
        if words:
            titles.append(words)
    skills = vocab.normalize_all(profile.skills)
    if profile.resume_text:
        skills = list(dict.fromkeys([*skills, *vocab.extract(profile.resume_text)]))
    return RankingIntent(
        titles=tuple(dict.fromkeys(titles)),
        seniorities=tuple(dict.fromkeys(seniorities)),
        skills=tuple(skills),
        places=tuple(dict.fromkeys(p.casefold() for p in profile.locations)),
        workplace_types=tuple(w for w in profile.workplace_types if w is not WorkplaceType.UNKNOWN),
        salary_min=profile.salary_min,
        salary_currency=profile.salary_currency or (default_currency if profile.salary_min else None),
    )


# --- features ------------------------------------------------------------------


def _place_names(job: Job) -> frozenset[str]:
    return _place_names_of(tuple((loc.city, loc.region, loc.text) for loc in job.locations))


@functools.lru_cache(maxsize=65_536)
def _place_names_of(parts: tuple[tuple[str | None, str | None, str | None], ...]) -> frozenset[str]:
    # Memoised by the location parts: candidates share a few thousand places.
    names: set[str] = set()
    for location in parts:
        for part in location:
            if part:
                folded = part.casefold()
                names.add(folded)
                names.update(w for w in normalize_words(folded) if w not in _STOP)
    return frozenset(names)


def _job_skill_set(job: Job, vocabulary: SkillVocabulary, cache: dict[str, frozenset[str]]) -> frozenset[str]:
    key = f"{job.id}\x1f{job.content_hash}"
    found = cache.get(key)
    if found is None:
        listed = vocabulary.normalize_all(job.skills)
        text = job.title if listed else f"{job.title}\n{job.description}"
        found = frozenset([*listed, *vocabulary.extract(text)])
        if len(cache) >= 50_000:
            cache.clear()
        cache[key] = found
    return found


class FeatureReranker:
    """Scores candidates on the features in the module docs and sorts them.

    Args:
        weights: The default weights.
        now: Returns the current time (for recency).
        half_life_days: Age at which the recency feature is 0.5.
        default_currency: Currency of amounts written without one.
        vocabulary: The skill vocabulary (default: the shipped one).
    """

    def __init__(
        self,
        weights: RankingWeights | None = None,
        *,
        now: Callable[[], datetime],
        half_life_days: float = 30.0,
        default_currency: str = "USD",
        vocabulary: SkillVocabulary | None = None,
    ) -> None:
        if not half_life_days > 0:
            raise ValueError(f"half_life_days must be positive, got {half_life_days!r}")
        self.weights = weights or RankingWeights()
        self.now = now
        self.half_life_days = half_life_days
        self.default_currency = default_currency
        self.vocabulary = vocabulary or default_vocabulary()
        self._skills_cache: dict[str, frozenset[str]] = {}

    def intent(
        self, request: SearchRequest, hits: Sequence[SearchHit], filters: SearchFilters | None = None
    ) -> RankingIntent:
        """The intent of a search, with the candidates' places known."""
        places: set[str] = set()
        for hit in hits:
            places |= _place_names(hit.job)
        return intent_from_query(
            request,
            filters,
            places=places,
            default_currency=self.default_currency,
            vocabulary=self.vocabulary,
        )

    def features(self, intent: RankingIntent, hits: Sequence[SearchHit]) -> list[dict[str, float]]:
        """Each hit's feature values, in order."""
        return [dict(zip(FEATURES, row, strict=True)) for row in self._feature_rows(intent, hits)]

    def _feature_rows(self, intent: RankingIntent, hits: Sequence[SearchHit]) -> list[tuple[float, ...]]:
        """Each hit's feature values in :data:`FEATURES` order."""
        keywords = [_number(hit.explanation.get("keyword_score")) for hit in hits]
        best_keyword = max(keywords, default=0.0)
        now = self.now()
        # A feature nobody asked for is 0 for every hit: skip its work entirely.
        title = bool(intent.titles or intent.seniorities)
        skills = bool(intent.skills)
        salary = intent.salary_min is not None
        location = bool(intent.places or intent.countries or intent.workplace_types)
        rows: list[tuple[float, ...]] = []
        for hit, keyword in zip(hits, keywords, strict=True):
            job = hit.job
            rows.append(
                (
                    max(0.0, _number(hit.explanation.get("semantic_score"))),
                    keyword / best_keyword if best_keyword > 0 else 0.0,
                    _title_fit(intent, job) if title else 0.0,
                    self._skill_fit(intent, job) if skills else 0.0,
                    self._recency(job, now),
                    _salary_fit(intent, job) if salary else 0.0,
                    _location_fit(intent, job) if location else 0.0,
                )
            )
        return rows

    def _skill_fit(self, intent: RankingIntent, job: Job) -> float:
        if not intent.skills:
            return 0.0
        have = _job_skill_set(job, self.vocabulary, self._skills_cache)
        return sum(1 for skill in intent.skills if skill in have) / len(intent.skills)

    def _recency(self, job: Job, now: datetime) -> float:
        if job.posted_at is None:
            return 0.0
        age = max(0.0, (now - job.posted_at).total_seconds() / 86_400)
        return float(0.5 ** (age / self.half_life_days))

    def score(self, features: Mapping[str, float], weights: RankingWeights | None = None) -> float:
        """The weighted sum of one hit's features."""
        w = weights or self.weights
        return sum(float(getattr(w, name)) * features[name] for name in FEATURES)

    def rerank(
        self,
        request: SearchRequest,
        hits: Sequence[SearchHit],
        *,
        filters: SearchFilters | None = None,
        weights: RankingWeights | None = None,
        intent: RankingIntent | None = None,
        explain: int | None = None,
    ) -> list[SearchHit]:
        """The hits by descending score (ties keep their order), each with
        ``explanation["ranking"]``: the score, the retrieval score and the features.

        Args:
            request: The search (its text is read for the intent unless ``intent`` is given).
            hits: The candidates, in retrieval order.
            filters: The search's validated filters (wishes too).
            weights: Weights for this call (default: the reranker's).
            intent: What is wanted, when already known.
            explain: Attach the ranking explanation to only this many top hits (the page
                shown); the others are ordered but keep their retrieval explanation.
        """
        if not hits:
            return []
        wanted = intent if intent is not None else self.intent(request, hits, filters)
        w = weights or self.weights
        vector = [float(getattr(w, name)) for name in FEATURES]
        rows = self._feature_rows(wanted, hits)
        scores = [sum(a * b for a, b in zip(vector, row, strict=True)) for row in rows]
        # Stable sort on the negated score: ties keep their retrieval order.
        order = sorted(range(len(hits)), key=lambda i: -scores[i])
        shown = len(order) if explain is None else max(0, explain)
        ranked = []
        for place, i in enumerate(order):
            hit = hits[i]
            explanation = hit.explanation
            if place < shown:
                explanation = {
                    **explanation,
                    "ranking": {
                        "score": round(scores[i], 6),
                        "retrieval_score": hit.score,
                        "features": {k: round(v, 4) for k, v in zip(FEATURES, rows[i], strict=True)},
                    },
                }
            ranked.append(SearchHit(score=scores[i], explanation=explanation, job=hit.job))
        return ranked


def _number(value: object) -> float:
    return float(value) if isinstance(value, int | float) and math.isfinite(value) else 0.0


def _title_fit(intent: RankingIntent, job: Job) -> float:
    if not intent.titles and not intent.seniorities:
        return 0.0
    have = set(title_words(job.title))
    overlap = max((sum(1 for w in t if w in have) / len(t) for t in intent.titles), default=1.0)
    if intent.seniorities:
        level = job.seniority
        if level in intent.seniorities:
            factor = 1.0
        elif level is Seniority.UNKNOWN:
            # Plain titles ("Data Engineer") state no level: neither a match nor a miss.
            factor = 0.6
        else:
            factor = 0.5
        overlap *= factor
    return overlap


def _salary_fit(intent: RankingIntent, job: Job) -> float:
    if intent.salary_min is None:
        return 0.0
    salary = job.salary
    if salary is None:
        return 0.3
    top = salary.annual_max if salary.annual_max is not None else salary.annual_min
    if top is None:
        return 0.3
    if intent.salary_currency and salary.currency != intent.salary_currency:
        return 0.1  # paid in another market's currency: not comparable, rarely what was asked
    return 1.0 if top >= intent.salary_min else 0.0


def _location_fit(intent: RankingIntent, job: Job) -> float:
    if not (intent.places or intent.countries or intent.workplace_types):
        return 0.0
    if intent.workplace_types and job.workplace_type in intent.workplace_types:
        return 1.0
    if intent.countries and any((loc.country or "") in intent.countries for loc in job.locations):
        return 1.0
    if intent.places:
        names = _place_names(job)
        if any(place in names or any(place in name for name in names) for place in intent.places):
            return 1.0
    return 0.0
