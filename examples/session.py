#!/usr/bin/env python3
"""Clicks through an interactive session, as a configuration page would, printing the valid
values of every option and slot after each click.

    PYTHONPATH=build/python /usr/bin/python3 examples/session.py [catalogs/shoes.yaml]

The customer picks a sneaker in size 47, asks for a crepe sole (refused: the session says why and
what to give up), picks navy, then lets the engine finish the cheapest shoe. Exit status 0 when
every step answers as expected.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import sumisura as s

CATALOG = Path(__file__).resolve().parent.parent / "catalogs" / "shoes.yaml"


def show(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def print_state(state: s.SessionState, before: s.SessionState | None) -> None:
    """Every variable with its valid values; [chosen], (implied), *default*. After the first
    state, only what the click changed."""
    for name, values in state.domains.items():
        if before is not None and before.domains.get(name) == values:
            continue
        marked = []
        for value in values:
            if state.chosen.get(name) == value:
                marked.append(f"[{show(value)}]")
            elif state.implied.get(name) == value:
                marked.append(f"({show(value)})")
            elif name in state.defaults and state.defaults[name] == value:
                marked.append(f"*{show(value)}*")
            else:
                marked.append(show(value))
        print(f"  {name:<18} {' '.join(marked)}")
    print(f"  price: {state.price_min} to {state.price_max} {state.currency}")


def click(
    session: s.Session, name: str, value: str | int | bool, before: s.SessionState
) -> s.SessionState:
    print(f"\n> {name} = {show(value)}")
    answer = session.choose(name, value)
    if not answer:
        explanation = answer.explanation
        assert explanation is not None  # a refusal always says why
        print(f"  refused, because of your choice of {', '.join(map(str, explanation.choices))}:")
        for rule in explanation.rules:
            print(f"    {rule.id}: {rule.message}")
        for drop in session.repairs(name, value):
            print(f"  to get it, give up: {', '.join(map(str, drop))}")
        return before
    state = session.state()
    print_state(state, before)
    return state


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("catalog", nargs="?", default=str(CATALOG))
    args = parser.parse_args(argv)

    configurator = s.Configurator(args.catalog)
    session = configurator.session()

    print("every valid value before any click:")
    state = session.state()
    print_state(state, None)

    state = click(session, "product", "sneaker", state)
    state = click(session, "size", 47, state)
    state = click(session, "sole", "sole_crepe", state)  # crepe soles stop at size 46
    state = click(session, "color", "navy", state)
    if [str(c) for c in session.choices] != ["product=sneaker", "size=47", "color=navy"]:
        print(f"unexpected choices: {session.choices}", file=sys.stderr)
        return 1

    # The page can be closed and resumed: the session is plain JSON.
    saved = session.to_json()
    session = s.Session.from_json(configurator, saved)

    result = session.complete("cheapest")
    print(f"\ncheapest finish: {result!r}")
    for line in result.bom:
        print(f"  {line.block:<16} {line.line_price}")
    return 0 if result.has_product and result.selections["color"] == "navy" else 1


if __name__ == "__main__":
    sys.exit(main())
