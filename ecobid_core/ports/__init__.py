"""Ports: what the domain needs from the world, as Protocols the adapters satisfy."""

from ecobid_core.ports.repositories import (
    BidRepository,
    Hit,
    ItemRepository,
    NearbySearch,
    Page,
    RatingRepository,
    ReservationRepository,
    TransactionRepository,
    UserRepository,
)
from ecobid_core.ports.scheduler import Scheduler
from ecobid_core.ports.services import (
    Clock,
    EventPublisher,
    IdGenerator,
    ImageProcessor,
    ImageStore,
    Moderator,
    ProfileCopies,
    TokenVerifier,
)
from ecobid_core.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory

__all__ = [
    "BidRepository",
    "Clock",
    "EventPublisher",
    "Hit",
    "IdGenerator",
    "ImageProcessor",
    "ImageStore",
    "ItemRepository",
    "Moderator",
    "NearbySearch",
    "Page",
    "ProfileCopies",
    "RatingRepository",
    "ReservationRepository",
    "Scheduler",
    "TokenVerifier",
    "TransactionRepository",
    "UnitOfWork",
    "UnitOfWorkFactory",
    "UserRepository",
]
