"""The skill vocabulary: normalising listed skills and finding skills in free text."""

from __future__ import annotations

import pytest

from jobforge.core.skills import (
    SkillVocabulary,
    default_vocabulary,
    extract_skills,
    job_skills,
    normalize_skill,
    tokenize,
)
from jobforge.testing.factories import make_job


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("JS", "JavaScript"),
        ("javascript", "JavaScript"),
        ("ECMAScript", "JavaScript"),
        ("Postgres", "PostgreSQL"),
        ("postgresql", "PostgreSQL"),
        ("k8s", "Kubernetes"),
        ("K8S", "Kubernetes"),
        ("golang", "Go"),
        ("go", "Go"),
        ("c", "C"),
        ("sklearn", "scikit-learn"),
        ("  node.js ", "Node.js"),
        ("ReactJS", "React"),
        ("Amazon Web Services", "AWS"),
        ("Hiring", "Hiring"),
    ],
)
def test_listed_skills_normalise_in_any_case(written: str, canonical: str) -> None:
    assert normalize_skill(written) == canonical


def test_unknown_skills_are_kept_as_written() -> None:
    vocab = default_vocabulary()
    assert vocab.normalize("  Quantum   Basket Weaving ") == "Quantum Basket Weaving"
    assert vocab.lookup("Quantum Basket Weaving") is None
    assert vocab.normalize_all(["js", "JavaScript", "", "Foo", "foo"]) == ["JavaScript", "Foo", "foo"]


def test_variants_in_text_map_to_one_skill() -> None:
    text = "Senior engineer with JS, Postgres and k8s; C++ and C# a plus. Node.js, Python/Django, Python-based ETL."
    assert extract_skills(text) == [
        "JavaScript",
        "PostgreSQL",
        "Kubernetes",
        "C++",
        "C#",
        "Node.js",
        "Python",
        "Django",
        "ETL",
    ]


def test_longest_alias_wins_and_symbols_survive() -> None:
    assert extract_skills("Ruby on Rails, CI/CD, .NET, scikit-learn, A/B testing and Power BI.") == [
        "Ruby on Rails",
        "CI/CD",
        ".NET",
        "scikit-learn",
        "A/B Testing",
        "Power BI",
    ]


def test_ordinary_words_are_not_skills() -> None:
    # Lower-case "go", "react", "excel" are verbs; "hiring" and "research" only count in lists.
    text = "We are hiring! Go beyond, react fast, excel at research. The rest of us are on call."
    assert extract_skills(text) == ["Go"]  # sentence-initial "Go" is the one ambiguity left
    assert extract_skills("Experience in Go, React and Excel; R&D budget.") == ["Go", "React", "Excel"]


def test_tokenizer_keeps_skill_spellings() -> None:
    assert tokenize("C++/C#, Node.js; .NET (ICD-10).") == ["C++/C#", "Node.js", ".NET", "ICD-10"]


def test_job_skills_combine_listed_and_mentioned() -> None:
    job = make_job(
        skills=["python", "postgres"], title="Backend Engineer (Go)", description="We run k8s on AWS."
    )
    assert job_skills(job) == ["Python", "PostgreSQL", "Go", "Kubernetes", "AWS"]


def test_the_shipped_vocabulary_is_consistent() -> None:
    vocab = default_vocabulary()
    assert len(vocab) > 350
    assert vocab.category("Kubernetes") == "cloud"
    assert "PostgreSQL" in vocab
    assert "Postgres" not in vocab  # aliases are not skills of their own
    assert vocab.skills == sorted(vocab.skills)


def test_an_alias_of_two_skills_is_rejected() -> None:
    with pytest.raises(ValueError, match="belongs to both"):
        SkillVocabulary({"a": {"Go": ["golang"], "Golang Tools": ["golang"]}})
    with pytest.raises(ValueError, match="unknown keys"):
        SkillVocabulary({"a": {"Go": {"aliases": [], "spelling": []}}})
