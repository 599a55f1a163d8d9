"""Every way a request can fail, as the contract's status, code and message."""

from __future__ import annotations

from typing import Any

from ecobid_core import errors as domain


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details or []
        self.headers = headers or {}

    def body(self, request_id: str = "") -> dict[str, Any]:
        """The contract's error object; ``request_id`` is the id a support request quotes."""
        return {
            "error": {
                "code": self.code,
                "message": self.message,
                "details": self.details,
                "requestId": request_id,
            }
        }


def unauthorized(message: str = "a valid bearer token is required") -> ApiError:
    return ApiError(401, "unauthorized", message)


def not_found_route() -> ApiError:
    """No operation at this path (the gateway's MISSING_AUTHENTICATION_TOKEN answers it)."""
    return ApiError(404, "not_found", "no such resource")


def payload_too_large(limit: int) -> ApiError:
    return ApiError(413, "payload_too_large", f"the body is over {limit} bytes")


def method_not_allowed(allow: list[str]) -> ApiError:
    """The path exists, the method does not. The message names no method, so the local
    server (which also takes HEAD) and the gateway answer the same body."""
    return ApiError(
        405,
        "method_not_allowed",
        "this resource does not take this method; the Allow header lists those it takes",
        headers={"Allow": ", ".join(allow)},
    )


def invalid(field: str, message: str) -> ApiError:
    return ApiError(
        400, "validation_error", f"{field}: {message}", [{"field": field, "message": message}]
    )


_STATUS_BY_TYPE: list[tuple[type[domain.DomainError], int]] = [
    (domain.ValidationFailed, 400),
    (domain.Forbidden, 403),
    (domain.NotFound, 404),
    (domain.Conflict, 409),
]


def from_domain(error: domain.DomainError) -> ApiError:
    status = next((s for kind, s in _STATUS_BY_TYPE if isinstance(error, kind)), 400)
    return ApiError(status, error.code, error.message, [dict(d) for d in error.details])


#: How long a client should wait before trying again after a 503. A dependency that
#: stayed throttled through the retries (botocore's and ours, a few seconds in all) is
#: usually past it a second later.
RETRY_AFTER_SECONDS = 1
UNAVAILABLE = ApiError(
    503,
    "unavailable",
    "a service is busy; please try again shortly",
    headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
)
INTERNAL = ApiError(500, "internal_error", "something went wrong on our side")
