"""Specifications given as Python dicts, turned into the JSON text the engine's spec reader reads.

A dict spec has exactly the shape of a YAML or JSON spec file (docs/spec-format.md). Rather than
interpret it here, the configurator serialises it to JSON and hands it to the engine's reader
(sumisura::parse_spec), so that dicts and files can never mean different things.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from decimal import Decimal
from typing import Any


def _number_text(value: Decimal | float) -> str:
    """Exact fixed-point text: Decimal("1E+3") -> "1000", 0.1 -> "0.1" (through its repr)."""
    if isinstance(value, float):
        if not math.isfinite(value):
            return repr(value)  # the reader says it is not a number
        value = Decimal(repr(value))
    if not value.is_finite():
        return str(value)
    return format(value, "f")


def _plain(value: Any, where: str) -> Any:
    """JSON-ready data: numbers other than int become their exact text (the reader reads numbers
    from text), tuples become lists, mapping keys must be text."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, (float, Decimal)):
        return _number_text(value)
    if isinstance(value, Mapping):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"specification: keys are text, not {key!r} (in {where})")
            out[key] = _plain(item, f"{where}.{key}")
        return out
    if isinstance(value, (list, tuple)):
        return [_plain(item, f"{where}[{i}]") for i, item in enumerate(value)]
    raise TypeError(
        f"specification: cannot use {type(value).__name__} {value!r} in {where}; "
        "use text, numbers, booleans, lists and dicts as in a YAML spec"
    )


def spec_to_json(spec: Mapping[str, Any]) -> str:
    """The JSON text of a dict spec. ``prefer`` may be a dict {condition: weight}: it becomes the
    list of one-entry mappings the format writes, in the dict's order."""
    if not isinstance(spec, Mapping):
        raise TypeError(
            f"a specification is a dict, a path or None, not {type(spec).__name__}"
        )
    out: dict[str, Any] = {}
    for key, value in spec.items():
        if key == "prefer" and isinstance(value, Mapping):
            value = [{condition: weight} for condition, weight in value.items()]
        out[key] = value
    return json.dumps(_plain(out, "spec"), ensure_ascii=False)
