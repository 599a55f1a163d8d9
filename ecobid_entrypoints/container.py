"""The dependency-injector container: which adapters serve the ports, by configuration.

Built once per process (a Lambda cold start, a local server); units of work come from it
fresh for every attempt of every request.
"""

from __future__ import annotations

from datetime import timedelta

from dependency_injector import containers, providers

from ecobid_adapters.memory import MemoryStore, MemoryUnitOfWork
from ecobid_adapters.memory.events import InProcessEventBus
from ecobid_adapters.memory.tokens import LocalTokens
from ecobid_adapters.system import AdjustableClock, UuidIds
from ecobid_entrypoints.api.app import ApiApp
from ecobid_entrypoints.api.deps import AppDeps
from ecobid_entrypoints.processors.consumers import notify


class Container(containers.DeclarativeContainer):
    config = providers.Configuration()

    clock = providers.Singleton(AdjustableClock)
    ids = providers.Singleton(UuidIds)

    memory_store = providers.Singleton(MemoryStore)
    event_bus = providers.Singleton(InProcessEventBus)

    unit_of_work = providers.Selector(
        config.backend,
        memory=providers.Factory(MemoryUnitOfWork, store=memory_store),
    )

    tokens = providers.Selector(
        config.backend,
        memory=providers.Singleton(LocalTokens, clock=clock),
    )

    deps = providers.Singleton(
        AppDeps,
        uow_factory=unit_of_work.provider,
        clock=clock,
        ids=ids,
        hold_for=providers.Factory(timedelta, hours=config.hold_hours.as_float()),
    )

    api = providers.Singleton(ApiApp, deps=deps)


def build_container(backend: str = "memory", hold_hours: float = 24.0) -> Container:
    container = Container()
    container.config.from_dict({"backend": backend, "hold_hours": hold_hours})
    if backend == "memory":
        _deliver_in_process(container)
    return container


def _deliver_in_process(container: Container) -> None:
    """Memory commits go to the in-process bus, and the bus to the consumers."""
    bus = container.event_bus()
    container.memory_store().subscribers.append(bus.publish)
    uow_factory = container.unit_of_work
    bus.subscribe(lambda event: notify(event, uow_factory))
