"""The Lambda package: what goes in, what stays out, and the same bytes every time."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from deploy.package import build, sizes
from ecobid_entrypoints.functions.catalog import LambdaFunction

TABLE = [
    {"name": "GetItem", "handler": "ecobid_entrypoints.functions.items.get_item"},
    LambdaFunction(
        name="ProcessImageUpload",
        handler="ecobid_entrypoints.functions.images.process_image_upload",
        memory_mb=1024,
        timeout_s=60,
        layers=("core", "images"),
        access=("table_read", "images_read", "images_write"),
    ),
]


def fake_wheel(directory: Path, distribution: str, files: dict[str, bytes]) -> Path:
    """A wheel as pip downloads it: a zip of the package and its dist-info."""
    path = directory / f"{distribution}-1.0-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as wheel:
        for name, content in files.items():
            wheel.writestr(name, content)
        wheel.writestr(f"{distribution}-1.0.dist-info/METADATA", f"Name: {distribution}\n")
    return path


@pytest.fixture
def wheels(tmp_path: Path) -> dict[str, list[Path]]:
    source = tmp_path / "wheels"
    source.mkdir()
    return {
        "core": [
            fake_wheel(source, "attrs", {"attrs/__init__.py": b"x = 1\n"}),
            fake_wheel(
                source,
                "dependency_injector",
                {
                    "dependency_injector/providers.py": b"# compiled elsewhere\n",
                    "dependency_injector/providers.c": b"/* 10 MB of C */\n",
                    "dependency_injector/__pycache__/providers.cpython-312.pyc": b"\0",
                },
            ),
            fake_wheel(source, "boto3", {"boto3/__init__.py": b"# the runtime has it\n"}),
        ],
        "images": [fake_wheel(source, "pillow", {"PIL/Image.py": b"# images\n"})],
    }


def names(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        return archive.namelist()


def test_the_manifest_names_each_function_its_handler_size_code_and_layers(tmp_path, wheels):
    built = build(TABLE, tmp_path / "out", wheels)
    on_disk = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert on_disk == built
    assert (built["runtime"], built["architecture"]) == ("python3.12", "arm64")
    assert built["functions"]["GetItem"] == {
        "handler": "ecobid_entrypoints.functions.items.get_item",
        "memory": 128,
        "timeout": 10,
        "code": "code.zip",
        "layers": ["core"],
        # A row that names no access reaches the table alone.
        "access": ["table_read", "table_write"],
    }
    image = built["functions"]["ProcessImageUpload"]
    assert (image["memory"], image["timeout"], image["layers"]) == (1024, 60, ["core", "images"])
    assert set(built["layers"]) == {"core", "images"}
    # No stream consumer in this table: the stream mapping is left out, not mis-wired.
    assert built["wiring"]["stream"] == {}
    found = sizes(tmp_path / "out", built)
    assert found["ProcessImageUpload"] > found["GetItem"] > 0


def test_the_code_zip_holds_the_project_and_no_tests_caches_or_c_sources(tmp_path, wheels):
    build(TABLE, tmp_path, wheels)
    entries = names(tmp_path / "code.zip")
    assert "ecobid_entrypoints/container.py" in entries
    assert "ecobid_adapters/aws/dynamodb/schema.py" in entries
    assert {entry.split("/")[0] for entry in entries} == {
        "ecobid_core",
        "ecobid_adapters",
        "ecobid_entrypoints",
    }
    assert not [e for e in entries if "__pycache__" in e or e.endswith((".pyc", ".c"))]
    assert entries == sorted(entries)


def test_layers_unpack_wheels_into_python_without_c_sources_or_the_runtimes_boto3(tmp_path, wheels):
    build(TABLE, tmp_path, wheels)
    core = names(tmp_path / "layer-core.zip")
    assert "python/attrs/__init__.py" in core
    assert "python/dependency_injector/providers.py" in core
    assert "python/dependency_injector/providers.c" not in core
    assert not [entry for entry in core if "__pycache__" in entry or "boto3" in entry]
    assert not [entry for entry in core if entry.startswith("python/PIL/")]
    assert "python/PIL/Image.py" in names(tmp_path / "layer-images.zip")


def test_building_twice_gives_the_same_bytes(tmp_path, wheels):
    first = build(TABLE, tmp_path / "a", wheels)
    second = build(TABLE, tmp_path / "b", wheels)
    assert first == second
    for name in ("code.zip", "layer-core.zip", "layer-images.zip", "manifest.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    with zipfile.ZipFile(tmp_path / "a" / "code.zip") as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_a_function_asking_for_an_unknown_access_is_refused(tmp_path, wheels):
    bad = [{"name": "X", "handler": "m.f", "layers": [], "access": ["everything"]}]
    with pytest.raises(ValueError, match="everything"):
        build(bad, tmp_path, wheels)


def test_the_wiring_names_a_function_of_the_table_for_each_trigger() -> None:
    from deploy.functions import project_functions, wiring
    from ecobid_entrypoints.processors.consumers import consumed_event_names

    functions = project_functions()
    names = {function.name for function in functions}
    found = wiring(functions)
    # Every event type a consumer acts on reaches it, outbid notices (BidPlaced) included.
    assert set(found["rules"]) == consumed_event_names() >= {"ItemCreated", "BidPlaced"}
    assert "rate(1 hour)" in found["periodic"]
    assert found["stream"]["outbox"] in names
    assert found["post_confirmation"]["profile"] in names
    assert {name for kind in found.values() for name in kind.values()} <= names


def test_every_trigger_names_a_function_of_the_catalog() -> None:
    from deploy.functions import project_functions, triggers

    names = {function.name for function in project_functions()}
    assert {name for kind in triggers().values() for name in kind.values()} <= names


def test_a_trigger_without_a_function_is_left_out() -> None:
    from deploy.functions import LambdaFunction, consumed_events, wiring

    only = [LambdaFunction(name="OnDomainEvent", handler="m.f")]
    assert wiring(only)["rules"] == dict.fromkeys(consumed_events(), "OnDomainEvent")
    assert wiring(only)["stream"] == {}
