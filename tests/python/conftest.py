"""Shared fixtures for the Python tests: where the repository is, and a complete catalog."""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time
from pathlib import Path
from typing import Any, Callable

import pytest

import sumisura as s

SOURCE_DIR = Path(os.environ.get("SUMISURA_SOURCE_DIR", Path(__file__).resolve().parents[2]))
# The command-line tool of the same build (set by CTest), whose JSON the Python results mirror.
CLI = os.environ.get("SUMISURA_CLI", "")

SHOES = SOURCE_DIR / "catalogs" / "shoes.yaml"
BICYCLE = SOURCE_DIR / "catalogs" / "bicycle.yaml"
KITCHEN = SOURCE_DIR / "catalogs" / "kitchen.yaml"
SHOES_SPEC = SOURCE_DIR / "examples" / "specs" / "shoes.yaml"
SHOES_IMPOSSIBLE = SOURCE_DIR / "examples" / "specs" / "shoes-impossible.yaml"


def run_cli(*args: Any, stdin: str | None = None, expect: tuple[int, ...] = (0,)) -> str:
    """Runs the `sumisura` command of this build; skips the test when there is none."""
    if not CLI or not Path(CLI).is_file():
        pytest.skip("the sumisura command is not built (SUMISURA_CLI)")
    done = subprocess.run(
        [CLI, *map(str, args)], input=stdin, capture_output=True, text=True, timeout=300
    )
    assert done.returncode in expect, done.stderr
    return done.stdout


def cli_json(*args: Any, expect: tuple[int, ...] = (0,)) -> Any:
    return json.loads(run_cli(*args, expect=expect))


def pause_while(call: Callable[[], Any]) -> tuple[float, float]:
    """Runs `call` in a thread while this one keeps looping; returns the longest pause between two
    turns of the loop and how long `call` took. Were the GIL held for the whole call, the pause
    would be the call's length."""
    done = threading.Event()
    length: list[float] = []

    def work() -> None:
        start = time.perf_counter()
        call()
        length.append(time.perf_counter() - start)
        done.set()

    worker = threading.Thread(target=work)
    longest_pause, last = 0.0, time.perf_counter()
    worker.start()
    while not done.is_set():
        now = time.perf_counter()
        longest_pause, last = max(longest_pause, now - last), now
        time.sleep(0.001)
    worker.join()
    return longest_pause, length[0]


def without_stats(result: dict[str, Any]) -> dict[str, Any]:
    """A configure result's JSON without its timings (nor those of the repairs' results)."""
    out = {k: v for k, v in result.items() if k != "stats"}
    if "repairs" in out:
        out["repairs"] = [
            {**r, "result": without_stats(r["result"]) if r["result"] else None}
            for r in out["repairs"]
        ]
    return out


def shipped_catalogs() -> list[Path]:
    """The catalogs in catalogs/ (others add them over time; there may be none yet)."""
    folder = SOURCE_DIR / "catalogs"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml"))


