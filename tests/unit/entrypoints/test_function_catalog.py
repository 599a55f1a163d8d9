"""The table of Lambda functions: every route has one, every handler can be found."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ecobid_entrypoints.api.routes import ROUTES
from ecobid_entrypoints.functions.catalog import FUNCTIONS, MEMORY_MB, by_name
from ecobid_entrypoints.lazy import resolve

# jsonschema too: a function loads it with the first body it parses, not at its start.
# A deployed function is wired without dependency-injector, which would pull asyncio in.
HEAVY = {"PIL", "jwt", "cryptography", "moto", "jsonschema", "dependency_injector", "asyncio"}
API_FUNCTIONS = [function for function in FUNCTIONS if function.name in {r.name for r in ROUTES}]


def test_every_route_has_a_function_of_its_name() -> None:
    names = [function.name for function in FUNCTIONS]
    assert len(names) == len(set(names))
    assert {route.name for route in ROUTES} <= set(names)


def test_every_handler_resolves_to_a_function_named_as_its_path() -> None:
    for function in FUNCTIONS:
        module, _, name = function.handler.rpartition(".")
        handler = resolve(f"{module}:{name}")
        assert callable(handler), function.name
        assert (handler.__module__, handler.__name__) == (module, name)
        assert function.name in (handler.__doc__ or ""), function.name


def test_the_processors_are_in_the_table() -> None:
    assert {"ForwardOutbox", "OnDomainEvent", "EndAuctions", "CancelExpiredReservations"} <= {
        function.name for function in FUNCTIONS
    }
    assert by_name("ForwardOutbox").timeout_s == 30


def test_sizes_are_within_lambda_limits() -> None:
    for function in FUNCTIONS:
        assert 128 <= function.memory_mb <= 10240
        assert 1 <= function.timeout_s <= 900
        assert function.layers


# Configured as Terraform configures a function; nothing here is called over the network.
ENV = {
    "ECOBID_BACKEND": "aws",
    "ECOBID_TABLE": "t",
    "ECOBID_BUCKET": "b",
    "ECOBID_BUS": "e",
    "ECOBID_USER_POOL_ID": "eu-central-1_abc",
    "ECOBID_CLIENT_ID": "c",
    "AWS_REGION": "eu-central-1",
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
}


def _imported_by(module: str) -> set[str]:
    """Top-level packages in a fresh process that imported ``module`` and built what
    its first request uses: the container, the API dispatcher, a unit of work."""
    code = (
        f"import json, sys; import {module}\n"
        "from ecobid_entrypoints.functions.runtime import container\n"
        "app = container(); app.api(); app.unit_of_work()\n"
        "print(json.dumps(sorted({name.split('.')[0] for name in sys.modules})))"
    )
    out = subprocess.run(  # noqa: S603 - this interpreter, our own code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=ENV
    ).stdout
    return set(json.loads(out))


_API_MODULES = sorted({function.handler.rpartition(".")[0] for function in API_FUNCTIONS})


@pytest.mark.parametrize("module", _API_MODULES)
def test_an_api_entry_module_imports_nothing_heavy(module: str) -> None:
    assert _imported_by(module) & HEAVY == set()


@pytest.mark.parametrize(
    "module",
    sorted({function.handler.rpartition(".")[0] for function in FUNCTIONS} - set(_API_MODULES)),
)
def test_a_processor_entry_module_imports_no_api_code(module: str) -> None:
    code = f"import sys, {module}; print('ecobid_entrypoints.api' in sys.modules)"
    done = subprocess.run(  # noqa: S603 - this interpreter, our own code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "False"


_VIEWS = "ecobid_entrypoints.api.views"


def _views_loaded_by(code: str, env: dict[str, str] | None = None) -> list[str]:
    """The modules of ``api.views`` in a fresh process once ``code`` has run."""
    listing = f"sorted(m for m in sys.modules if m.startswith({_VIEWS!r}))"
    script = f"import json, sys\n{code}\nprint(json.dumps({listing}))"
    done = subprocess.run(  # noqa: S603 - this interpreter, our own code
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[3],
        env=env,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_route_table_imports_no_view() -> None:
    # Every API function imports the table: a view imported by it (for its parameter
    # declarations, say) is paid for by every function's cold start, with its services.
    assert _views_loaded_by("import ecobid_entrypoints.api.routes") == []


def test_a_function_imports_its_own_view_and_no_other() -> None:
    code = (
        "import json\n"
        "from ecobid_entrypoints.functions.items import get_item\n"
        "from tests.support.lambda_events import proxy_event\n"
        "event = proxy_event('GET', '/items/{id}', '/items/none', params={'id': 'none'})\n"
        "assert get_item(event)['statusCode'] == 404\n"
    )
    loaded = _views_loaded_by(code, {**ENV, "ECOBID_BACKEND": "memory"})
    assert loaded == [_VIEWS, f"{_VIEWS}.items"]


def test_every_route_names_a_view_that_exists() -> None:
    # Views are named by import path and imported on their first call: a wrong name
    # would fail only when that route is first asked for.
    for route in ROUTES:
        assert callable(resolve(route.view.__name__)), route.name


def test_terraform_is_given_each_function_its_catalog_memory() -> None:
    from deploy.functions import project_functions

    memory = {function.name: function.memory for function in project_functions()}
    assert all(memory[name] == mb for name, mb in MEMORY_MB.items())
    assert memory["GetItems"] == memory["GetItem"] > 128 == memory["ForwardOutbox"]


def test_every_api_function_has_the_memory_its_cold_start_needs() -> None:
    # At 128 MB no API function's cold start fits in half its timeout (BENCHMARKS.md,
    # "memory"): a route added without a MEMORY_MB row would time out on its first call.
    short = {r.name: by_name(r.name).memory_mb for r in ROUTES if by_name(r.name).memory_mb < 256}
    assert short == {}
