"""Factories named by import path, imported when first called.

At 128 MB a Lambda function has a small share of a CPU, so every module imported at a
cold start is paid for on each one. The container names its adapters this way so that a
function imports only the adapters it calls.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def resolve(path: str) -> Any:
    """The object at ``"package.module:Name.attr"``."""
    module_name, _, attributes = path.partition(":")
    found: Any = importlib.import_module(module_name)
    for name in filter(None, attributes.split(".")):
        found = getattr(found, name)
    return found


def lazy(path: str) -> Callable[..., Any]:
    """A callable that imports ``path`` on its first call and then calls what it names."""
    target: list[Any] = []

    def make(*args: Any, **kwargs: Any) -> Any:
        if not target:
            target.append(resolve(path))
        return target[0](*args, **kwargs)

    make.__qualname__ = make.__name__ = path
    return make
