"""GET/PUT /users/{id}: a profile, and the default alert of a first home location."""

from __future__ import annotations

import logging

from ecobid_core.model.values import Location
from ecobid_core.services import users as use
from ecobid_core.services.alerts import first_home
from ecobid_entrypoints.api import present
from ecobid_entrypoints.api.deps import AppDeps
from ecobid_entrypoints.api.http import ApiRequest, ApiResponse, ok

log = logging.getLogger(__name__)


def get_user(req: ApiRequest, deps: AppDeps) -> ApiResponse:
    profile = deps.run(lambda uow: use.get_profile(req.param("id"), uow))
    return ok(present.profile(profile, req.user_id))


def update_user(req: ApiRequest, deps: AppDeps) -> ApiResponse:
    data = req.json("UpdateProfileRequest")
    place = data.get("location")
    cmd = use.EditProfile(
        user_id=req.param("id"),
        caller_id=req.user_id,
        display_name=data.get("displayName"),
        bio=data.get("bio"),
        location=None if place is None else Location.of(place["lat"], place["lon"]),
        clear_location="location" in data and place is None,
    )
    profile = deps.run(lambda uow: use.edit_profile(cmd, uow, deps.clock))
    deps.copy_profile(profile)
    if deps.notify is not None:
        try:
            first_home(profile.id, profile.location, deps.notify)
        except Exception as error:  # the edit stands; the next one makes the alert
            log.warning("home alert for %s failed: %s", profile.id, type(error).__name__)
    return ok(present.profile(profile, req.user_id))
