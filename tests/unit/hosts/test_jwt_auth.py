"""JWT verification with tokens made by PyJWT."""

from __future__ import annotations

import time
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from jobforge.core.auth import AuthError
from jobforge.core.models import Principal, UserRole
from jobforge.hosts.config import AuthSettings
from jobforge.hosts.jwt_auth import JwtVerifier

SECRET = "test-secret-that-is-long-enough-for-hs256"


def _token(
    claims: dict[str, Any] | None = None,
    *,
    key: Any = SECRET,
    algorithm: str = "HS256",
    drop: tuple[str, ...] = (),
) -> str:
    payload: dict[str, Any] = {
        "sub": "ann",
        "tenant": "acme",
        "role": "member",
        "exp": int(time.time()) + 300,
    }
    payload.update(claims or {})
    for name in drop:
        payload.pop(name)
    return jwt.encode(payload, key, algorithm=algorithm)


def _reason(verifier: JwtVerifier, token: str) -> str:
    with pytest.raises(AuthError) as info:
        verifier.verify(token)
    assert info.value.status == 401
    return info.value.message


def test_valid_token() -> None:
    verifier = JwtVerifier(secret=SECRET)
    assert verifier.verify(_token()) == Principal(tenant_id="acme", user_id="ann", role=UserRole.MEMBER)


def test_expired_token_within_and_beyond_leeway() -> None:
    verifier = JwtVerifier(secret=SECRET, leeway=30)
    assert verifier.verify(_token({"exp": int(time.time()) - 10})).user_id == "ann"
    assert _reason(verifier, _token({"exp": int(time.time()) - 120})) == "token expired"


def test_wrong_secret_and_tampering() -> None:
    verifier = JwtVerifier(secret=SECRET)
    assert (
        _reason(verifier, _token(key="another-secret-entirely-also-long-enough"))
        == "token signature is invalid"
    )
    header, _, signature = _token().split(".")
    forged = _token({"role": "admin"}).split(".")[1]
    assert _reason(verifier, f"{header}.{forged}.{signature}") == "token signature is invalid"
    assert _reason(verifier, "not-a-token") == "token is malformed"
    assert _reason(verifier, "") == "token is malformed"


def test_unsigned_tokens_are_refused() -> None:
    verifier = JwtVerifier(secret=SECRET)
    unsigned = jwt.encode(
        {"sub": "ann", "tenant": "acme", "role": "admin", "exp": time.time() + 60}, "", "none"
    )
    assert "algorithm is not accepted" in _reason(verifier, unsigned)


@pytest.mark.parametrize(("claim", "message"), [("tenant", "'tenant'"), ("sub", "'sub'"), ("exp", "'exp'")])
def test_missing_claims_are_named(claim: str, message: str) -> None:
    assert message in _reason(JwtVerifier(secret=SECRET), _token(drop=(claim,)))


def test_role_claim() -> None:
    verifier = JwtVerifier(secret=SECRET, tenant_claim="org", role_claim="jf_role")
    token = _token({"org": "globex", "jf_role": "admin"})
    assert verifier.verify(token) == Principal("globex", "ann", UserRole.ADMIN)
    assert "'superuser' is unknown" in _reason(verifier, _token({"org": "globex", "jf_role": "superuser"}))
    assert "'jf_role'" in _reason(verifier, _token({"org": "globex"}))
    lenient = JwtVerifier(secret=SECRET, default_role=UserRole.VIEWER)
    assert lenient.verify(_token(drop=("role",))).role is UserRole.VIEWER
    assert "non-empty string" in _reason(verifier, _token({"org": "", "jf_role": "admin"}))


def test_issuer_and_audience() -> None:
    verifier = JwtVerifier(secret=SECRET, issuer="https://id.example.com", audience="jobforge")
    good = _token({"iss": "https://id.example.com", "aud": "jobforge"})
    assert verifier.verify(good).tenant_id == "acme"
    assert _reason(verifier, _token({"iss": "https://evil.example.com", "aud": "jobforge"})) == (
        "token issuer is not accepted"
    )
    assert _reason(verifier, _token({"iss": "https://id.example.com", "aud": "other"})) == (
        "token audience is not accepted"
    )
    assert "'iss'" in _reason(verifier, _token({"aud": "jobforge"}))
    # Without a configured audience, a token's aud is not checked.
    assert JwtVerifier(secret=SECRET).verify(_token({"aud": "anything"})).user_id == "ann"


def test_public_key_tokens() -> None:
    private = ec.generate_private_key(ec.SECP256R1())
    pem = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    verifier = JwtVerifier(public_key=pem, algorithms=["ES256"])
    assert verifier.verify(_token(key=private, algorithm="ES256")).user_id == "ann"
    # An HS256 token "signed" with the public key text must never pass (algorithm confusion).
    assert "algorithm is not accepted" in _reason(verifier, _token(key=pem.encode()[:64], algorithm="HS256"))


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"secret": SECRET, "public_key": "pem"},
        {"secret": SECRET, "algorithms": ["RS256"]},
        {"public_key": "pem", "algorithms": ["HS256", "RS256"]},
        {"secret": SECRET, "algorithms": ["none"]},
        {"secret": SECRET, "leeway": -1},
    ],
)
def test_bad_configurations_are_refused(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=r"secret|public key|algorithms|leeway"):
        JwtVerifier(**kwargs)


def test_from_settings() -> None:
    assert JwtVerifier.from_settings(AuthSettings()) is None
    verifier = JwtVerifier.from_settings(AuthSettings(jwt_secret=SECRET, jwt_audience="jobforge"))
    assert verifier is not None
    assert verifier.verify(_token({"aud": "jobforge"})).role is UserRole.MEMBER
