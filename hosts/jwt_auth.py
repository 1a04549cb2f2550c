"""Bearer-token (JWT) verification, turning a token into a :class:`Principal`.

Tokens are verified with PyJWT (the ``http`` extra). A token must be signed
with one of the configured algorithms (never ``none``), unexpired (``exp``
is required; ``nbf`` and ``iat`` are checked when present, with
``leeway`` seconds of clock skew), carry the user in ``sub``, the tenant in
the tenant claim and a role (``viewer``, ``member`` or ``admin``) in the role
claim, and match the issuer and audience when those are configured.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from jobforge.core.auth import AuthError
from jobforge.core.models import Principal, UserRole

if TYPE_CHECKING:
    from jobforge.hosts.config import AuthSettings

__all__ = ["JwtVerifier"]

_MAX_TOKEN = 16_384


class JwtVerifier:
    """Verifies JWTs signed with a shared secret (HS*) or a public key (RS*, ES*, PS*, EdDSA).

    Args:
        secret: The HMAC secret, for HS* algorithms.
        public_key: A PEM public key, for asymmetric algorithms.
        algorithms: Accepted ``alg`` values; one family only, matching the key.
        issuer: Required ``iss`` when set.
        audience: Required ``aud`` when set (not checked otherwise).
        tenant_claim: The claim naming the tenant.
        role_claim: The claim naming the role.
        leeway: Seconds of clock skew tolerated on ``exp``, ``nbf`` and ``iat``.
        default_role: The role of tokens without a role claim; ``None``
            (the default) rejects such tokens.

    Raises:
        ValueError: No key, both keys, an ``none`` algorithm, or algorithms
            that do not fit the key (an HMAC algorithm with a public key
            would let anyone who knows the public key forge tokens).
        RuntimeError: PyJWT is not installed.
    """

    def __init__(  # noqa: PLR0917  (the signature agreed with the HTTP host)
        self,
        secret: str | None = None,
        public_key: str | None = None,
        algorithms: Sequence[str] = ("HS256",),
        issuer: str | None = None,
        audience: str | None = None,
        tenant_claim: str = "tenant",
        role_claim: str = "role",
        leeway: float = 30,
        *,
        default_role: UserRole | None = None,
    ) -> None:
        try:
            import jwt
        except ImportError:
            raise RuntimeError("JWT authentication needs PyJWT: pip install 'jobforge[http]'") from None
        if bool(secret) == bool(public_key):
            raise ValueError(
                "give exactly one of secret (HS* tokens) or public_key (RS*/ES*/PS*/EdDSA tokens)"
            )
        algs = [alg.strip() for alg in algorithms if alg.strip()]
        if not algs or any(alg.lower() == "none" for alg in algs):
            raise ValueError(f"algorithms must name at least one signing algorithm, got {list(algorithms)!r}")
        hmac = [alg for alg in algs if alg.upper().startswith("HS")]
        if secret and len(hmac) != len(algs):
            raise ValueError(f"a secret verifies only HS* algorithms, got {algs!r}")
        if public_key and hmac:
            raise ValueError(f"a public key cannot verify HMAC algorithms {hmac!r}")
        if leeway < 0:
            raise ValueError(f"leeway must not be negative, got {leeway}")
        self._jwt = jwt
        self._key: Any = secret or public_key
        self.algorithms = algs
        self.issuer = issuer
        self.audience = audience
        self.tenant_claim = tenant_claim
        self.role_claim = role_claim
        self.leeway = leeway
        self.default_role = default_role

    @classmethod
    def from_settings(cls, auth: AuthSettings) -> JwtVerifier | None:
        """The verifier the ``[auth]`` config describes, or ``None`` when JWTs are not configured."""
        if not (auth.jwt_secret or auth.jwt_public_key):
            return None
        return cls(
            secret=auth.jwt_secret,
            public_key=auth.jwt_public_key,
            algorithms=auth.jwt_algorithms,
            issuer=auth.jwt_issuer,
            audience=auth.jwt_audience,
            tenant_claim=auth.tenant_claim,
            role_claim=auth.role_claim,
        )

    def verify(self, token: str) -> Principal:
        """The principal a valid token stands for.

        Raises:
            AuthError: 401 naming the reason: malformed, bad signature,
                algorithm not accepted, expired, not yet valid, wrong issuer
                or audience, a missing claim or an unknown role.
        """
        jwt = self._jwt
        if not token or len(token) > _MAX_TOKEN:
            raise AuthError("token is malformed")
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                self._key,
                algorithms=self.algorithms,
                issuer=self.issuer,
                audience=self.audience,
                leeway=self.leeway,
                options={"require": ["exp", "sub"], "verify_aud": self.audience is not None},
            )
        except jwt.ExpiredSignatureError:
            raise AuthError("token expired") from None
        except jwt.ImmatureSignatureError:
            raise AuthError("token is not valid yet") from None
        except jwt.InvalidSignatureError:
            raise AuthError("token signature is invalid") from None
        except jwt.InvalidAlgorithmError:
            raise AuthError(
                f"token algorithm is not accepted (accepted: {', '.join(self.algorithms)})"
            ) from None
        except jwt.InvalidIssuerError:
            raise AuthError("token issuer is not accepted") from None
        except jwt.InvalidAudienceError:
            raise AuthError("token audience is not accepted") from None
        except jwt.MissingRequiredClaimError as exc:
            raise AuthError(f"token has no {exc.claim!r} claim") from None
        except jwt.DecodeError:
            raise AuthError("token is malformed") from None
        except jwt.InvalidTokenError as exc:
            raise AuthError(f"token is invalid: {exc}") from None
        return Principal(
            tenant_id=self._text_claim(claims, self.tenant_claim),
            user_id=self._text_claim(claims, "sub"),
            role=self._role(claims),
        )

    @staticmethod
    def _text_claim(claims: dict[str, Any], name: str) -> str:
        value = claims.get(name)
        if value is None:
            raise AuthError(f"token has no {name!r} claim")
        if not isinstance(value, str) or not value.strip():
            raise AuthError(f"token claim {name!r} must be a non-empty string")
        return value.strip()

    def _role(self, claims: dict[str, Any]) -> UserRole:
        value = claims.get(self.role_claim)
        if value is None:
            if self.default_role is None:
                raise AuthError(f"token has no {self.role_claim!r} claim")
            return self.default_role
        try:
            return UserRole(value)
        except ValueError:
            choices = ", ".join(role.value for role in UserRole)
            raise AuthError(f"token role {value!r} is unknown (expected {choices})") from None
