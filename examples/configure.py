#!/usr/bin/env python3
"""Configures a pair of shoes from a specification written as a Python dict, prints its price and
bill of materials, then asks for a pair that cannot be made and prints why and what to change.

    PYTHONPATH=build/python /usr/bin/python3 examples/configure.py [catalogs/shoes.yaml]

Exit status 0 when both answers are as expected (a product, then an explained refusal).
"""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal
from pathlib import Path

import sumisura as s

CATALOG = Path(__file__).resolve().parent.parent / "catalogs" / "shoes.yaml"

# The format of docs/spec-format.md, as a dict: what the customer requires, prefers (with
# weights, in order) and can spend, and their customer tier.
WISH = {
    "product": "oxford",
    "require": ["size == 43", 'upper.material == "leather"', "gift_box"],
    "prefer": {"color == oxblood": 3, "engraving": 2, "insole != none": 1},
    "max": {"price": 450, "lead_time": 28},
    "tier": "atelier_club",
}

# A white suede sneaker on a leather sole for at most 120 EUR: no such shoe exists.
IMPOSSIBLE = {
    "product": "sneaker",
    "require": ["upper == upper_suede", "color == white", 'sole.material == "leather"'],
    "max": {"price": 120},
}


def money(amount: Decimal) -> str:
    return f"{amount:>8.2f}"


def print_product(result: s.ConfigureResult) -> None:
    print(f"{result.product} ({result.status})")
    for name, value in result.selections.items():
        print(f"  {name:<20} {value}")
    if result.services:
        print(f"  services: {', '.join(result.services)}")

    print("\nbill of materials (assembly order):")
    for line in result.bom:
        print(f"  {line.quantity} x {line.label:<36} {line.slot:<8} {money(line.line_price)}")

    price = result.price
    assert price is not None  # there is a product
    print(f"\nprice ({price.currency}):")
    for name in ("base", "options", "blocks", "services", "bundles", "tier"):
        amount = getattr(price, name)
        if amount:
            print(f"  {name:<10} {money(amount)}")
    print(f"  {'total':<10} {money(price.total)}")

    print()
    for name, value in result.measures.items():
        print(f"  {name}: {value}")
    for preference in result.preferences:
        met = "met" if preference.met else "not met"
        print(f"  [{met}] {preference.expression} (weight {preference.weight})")


def print_refusal(result: s.ConfigureResult) -> None:
    print(f"status: {result.status}; these wishes cannot hold together:")
    for requirement in result.conflict:
        print(f"  - {requirement}")
    print("because of:")
    for rule in result.conflict_rules:
        print(f"  - {rule.id}: {rule.message} ({Path(rule.file).name}:{rule.line})")
    print("what to change (best first):")
    for number, repair in enumerate(result.repairs, 1):
        drop = ", ".join(f"[{d}]" for d in repair.drop)
        relax = "".join(f" or raise [{x.requirement}] to {x.to}" for x in repair.relax)
        outcome = repair.result
        if outcome is not None and outcome.price is not None:
            relax += f" -> {outcome.product}, {outcome.price.total} {outcome.price.currency}"
        print(f"  {number}. give up {drop}{relax}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("catalog", nargs="?", default=str(CATALOG))
    args = parser.parse_args(argv)

    configurator = s.Configurator(args.catalog)

    result = configurator.configure(WISH)
    if not result.has_product:
        print(f"unexpected: {result!r}", file=sys.stderr)
        return 1
    print_product(result)

    print("\n---\n")
    refused = configurator.configure(IMPOSSIBLE)
    if refused.status != s.Status.infeasible or not refused.conflict or not refused.repairs:
        print(f"unexpected: {refused!r}", file=sys.stderr)
        return 1
    print_refusal(refused)
    return 0


if __name__ == "__main__":
    sys.exit(main())
