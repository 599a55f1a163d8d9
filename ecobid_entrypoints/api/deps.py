"""What the API's views need, assembled once per process by the container."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

from attrs import frozen

from ecobid_core.model.user import UserProfile
from ecobid_core.ports import (
    Clock,
    IdGenerator,
    ImageStore,
    ProfileCopies,
    UnitOfWork,
    UnitOfWorkFactory,
)
from ecobid_core.services.retry import with_retries

T = TypeVar("T")
log = logging.getLogger(__name__)


@frozen(kw_only=True)
class AppDeps:
    uow_factory: UnitOfWorkFactory
    clock: Clock
    ids: IdGenerator
    images: ImageStore | None = None
    profile_copies: ProfileCopies | None = None
    hold_for: timedelta = timedelta(hours=24)
    attempts: int = 25

    def run(self, use_case: Callable[[UnitOfWork], T]) -> T:
        """Run a use case in a fresh unit of work, again from fresh reads if it lost a race."""
        return with_retries(
            lambda: use_case(self.uow_factory()), attempts=self.attempts, pause=time.sleep
        )

    def image_url(self, item_id: str, image_id: str, variant: str) -> str:
        if self.images is None:
            raise LookupError("no image store is configured")
        return self.images.url_for(item_id, image_id, variant)

    def copy_profile(self, profile: UserProfile) -> None:
        """Refresh the identity provider's copies after a committed profile change.

        Best effort: the change stands either way, and the next one copies again.
        """
        if self.profile_copies is None:
            return
        try:
            self.profile_copies.sync(profile.id, profile.location, profile.rating)
        except Exception as error:
            log.warning("profile copy for %s failed: %s", profile.id, type(error).__name__)
