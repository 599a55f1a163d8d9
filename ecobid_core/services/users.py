"""User profiles."""

from __future__ import annotations

from contextlib import suppress

from attrs import frozen

from ecobid_core.errors import ConcurrentUpdate, Forbidden, NotFound
from ecobid_core.model.user import UserProfile
from ecobid_core.model.values import Location
from ecobid_core.ports import Clock, UnitOfWork


@frozen(kw_only=True)
class EditProfile:
    user_id: str
    caller_id: str
    display_name: str | None = None
    bio: str | None = None
    location: Location | None = None
    clear_location: bool = False


def ensure_profile(user_id: str, email: str, uow: UnitOfWork, clock: Clock) -> UserProfile:
    """The caller's profile, made on first sight (sign-up happens in the identity provider)."""
    with uow:
        existing = uow.users.get(user_id)
        if existing is not None:
            return existing
        profile = UserProfile.first_seen(user_id=user_id, email=email, now=clock.now())
        uow.users.add(profile)
        # Two first requests at once: the other one made it; same user either way.
        with suppress(ConcurrentUpdate):
            uow.commit()
    return profile


def get_profile(user_id: str, uow: UnitOfWork) -> UserProfile:
    with uow:
        profile = uow.users.get(user_id)
    if profile is None:
        raise NotFound("no such user")
    return profile


def edit_profile(cmd: EditProfile, uow: UnitOfWork, clock: Clock) -> UserProfile:
    if cmd.caller_id != cmd.user_id:
        raise Forbidden("you can only edit your own profile")
    with uow:
        profile = uow.users.get(cmd.user_id)
        if profile is None:
            raise NotFound("no such user")
        profile.edit(
            clock.now(),
            display_name=cmd.display_name,
            bio=cmd.bio,
            location=cmd.location,
            clear_location=cmd.clear_location,
        )
        uow.users.update(profile)
        uow.commit()
    return profile
