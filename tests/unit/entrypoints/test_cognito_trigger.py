"""The post-confirmation trigger, with Cognito's event shape (moto never runs triggers)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ecobid_entrypoints.functions import cognito as cognito_triggers
from ecobid_entrypoints.functions import runtime


def confirmed(sub: str, source: str = cognito_triggers.SIGN_UP_CONFIRMED) -> dict:
    return {
        "version": "1",
        "region": "eu-central-1",
        "userPoolId": "eu-central-1_pool",
        "userName": sub,
        "callerContext": {"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": "app"},
        "triggerSource": source,
        "request": {
            "userAttributes": {
                "sub": sub,
                "email": f"{sub}@example.com",
                "email_verified": "true",
                "cognito:user_status": "CONFIRMED",
            }
        },
        "response": {},
    }


@pytest.fixture
def memory_backend(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("ECOBID_BACKEND", "memory")
    runtime.container.cache_clear()
    yield
    runtime.container.cache_clear()


def profile(sub: str):
    with runtime.container().unit_of_work() as uow:
        return uow.users.get(sub)


def test_a_confirmed_sign_up_creates_the_profile_and_answers_the_event(memory_backend) -> None:
    event = confirmed("new-user")
    assert cognito_triggers.post_confirmation(event, None) is event
    created = profile("new-user")
    assert created is not None
    assert created.email == "new-user@example.com"


def test_confirming_twice_keeps_the_first_profile(memory_backend) -> None:
    cognito_triggers.post_confirmation(confirmed("twice"), None)
    first = profile("twice")
    cognito_triggers.post_confirmation(confirmed("twice"), None)
    assert profile("twice") == first


def test_other_trigger_sources_change_nothing(memory_backend) -> None:
    event = confirmed("resetter", "PostConfirmation_ConfirmForgotPassword")
    assert cognito_triggers.post_confirmation(event, None) is event
    assert profile("resetter") is None
