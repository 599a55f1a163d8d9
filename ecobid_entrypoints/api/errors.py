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

    def body(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "details": self.details}}


def unauthorized(message: str = "a valid bearer token is required") -> ApiError:
    return ApiError(401, "unauthorized", message)


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
