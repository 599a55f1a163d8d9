"""CreateUserProfile: the user pool's post-confirmation trigger.

``post_confirmation`` runs once a user confirms the sign-up: it creates the user's
profile, so API requests never have to create one on the caller's first call. Cognito
waits for the answer (and fails the confirmation on an error), so the handler returns
the event it got, as Cognito requires, and raises only on a real failure, which Cognito
reports to the app as a failed sign-up the user can retry: creating a profile twice is
harmless.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from ecobid_core.services.users import ensure_profile
from ecobid_entrypoints.functions.runtime import container, invocation

log = logging.getLogger("ecobid.cognito")

#: Cognito's trigger sources for a confirmed sign-up (not a forgotten-password reset).
SIGN_UP_CONFIRMED = "PostConfirmation_ConfirmSignUp"


def post_confirmation(event: Mapping[str, Any], context: Any = None) -> Mapping[str, Any]:
    """CreateUserProfile: create the confirmed user's profile; answers Cognito's event."""
    with invocation(context):
        return _create_profile(event)


def _create_profile(event: Mapping[str, Any]) -> Mapping[str, Any]:
    if event.get("triggerSource") != SIGN_UP_CONFIRMED:
        return event
    attributes = event.get("request", {}).get("userAttributes", {})
    user_id, email = attributes.get("sub"), attributes.get("email", "")
    if not user_id:
        # Cognito always sends the sub; an event without one is not Cognito's.
        log.error("post-confirmation event without a sub: ignored")
        return event
    deps = container().deps()
    deps.run(lambda uow: ensure_profile(user_id, email, uow, deps.clock))
    log.info("profile ready for a confirmed sign-up")
    return event
