"""Where a Cognito user pool's tokens come from: its issuer and its key set's address.

Apart from the verifier so that reading settings never imports JWT or cryptography code:
a deployed API function takes the caller from the authorizer and never verifies a token.
"""

from __future__ import annotations


def cognito_issuer(region: str, pool_id: str) -> str:
    """The issuer of a user pool's tokens in AWS (moto 5 writes the same one)."""
    return f"https://cognito-idp.{region}.amazonaws.com/{pool_id}"


def cognito_jwks_url(pool_id: str, region: str, endpoint_url: str | None = None) -> str:
    """Where a pool publishes its keys: in AWS, or under a moto server's endpoint."""
    if endpoint_url:
        return f"{endpoint_url.rstrip('/')}/{pool_id}/.well-known/jwks.json"
    return f"{cognito_issuer(region, pool_id)}/.well-known/jwks.json"