def make_shoe_catalog() -> s.Catalog:
    """A catalog built in Python that uses every construct of the format at least once."""
    return s.Catalog(
        "Made-to-measure shoes",
        version="2026.1",
        currency="EUR",
        description="Shoes built from soles, uppers and insoles.",
        attributes=[
            s.AttributeDecl("weight", type=s.AttributeType.number, unit="g"),
            s.AttributeDecl("lead_days", type=s.AttributeType.number, unit="days", default_value=3),
            s.AttributeDecl("material", type=s.AttributeType.string, default_value="none"),
            s.AttributeDecl("sizes", type=s.AttributeType.number_set),
            s.AttributeDecl("vegan", type=s.AttributeType.boolean, default_value=False),
            s.AttributeDecl("finishes", type=s.AttributeType.string_set, default_value=["matte"]),
        ],
        options=[
            s.Option.integer_range("size", 36, 48, label="EU size", default_value=42),
            s.Option.enumeration(
                "color",
                ["black", "navy", s.OptionValue("oxblood", label="Oxblood", price=15)],
                label="Colour",
                default_value="black",
            ),
            s.Option.boolean("gift_box", price=5, label="Gift box"),
            s.Option(
                "width",
                kind=s.OptionKind.integer,
                values=[s.OptionValue(1), s.OptionValue(2, price="7.5"), s.OptionValue(3)],
                description="Fitting width",
            ),
        ],
        blocks=[
            s.Block(
                "sole_leather",
                label="Leather sole",
                price=45,
                attributes={
                    "material": "leather",
                    "weight": 220,
                    "lead_days": 5,
                    "sizes": [38, 39, 40, 41, 42],
                    "finishes": ["matte", "gloss"],
                },
                requires_blocks=["welt_goodyear"],
            ),
            s.Block(
                "sole_rubber",
                label="Rubber sole",
                price="19.90",
                attributes={"material": "rubber", "weight": 310.5, "vegan": True},
                excludes_blocks=["welt_goodyear"],
            ),
            s.Block("welt_goodyear", label="Goodyear welt", price=30, attributes={"lead_days": 2}),
            s.Block("upper_calf", price=80, attributes={"material": "leather"}),
            s.Block("upper_canvas", price=35, attributes={"material": "canvas", "vegan": True}),
            s.Block("insole_cork", price=12),
            s.Block("lace_red", price=2),
        ],
        slots=[
            s.Slot("sole", blocks=["sole_leather", "sole_rubber"]),
            s.Slot("welt", min=0, max=1, blocks=["welt_goodyear"]),
            s.Slot("upper", label="Upper", blocks=["upper_calf", "upper_canvas"]),
            s.Slot("insole", min=0, max=1, blocks=["insole_cork"]),
            s.Slot("laces", min=0, max=3, repeat=True, blocks=["lace_red"]),
        ],
        products=[
            s.Product(
                "oxford",
                label="Oxford",
                base_price=120,
                slots=["sole", "welt", "upper", "insole", "laces"],
            ),
            s.Product(
                "sneaker", base_price="89.5", options=["size", "color"], slots=["sole", "upper"]
            ),
        ],
        services=[
            s.Service("engraving", price=12, offered_when='upper.material == "leather"'),
            s.Service("warranty", price=s.PriceSpec(percent=10, of="product")),
            s.Service("fitting", label="Fitting", price=s.PriceSpec(5, percent=2, of="blocks")),
        ],
        bundles=[
            s.Bundle("care_kit", items=["insole_cork", "engraving"], discount_percent=15),
            s.Bundle("lace_deal", label="Laces", items=["lace_red", "warranty"], discount_amount=1),
        ],
        tiers=[s.Tier("gold", label="Gold", discount_percent=5)],
        measures=[
            s.Measure("lead_time", unit="days", expression="max(lead_days)"),
            s.Measure("weight_total", label="Weight", unit="g", expression="sum(weight)"),
        ],
        rules=[
            s.Rule(
                "leather-sizes",
                message="The leather sole is made in sizes 38 to 42 only.",
                expression="size in sole.sizes",
            ),
            s.Rule(
                "welt-for-leather",
                message="Leather uppers need a welted sole.",
                when='upper.material == "leather"',
                expression="welt != none",
                products=["oxford"],
            ),
            s.Rule(
                "no-navy-canvas",
                message="Canvas does not come in navy.",
                kind=s.RuleKind.forbid,
                expression="upper == upper_canvas and color == navy",
            ),
            s.Rule(
                "sole-upper",
                message="This sole does not go with this upper.",
                kind=s.RuleKind.table,
                columns=["sole", "upper"],
                rows=[["sole_leather", "upper_calf"], ["sole_rubber", "*"]],
            ),
            s.Rule(
                "no-gift-wide",
                message="Wide shoes do not fit the gift box.",
                kind=s.RuleKind.table,
                columns=["gift_box", "width"],
                rows=[["true", "3"]],
                rows_allowed=False,
            ),
            s.Rule(
                "light", message="Too heavy.", expression="weight_total <= 2000 and lead_time <= 30"
            ),
        ],
    )


@pytest.fixture
def shoes() -> s.Catalog:
    return make_shoe_catalog()
