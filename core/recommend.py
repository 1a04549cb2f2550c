"""Recommendations: jobs for a candidate profile, each with the reasons it fits.

How a profile becomes a search (:meth:`RecommendationService.build_request`):

* Query text: the titles, then the skills, then the opening words of the
  resume text, cut at a word boundary to the search's maximum query length.
* Filters: ``workplace_types`` become the ``remote`` filter; ``salary_min``
  becomes the ``salary_min`` filter in ``salary_currency`` (default: the
  search's default currency), so jobs without a stated salary, or with one
  in another currency, are left out; exactly one location becomes the
  ``location`` filter unless remote work is wanted (a remote job may be
  based anywhere). Several locations are not filtered on (a filter cannot
  say "any of"); matching ones are named among the reasons.

Then a hybrid search fetches a candidate pool several times larger than
``limit``, jobs the user applied to or dismissed are dropped, and at most
two postings per (company, title) are kept. :meth:`RecommendationService.rank`
scores the pool with the features of :mod:`jobforge.core.ranking`, read
against the profile (its titles and their levels; its skills, normalised,
plus the skills its résumé text mentions, found by the skill vocabulary of
:mod:`jobforge.core.skills`; its places, workplace types and salary
minimum), and picks greedily by score, each further posting of a company
already picked costing ``company_penalty`` -- so the list is not ten
postings of one employer. Each job is explained with reasons such as
"matches 5 of your 7 skills", "salary above your minimum" or "remote".
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import msgspec

from jobforge.core.applications import ApplicationService
from jobforge.core.auth import require
from jobforge.core.errors import InvalidRequestError
from jobforge.core.identity import normalize_words
from jobforge.core.models import CandidateProfile, Job, Principal, UserRole, WorkplaceType
from jobforge.core.ranking import FeatureReranker, RankingWeights, intent_from_profile
from jobforge.core.search import SearchService
from jobforge.core.search_types import SearchHit, SearchMode, SearchRequest
from jobforge.core.skills import SkillVocabulary, default_vocabulary, job_skills

__all__ = [
    "RECOMMENDATION_WEIGHTS",
    "Recommendation",
    "RecommendationService",
    "explain",
    "matched_skills",
    "validate_profile",
]

RECOMMENDATION_WEIGHTS = RankingWeights(
    semantic=1.0, keyword=0.25, title=1.0, skills=1.2, recency=0.15, salary=0.5, location=0.6
)
"""Feature weights of recommendations: skills count for more than in search."""

_MAX_TITLES = 20
_MAX_SKILLS = 100
_MAX_LOCATIONS = 20
_MAX_ITEM = 200
_MAX_RESUME = 100_000
_MAX_SALARY = 100_000_000
_MAX_PAGES = 5
_SKILLS_NAMED = 5


class Recommendation(msgspec.Struct, kw_only=True):
    """A recommended job, its score (higher is better) and why it was chosen."""

    score: float
    reasons: list[str]
    job: Job


def matched_skills(skills: Sequence[str], job: Job, vocabulary: SkillVocabulary | None = None) -> list[str]:
    """The profile skills a job asks for, as the profile spells them.

    A skill the vocabulary knows matches when the job lists it or its title
    or description mentions it, in any of its forms (``JS`` matches a job
    asking for JavaScript, ``Postgres`` one listing PostgreSQL). Any other
    skill matches, case-insensitively, one of the job's skills or a whole
    word or phrase of its title or description (``c++`` and ``node.js`` work).
    """
    vocab = vocabulary or default_vocabulary()
    have = set(job_skills(job, vocab))
    listed = {skill.casefold() for skill in job.skills}
    text = f"{job.title}\n{job.description}".casefold()
    found: list[str] = []
    for skill in skills:
        canonical = vocab.lookup(skill)
        if canonical is not None:
            if canonical in have:
                found.append(skill)
            continue
        key = skill.casefold()
        if key in listed or re.search(rf"(?<!\w){re.escape(key)}(?!\w)", text):
            found.append(skill)
    return found


class RecommendationService:
    """Recommends jobs for a :class:`CandidateProfile`, explaining each.

    Args:
        search: Runs the hybrid searches.
        applications: Knows which jobs the user applied to or dismissed.
        pool_factor: Candidates fetched per recommendation wanted (at least 1).
        max_per_title: Postings kept per (company, title) pair (at least 1).
        weights: Feature weights (default :data:`RECOMMENDATION_WEIGHTS`).
        company_penalty: Score taken off each further posting of a company
            already recommended (0 turns diversity off).
        vocabulary: The skill vocabulary (default: the shipped one).
    """

    def __init__(
        self,
        search: SearchService,
        applications: ApplicationService,
        *,
        pool_factor: int = 5,
        max_per_title: int = 2,
        weights: RankingWeights | None = None,
        company_penalty: float = 0.25,
        vocabulary: SkillVocabulary | None = None,
    ) -> None:
        if pool_factor < 1 or max_per_title < 1:
            raise ValueError("pool_factor and max_per_title must be at least 1")
        if company_penalty < 0:
            raise ValueError("company_penalty must not be negative")
        self.search = search
        self.applications = applications
        self.pool_factor = pool_factor
        self.max_per_title = max_per_title
        self.company_penalty = company_penalty
        self.vocabulary = vocabulary or default_vocabulary()
        self.reranker = FeatureReranker(
            weights or RECOMMENDATION_WEIGHTS,
            now=search.clock.now,
            default_currency=search.policy.default_currency,
            vocabulary=self.vocabulary,
        )

    async def recommend(
        self, principal: Principal, profile: CandidateProfile, *, limit: int = 10
    ) -> list[Recommendation]:
        """Up to ``limit`` jobs for the profile, best first, with reasons.

        Raises:
            AuthError: There is no principal.
            InvalidRequestError: ``limit`` or a profile field is invalid
                (``field`` names it, e.g. ``profile.skills``).
        """
        require(principal, UserRole.VIEWER)
        max_limit = self.search.policy.max_limit
        if not 1 <= limit <= max_limit:
            raise InvalidRequestError("limit", f"must be between 1 and {max_limit}, got {limit}")
        profile = validate_profile(profile)
        if profile.salary_min is not None and profile.salary_currency is None:
            profile = msgspec.structs.replace(profile, salary_currency=self.search.policy.default_currency)
        excluded = await self.applications.excluded_job_ids(principal)
        page_size = min(max_limit, limit * self.pool_factor + len(excluded))
        request = self.build_request(profile, page_size)
        picked: list[SearchHit] = []
        per_title: dict[tuple[str, str], int] = {}
        for page in range(_MAX_PAGES):
            response = await self.search.search(msgspec.structs.replace(request, offset=page * page_size))
            for hit in response.hits:
                key = (hit.job.company.casefold(), " ".join(normalize_words(hit.job.title)))
                if hit.job.id in excluded or per_title.get(key, 0) >= self.max_per_title:
                    continue
                per_title[key] = per_title.get(key, 0) + 1
                picked.append(hit)
            if len(picked) >= limit or (page + 1) * page_size >= response.total or not response.hits:
                break
        return self.rank(profile, picked)[:limit]

    def build_request(self, profile: CandidateProfile, limit: int) -> SearchRequest:
        """The hybrid search a (validated) profile stands for; see the module docs."""
        filters: dict[str, object] = {}
        wanted = [w.value for w in profile.workplace_types if w is not WorkplaceType.UNKNOWN]
        if wanted:
            filters["remote"] = wanted
        if profile.salary_min is not None:
            currency = profile.salary_currency or self.search.policy.default_currency
            filters["salary_min"] = f"{profile.salary_min:.0f} {currency}"
        if len(profile.locations) == 1 and WorkplaceType.REMOTE not in profile.workplace_types:
            filters["location"] = profile.locations[0]
        return SearchRequest(
            query=self._query_text(profile), filters=filters, limit=limit, mode=SearchMode.HYBRID
        )

    def _query_text(self, profile: CandidateProfile) -> str:
        budget = self.search.policy.max_query_length
        words: list[str] = []
        for part in (*profile.titles, *profile.skills, (profile.resume_text or "")[:_MAX_RESUME]):
            words.extend(part.split())
        text = ""
        for word in words:
            candidate = f"{text} {word}" if text else word
            if len(candidate) > budget:
                break
            text = candidate
        return text

    def rank(self, profile: CandidateProfile, hits: Sequence[SearchHit]) -> list[Recommendation]:
        """Score the candidates against the profile and pick them greedily for
        variety (see the module docs); every one is kept, best first."""
        if not hits:
            return []
        intent = intent_from_profile(
            profile, default_currency=self.search.policy.default_currency, vocabulary=self.vocabulary
        )
        features = self.reranker.features(intent, hits)
        scored = [
            (self.reranker.score(f), n, hit) for n, (hit, f) in enumerate(zip(hits, features, strict=True))
        ]
        picked: list[Recommendation] = []
        per_company: dict[str, int] = {}
        while scored:
            best = max(
                scored,
                key=lambda item: (
                    item[0] - self.company_penalty * per_company.get(item[2].job.company.casefold(), 0),
                    -item[1],
                ),
            )
            scored.remove(best)
            company = best[2].job.company.casefold()
            score = best[0] - self.company_penalty * per_company.get(company, 0)
            per_company[company] = per_company.get(company, 0) + 1
            job = best[2].job
            picked.append(
                Recommendation(score=round(score, 6), reasons=explain(profile, job, self.vocabulary), job=job)
            )
        return picked


def explain(profile: CandidateProfile, job: Job, vocabulary: SkillVocabulary | None = None) -> list[str]:
    """Human-readable reasons a job fits a profile, strongest first."""
    reasons: list[str] = []
    job_title = set(normalize_words(job.title))
    for title in profile.titles:
        words = normalize_words(title)
        if words and job_title.issuperset(words):
            reasons.append(f"title matches {title.strip()!r}")
            break
    skills, where = profile.skills, "your"
    if not skills and profile.resume_text:
        skills, where = (vocabulary or default_vocabulary()).extract(profile.resume_text), "your résumé's"
    if skills:
        found = matched_skills(skills, job, vocabulary)
        if found:
            named = ", ".join(found[:_SKILLS_NAMED]) + (", ..." if len(found) > _SKILLS_NAMED else "")
            reasons.append(f"matches {len(found)} of {where} {len(skills)} skills ({named})")
    if profile.salary_min is not None and job.salary is not None:
        top = job.salary.annual_max if job.salary.annual_max is not None else job.salary.annual_min
        same_currency = profile.salary_currency in (None, job.salary.currency)
        if top is not None and top >= profile.salary_min and same_currency:
            reasons.append("salary above your minimum")
    if job.workplace_type in profile.workplace_types and job.workplace_type is not WorkplaceType.UNKNOWN:
        reasons.append(job.workplace_type.value)
    for wanted in profile.locations:
        needle = wanted.casefold()
        if any(needle in (loc.label() + " " + (loc.text or "")).casefold() for loc in job.locations):
            reasons.append(f"in {wanted}")
            break
    return reasons or ["similar to your profile"]


def validate_profile(profile: CandidateProfile) -> CandidateProfile:
    """The profile with blank entries dropped and text trimmed.

    Raises:
        InvalidRequestError: Naming the field, e.g. ``profile.skills``.
    """
    titles = _texts("profile.titles", profile.titles, _MAX_TITLES)
    skills = list(dict.fromkeys(_texts("profile.skills", profile.skills, _MAX_SKILLS)))
    locations = _texts("profile.locations", profile.locations, _MAX_LOCATIONS)
    resume = profile.resume_text.strip() if profile.resume_text else None
    if resume is not None and len(resume) > _MAX_RESUME:
        raise InvalidRequestError("profile.resume_text", f"longer than {_MAX_RESUME} characters")
    if not (titles or skills or resume):
        raise InvalidRequestError("profile", "give at least one title, skill or resume text")
    if profile.salary_min is not None and not 0 <= profile.salary_min <= _MAX_SALARY:
        raise InvalidRequestError("profile.salary_min", f"must be between 0 and {_MAX_SALARY}")
    currency = profile.salary_currency
    if currency is not None:
        currency = currency.strip().upper()
        if not re.fullmatch(r"[A-Z]{3}", currency):
            raise InvalidRequestError(
                "profile.salary_currency", f"expected an ISO 4217 code such as USD, got {currency!r}"
            )
    return msgspec.structs.replace(
        profile,
        titles=titles,
        skills=skills,
        locations=locations,
        resume_text=resume,
        salary_currency=currency,
    )


def _texts(field: str, values: Sequence[str], most: int) -> list[str]:
    texts = [value.strip() for value in values if value.strip()]
    if len(texts) > most:
        raise InvalidRequestError(field, f"at most {most} entries, got {len(texts)}")
    for text in texts:
        if len(text) > _MAX_ITEM:
            raise InvalidRequestError(
                field, f"entries are at most {_MAX_ITEM} characters; {text[:20]!r}... is longer"
            )
    return texts
