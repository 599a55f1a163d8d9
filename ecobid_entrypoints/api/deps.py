"""What the API's views need, assembled once per process by the container."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, TypeVar

from attrs import frozen

from ecobid_core.model.rating import RATING_WINDOW
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

if TYPE_CHECKING:
    # Only the notification routes build the ports (their wiring imports them then): the
    # other functions need not import the notification ports at their cold start.
    from ecobid_core.services.notify_ports import NotifyPorts

T = TypeVar("T")
log = logging.getLogger(__name__)


@frozen(kw_only=True)
class AppDeps:
    uow_factory: UnitOfWorkFactory
    clock: Clock
    ids: IdGenerator
    # Providers, not adapters: a route that never needs one never makes its client.
    images_provider: Callable[[], ImageStore | None] = lambda: None
    profile_copies_provider: Callable[[], ProfileCopies | None] = lambda: None
    notify_provider: Callable[[], NotifyPorts | None] = lambda: None
    hold_for: timedelta = timedelta(hours=24)
    rating_window: timedelta = RATING_WINDOW
    attempts: int = 25

    @property
    def images(self) -> ImageStore | None:
        return self.images_provider()

    @property
    def profile_copies(self) -> ProfileCopies | None:
        return self.profile_copies_provider()

    @property
    def notify(self) -> NotifyPorts | None:
        return self.notify_provider()

    def run(self, use_case: Callable[[UnitOfWork], T]) -> T:
        """Run a use case in a fresh unit of work, again from fresh reads if it lost a race."""
        return with_retries(
            lambda: use_case(self.uow_factory()), attempts=self.attempts, pause=time.sleep
        )

    def image_url(self, item_id: str, image_id: str, variant: str) -> str:
        images = self.images
        if images is None:
            raise LookupError("no image store is configured")
        return images.url_for(item_id, image_id, variant)

    def copy_profile(self, profile: UserProfile) -> None:
        """Refresh the identity provider's copies after a committed profile change.

        Best effort: the change stands either way, and the next one copies again.
        """
        copies = self.profile_copies
        if copies is None:
            return
        try:
            copies.sync(profile.id, profile.location, profile.rating)
        except Exception as error:
            log.warning("profile copy for %s failed: %s", profile.id, type(error).__name__)
