"""Specifications, profiles and orders given as Python dicts, turned into the JSON text the
engine's readers read.

A dict spec has exactly the shape of a YAML or JSON spec file (docs/spec-format.md), a dict
profile that of a profile file, a dict order that of one line of a JSON orders file. Rather than
interpret them here, the bindings serialise them to JSON and hand them to the engine's readers
(sumisura::parse_spec, parse_profile, parse_orders), so that dicts and files can never mean
different things.
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


def profile_to_json(profile: Mapping[str, Any]) -> str:
    """The JSON text of a dict profile (keys id, tier, prefer, orders). ``prefer`` may be a dict
    {condition: weight} as in specs; an order may be a ``sumisura.Order`` (its ``to_dict()``)."""
    from ._core import Order

    if not isinstance(profile, Mapping):
        raise TypeError(f"a profile is a dict, a path or a Profile, not {type(profile).__name__}")
    out: dict[str, Any] = {}
    for key, value in profile.items():
        if value is None:
            continue  # as if not given: {"tier": None} is a customer without a tier
        if key == "prefer" and isinstance(value, Mapping):
            value = [{condition: weight} for condition, weight in value.items()]
        elif key == "orders" and isinstance(value, (list, tuple)):
            value = [o.to_dict() if isinstance(o, Order) else o for o in value]
        out[key] = value
    return json.dumps(_plain(out, "profile"), ensure_ascii=False)


def _json_text(value: Any, where: str) -> str:
    """JSON text in which Decimals and floats stay numbers, written exactly."""
    if value is None or isinstance(value, (bool, int, str)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (float, Decimal)):
        return _number_text(value)  # NaN and infinities make the reader say the JSON is malformed
    if isinstance(value, Mapping):
        items = []
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"orders: keys are text, not {key!r} (in {where})")
            text = _json_text(item, f"{where}.{key}")
            items.append(json.dumps(key, ensure_ascii=False) + ": " + text)
        return "{" + ", ".join(items) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_json_text(x, f"{where}[{i}]") for i, x in enumerate(value)) + "]"
    raise TypeError(
        f"orders: cannot use {type(value).__name__} {value!r} in {where}; "
        "use text, numbers, booleans, lists and dicts as in a JSON orders file"
    )


def order_to_json(order: Any, where: str) -> str:
    """One line of JSON orders: a dict order ({"choices": {...}, "total": N}, a configure
    result's or a saved session's dict), or a ``ConfigureResult`` (its ``to_dict()``)."""
    from ._results import ConfigureResult

    if isinstance(order, ConfigureResult):
        order = order.to_dict()
    if not isinstance(order, Mapping):
        raise TypeError(
            f"{where}: an order is a sumisura.Order, a dict {{'choices': {{...}}, 'total': N}} "
            f"or a ConfigureResult, not {type(order).__name__}"
        )
    return _json_text(order, where)
