"""One list of retryable AWS errors: every adapter answers ``Unavailable`` for the same codes."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from ecobid_adapters.aws.dynamodb.errors import call, cancelled
from ecobid_adapters.aws.failures import TRANSIENT_CODES, unavailable_when_transient
from ecobid_core.errors import Unavailable


def _error(code: str, status: int = 400, **extra: Any) -> ClientError:
    response = {
        "Error": {"Code": code, "Message": "m"},
        "ResponseMetadata": {"HTTPStatusCode": status},
        **extra,
    }
    return ClientError(response, "Op")  # type: ignore[arg-type]


def _raise(code: str, status: int = 400) -> None:
    raise _error(code, status)


@pytest.mark.parametrize("code", sorted(TRANSIENT_CODES))
def test_a_transient_code_is_unavailable_to_dynamodb_and_to_the_other_adapters(
    code: str,
) -> None:
    with pytest.raises(Unavailable):
        call(_raise, code=code)
    with pytest.raises(Unavailable), unavailable_when_transient("a service"):
        _raise(code)


@pytest.mark.parametrize("code", sorted(TRANSIENT_CODES))
def test_a_transient_cancellation_reason_is_unavailable(code: str) -> None:
    reasons = [{"Code": "None"}, {"Code": code}]
    error = _error("TransactionCanceledException", CancellationReasons=reasons)
    assert isinstance(cancelled(error, ["a", "b"], [None, 1]), Unavailable)


@pytest.mark.parametrize("code", ["ValidationException", "AccessDeniedException"])
def test_a_bad_request_surfaces_as_itself_everywhere(code: str) -> None:
    with pytest.raises(ClientError):
        call(_raise, code=code)
    with pytest.raises(ClientError), unavailable_when_transient("a service"):
        _raise(code)


def test_any_5xx_is_unavailable_whatever_its_code() -> None:
    with pytest.raises(Unavailable):
        call(_raise, code="SomethingNew", status=502)
    with pytest.raises(Unavailable), unavailable_when_transient("a service"):
        _raise("SomethingNew", 502)
