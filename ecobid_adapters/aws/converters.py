"""What every cattrs converter at the AWS edge shares: UTC times as text, field overrides."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn

from ecobid_core.timefmt import parse_utc, utc_iso


def utc_converter() -> cattrs.Converter:
    """A converter that writes times as fixed-width UTC ISO text and reads them back."""
    converter = cattrs.Converter()
    converter.register_unstructure_hook(datetime, utc_iso)
    converter.register_structure_hook(datetime, lambda value, _type: parse_utc(value))
    return converter


def register_fields(converter: cattrs.Converter, cls: type, overrides: dict[str, Any]) -> None:
    """Both directions for an attrs class, with cattrs ``override``s by field name."""
    converter.register_unstructure_hook(cls, make_dict_unstructure_fn(cls, converter, **overrides))
    converter.register_structure_hook(cls, make_dict_structure_fn(cls, converter, **overrides))
