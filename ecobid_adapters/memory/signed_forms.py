"""Signed upload policies and signed URLs, checked the way S3 checks its own.

The memory image store hands out the same kind of presigned POST as S3: a base64 JSON
policy (an expiry and conditions on the form's fields and the file's length) and a
signature of it. S3 verifies the signature with the signer's key; here an HMAC-SHA256
with a secret of this process stands in. So the local server refuses exactly what S3
would: a forged or altered policy, an expired one, a field the policy does not allow or
fix, a file outside the length range. URLs for reading are signed the same way and expire.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

#: Form fields a policy need not name: the signature itself and the file.
_UNSIGNED_FIELDS = {"policy", "x-amz-signature", "file"}


class FormSigner:
    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def sign(self, text: str) -> str:
        return hmac.new(self._secret, text.encode(), hashlib.sha256).hexdigest()

    def is_signed(self, text: str, signature: str) -> bool:
        return hmac.compare_digest(self.sign(text), signature)

    def post_fields(
        self, fields: Mapping[str, str], max_bytes: int, expires_at: datetime
    ) -> dict[str, str]:
        """``fields`` plus a policy that fixes each of them and the length range."""
        conditions: list[Any] = [{name: value} for name, value in fields.items()]
        conditions.append(["content-length-range", 1, max_bytes])
        expiration = expires_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")  # as S3 writes it
        document = {"expiration": expiration, "conditions": conditions}
        policy = base64.b64encode(json.dumps(document).encode()).decode()
        return {**fields, "policy": policy, "x-amz-signature": self.sign(policy)}

    def check_post(self, fields: Mapping[str, str], size: int, now: datetime) -> None:
        """Raise ``PermissionError`` where S3 says 403, ``ValueError`` where it says 400."""
        policy = fields.get("policy", "")
        if not policy or not self.is_signed(policy, fields.get("x-amz-signature", "")):
            raise PermissionError("the policy is not signed by this store")
        document = _decode(policy)
        if _expiration(document) <= now:
            raise PermissionError("the policy has expired")
        fixed: dict[str, str] = {}
        for condition in document.get("conditions", []):
            if isinstance(condition, dict):
                fixed.update(condition)
            elif _is_range(condition):
                _, low, high = condition
                if not low <= size <= high:
                    raise ValueError(f"the file must have {low} to {high} bytes")
        for name, value in fixed.items():
            if fields.get(name) != value:
                raise PermissionError(f"the policy fixes {name!r} to another value")
        extra = set(fields) - set(fixed) - _UNSIGNED_FIELDS
        if extra:
            raise PermissionError(f"fields the policy does not allow: {', '.join(sorted(extra))}")

    def url_query(self, path: str, expires_at: datetime) -> str:
        expires = str(int(expires_at.timestamp()))
        return f"expires={expires}&signature={self.sign(f'{path}?{expires}')}"

    def check_url(self, path: str, query: Mapping[str, str], now: datetime) -> None:
        expires = query.get("expires", "")
        if not expires.isdigit() or not self.is_signed(
            f"{path}?{expires}", query.get("signature", "")
        ):
            raise PermissionError("the URL is not signed by this store")
        if int(expires) <= now.timestamp():
            raise PermissionError("the URL has expired")


def _expiration(document: Mapping[str, Any]) -> datetime:
    try:
        return datetime.strptime(str(document.get("expiration")), "%Y-%m-%dT%H:%M:%SZ").replace(
            tzinfo=UTC
        )
    except ValueError:
        raise PermissionError("the policy has no readable expiration") from None


def _decode(policy: str) -> dict[str, Any]:
    try:
        document = json.loads(base64.b64decode(policy, validate=True))
    except (binascii.Error, ValueError):
        raise PermissionError("the policy is not readable") from None
    if not isinstance(document, dict):
        raise PermissionError("the policy is not readable")
    return document


def _is_range(condition: object) -> bool:
    return (
        isinstance(condition, Sequence)
        and len(condition) == 3
        and condition[0] == "content-length-range"
        and all(isinstance(bound, int) for bound in condition[1:])
    )
