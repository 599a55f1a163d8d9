"""In-memory adapters: the embedded default, for tests, the local server and tools."""

from ecobid_adapters.memory.store import MemoryStore
from ecobid_adapters.memory.unit_of_work import MemoryUnitOfWork

__all__ = ["MemoryStore", "MemoryUnitOfWork"]
