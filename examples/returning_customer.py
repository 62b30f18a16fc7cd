#!/usr/bin/env python3
"""A returning customer configures shoes again: one-to-one customization with a memory.

    PYTHONPATH=build/python /usr/bin/python3 examples/returning_customer.py

The shop learns a preference model from a season of sales (examples/orders/shoes-history.txt).
A stranger is offered what sells best; Anna, who bought twice before (a profile the shop's backend
keeps: examples/profiles/returning-customer.yaml), is offered her size and her colour first, and
pays the price of the tier her past orders earned (the catalog's "loyal" tier, 8% from 600 EUR
spent). Exit status 0 when every step answers as expected.
"""

from __future__ import annotations

import sys
from pathlib import Path

import sumisura as s

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "catalogs" / "shoes.yaml"
HISTORY = ROOT / "examples" / "orders" / "shoes-history.txt"
PROFILE = ROOT / "examples" / "profiles" / "returning-customer.yaml"


def top(ranking: list[s.ScoredValue], n: int = 3) -> str:
    return ", ".join(f"{r.value} ({r.score:.0%})" for r in ranking[:n])


def main() -> int:
    shop = s.Configurator(CATALOG)
    model = s.PreferenceModel.learn(shop, str(HISTORY))
    print(f"learned from {model.orders} sales: {model.describe()}")
    shop = shop.with_preferences(model)
    anna = s.load_profile(str(PROFILE))
    spent = s.lifetime_value(shop, anna)
    tier = s.tier_of(shop, anna)
    print(f"{anna.id}: {len(anna.orders)} past orders, {spent} EUR spent, tier {tier}")

    stranger = shop.session()
    known = shop.session(profile=anna)
    for session in (stranger, known):
        session.choose("product", "oxford")
    ok = True
    for name in ("size", "color", "toe"):
        theirs, hers = stranger.recommend(name), known.recommend(name)
        print(f"  {name:6} stranger: {top(theirs)}")
        print(f"  {'':6} {anna.id}:   {top(hers)}")
    ok &= known.recommend("size")[0].value == 39
    ok &= known.recommend("color")[0].value == "navy"
    ok &= known.recommend("toe")[0].value == "almond"  # what she said she likes

    nxt = known.recommend_next()
    print(f"ask her next about: {nxt.name} (proposing {nxt.values[0].value})")

    # She accepts every suggestion: the most likely shoe for her, at her tier's price.
    shoe = known.complete("most_likely")
    plain = stranger.complete("most_likely")
    print(f"her shoe: size {shoe.selections['size']}, {shoe.selections['color']}, "
          f"{shoe.selections['toe']} toe: {shoe.price.total} EUR (tier {shoe.price.tier})")
    print(f"a stranger's: size {plain.selections['size']}, {plain.selections['color']}: "
          f"{plain.price.total} EUR")
    ok &= tier == "loyal" and shoe.price.tier < 0 and plain.price.tier == 0
    ok &= shoe.selections["size"] == 39 and shoe.selections["color"] == "navy"
    print("as expected" if ok else "UNEXPECTED ANSWER")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
