"""Unknown keyword arguments reported as UsageError, naming the accepted ones.

pybind11 answers a call with an unknown keyword by a TypeError that dumps every overload's
signature ("incompatible function arguments ... Invoked with"). install() wraps each function,
constructor and method of the _core module once, at import: a call runs unchanged, and only when
it raises TypeError and names a keyword that no overload takes is the error replaced. The accepted
keywords come from the signatures pybind11 writes at the top of each docstring.
"""

from __future__ import annotations

import functools
import re
import types
from typing import Any, Callable, Optional

from ._errors import UnknownKeywordError

# YAML keys whose Python keyword has another name (docs/python.md, "The classes"): suggested even
# though they are too far apart for the spelling check.
_YAML_KEYS = {
    "requires": "requires_blocks",
    "excludes": "excludes_blocks",
    "default": "default_value",
    "type": "kind",
    "allow": "rows",
    "forbid": "rows",
}


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, or limit + 1 once it is certain to exceed limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def closest_name(name: str, candidates: Any) -> str:
    """The candidate spelt like name but for case or at most two edits; '' when none is.

    The rule of the engine's own suggestions (closest_name in engine/src/model/resolve.cpp).
    """
    best, best_distance = "", 3
    lowered = name.lower()
    for candidate in candidates:
        if candidate == name:
            continue
        d = 0 if candidate.lower() == lowered else _edit_distance(name, candidate, 2)
        if d < best_distance:
            best, best_distance = candidate, d
    return best


def _parameters(doc: str, start: int) -> list[str]:
    """The top-level comma-separated parts of the parameter list that opens at doc[start - 1]
    (defaults may hold commas, brackets and quoted text)."""
    parts, depth, quote, i = [], 0, "", start
    while i < len(doc):
        c = doc[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = ""
        elif c in "'\"":
            quote = c
        elif c in "([{<":
            depth += 1
        elif c in ")]}>" and depth:
            depth -= 1
        elif c == ")":
            break
        elif c == "," and depth == 0:
            parts.append(doc[start:i])
            start = i + 1
        i += 1
    parts.append(doc[start:i])
    return [p.strip() for p in parts if p.strip()]


def keywords_of(func: Any) -> Optional[tuple[str, ...]]:
    """Every keyword some overload of a pybind11 function takes, in signature order, read from
    its docstring; None when the docstring has no signature or an overload takes **kwargs."""
    doc = getattr(func, "__doc__", None) or ""
    name = getattr(func, "__name__", "")
    names: dict[str, None] = {}
    found = False
    for match in re.finditer(r"^(?:\d+\. )?" + re.escape(name) + r"\(", doc, re.MULTILINE):
        parameters = _parameters(doc, match.end())
        if parameters == ["*args", "**kwargs"] and "Overloaded function." in doc:
            continue  # the summary line above the overloads
        found = True
        if "/" in parameters:  # positional-only before it
            parameters = parameters[parameters.index("/") + 1 :]
        for parameter in parameters:
            if parameter.startswith("**"):
                return None
            keyword = re.split(r"[:=]", parameter, maxsplit=1)[0].strip()
            # self, the * marker, *args, and the arg0... of unnamed (positional) arguments
            if keyword != "self" and not keyword.startswith("*") and not re.fullmatch(
                r"arg\d+", keyword
            ):
                names[keyword] = None
    return tuple(names) if found else None


def _message(where: str, unknown: list[str], accepted: tuple[str, ...]) -> str:
    parts = []
    for keyword in unknown:
        text = f"unknown keyword '{keyword}'"
        hint = closest_name(keyword, accepted)
        if not hint and _YAML_KEYS.get(keyword) in accepted:
            hint = _YAML_KEYS[keyword]
        if hint:
            text += f" (did you mean '{hint}'?)"
        parts.append(text)
    if not accepted:
        return f"{where}: {'; '.join(parts)}; it takes no keyword arguments"
    return f"{where}: {'; '.join(parts)}; it takes: {', '.join(accepted)}"


def _wrap(
    func: Callable[..., Any], qualname: str, where: str, accepted: tuple[str, ...]
) -> Callable[..., Any]:
    known = frozenset(accepted)

    @functools.wraps(func)
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except TypeError:
            # A keyword no overload takes fails pybind11's dispatch before any code runs, so a
            # TypeError that comes with one is always that failure.
            unknown = [k for k in kwargs if k not in known]
            if not unknown:
                raise
            raise UnknownKeywordError(_message(where, unknown, accepted)) from None

    # pybind11 calls its functions PyCapsule.NAME; the wrapper's own name lets pickle find it.
    call.__qualname__ = qualname
    call.__sumisura_keywords__ = accepted  # type: ignore[attr-defined]
    return call


def _is_binding(value: Any) -> bool:
    return isinstance(value, types.BuiltinFunctionType)


def install(core: types.ModuleType) -> None:
    """Wraps the module's functions and its classes' constructors and methods, in place."""
    for name, value in list(vars(core).items()):
        if name.startswith("_"):
            continue
        if _is_binding(value):
            accepted = keywords_of(value)
            if accepted is not None:
                setattr(core, name, _wrap(value, name, f"{name}()", accepted))
        elif isinstance(value, type) and not hasattr(value, "__members__"):  # not an enum
            _install_class(value)


def _install_class(cls: type) -> None:
    for name, raw in list(vars(cls).items()):
        if name.startswith("_") and name != "__init__":
            continue
        static = isinstance(raw, staticmethod)
        # pybind11 stores methods as instancemethod (or staticmethod) around a builtin function.
        func = getattr(raw, "__func__", raw)
        if not _is_binding(func):
            continue  # properties, and anything already wrapped
        accepted = keywords_of(func)
        if accepted is None:
            continue
        where = f"{cls.__name__}()" if name == "__init__" else f"{cls.__name__}.{name}()"
        wrapped = _wrap(func, f"{cls.__name__}.{name}", where, accepted)
        setattr(cls, name, staticmethod(wrapped) if static else wrapped)
