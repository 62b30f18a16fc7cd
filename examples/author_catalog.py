#!/usr/bin/env python3
"""Authors a made-to-measure shirt catalog in Python, validates it and saves it as YAML.

    PYTHONPATH=build/python /usr/bin/python3 examples/author_catalog.py [shirt.yaml]

Exit status 0 when the catalog is valid (warnings are fine), 1 when validation finds errors.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import sumisura as s


def shirt_catalog() -> s.Catalog:
    catalog = s.Catalog(
        "Made-to-measure shirts",
        version="2026.1",
        currency="EUR",
        description="Shirts cut to the customer's collar and sleeve.",
    )

    catalog.attributes = [
        s.AttributeDecl("lead_days", unit="days", default_value=0),
        s.AttributeDecl("weight", unit="g"),
        s.AttributeDecl("formal", type=s.AttributeType.boolean, default_value=False),
        s.AttributeDecl("weave", type=s.AttributeType.string, default_value="plain"),
    ]

    catalog.options = [
        s.Option.integer_range("collar_size", 37, 46, label="Collar size (cm)", default_value=40),
        s.Option.integer_range(
            "sleeve_length", 58, 70, label="Sleeve length (cm)", default_value=64
        ),
        s.Option.enumeration(
            "fit",
            ["slim", "regular", s.OptionValue("relaxed", label="Relaxed (more cloth)", price=8)],
            label="Fit",
            default_value="regular",
        ),
        s.Option.boolean("breast_pocket", price=5, label="Breast pocket"),
    ]

    # Blocks are added one by one here to show that the lists are live: appending to
    # catalog.blocks edits the catalog.
    for block in [
        s.Block("collar_kent", label="Kent collar", attributes={"formal": True, "weight": 18}),
        s.Block("collar_button_down", label="Button-down collar", attributes={"weight": 20}),
        s.Block(
            "collar_cutaway",
            label="Cutaway collar",
            price=5,
            attributes={"formal": True, "weight": 19},
        ),
        s.Block("cuff_barrel", label="Barrel cuffs", attributes={"weight": 12}),
        s.Block(
            "cuff_french",
            label="French cuffs",
            price=10,
            attributes={"formal": True, "weight": 20},
            requires_blocks=["cufflinks_silver"],  # a French cuff is closed with cufflinks
        ),
        s.Block("fabric_poplin", label="Cotton poplin", attributes={"lead_days": 5, "weight": 180}),
        s.Block(
            "fabric_oxford",
            label="Oxford cloth",
            price=10,
            attributes={"lead_days": 5, "weight": 210, "weave": "basket"},
        ),
        s.Block(
            "fabric_linen",
            label="Irish linen",
            price="24.50",
            attributes={"lead_days": 12, "weight": 170},
        ),
        s.Block("cufflinks_silver", label="Silver cufflinks", price=35, attributes={"weight": 15}),
        s.Block(
            "buttons_mop", label="Mother-of-pearl buttons", price=15, attributes={"lead_days": 2}
        ),
    ]:
        catalog.blocks.append(block)

    catalog.slots = [
        s.Slot(
            "collar", label="Collar", blocks=["collar_kent", "collar_button_down", "collar_cutaway"]
        ),
        s.Slot("cuffs", label="Cuffs", blocks=["cuff_barrel", "cuff_french"]),
        s.Slot("fabric", label="Cloth", blocks=["fabric_poplin", "fabric_oxford", "fabric_linen"]),
        s.Slot("cufflinks", label="Cufflinks", cardinality="0..1", blocks=["cufflinks_silver"]),
        s.Slot("buttons", label="Buttons", cardinality="0..1", blocks=["buttons_mop"]),
    ]

    catalog.products = [
        s.Product("shirt", label="Made-to-measure shirt", base_price=89),
    ]

    catalog.services = [
        s.Service("monogram", label="Monogram on the cuff", price=12),
        s.Service(
            "express",
            label="Express tailoring",
            price=s.PriceSpec(percent=20, of="product"),
            offered_when="lead_time <= 7",
        ),
    ]

    catalog.bundles = [
        s.Bundle(
            "formal_set",
            label="French cuffs, cufflinks and monogram",
            items=["cuff_french", "cufflinks_silver", "monogram"],
            discount_percent=10,
        ),
    ]

    catalog.tiers = [s.Tier("trade", label="Trade customers", discount_percent=10)]

    catalog.measures = [
        s.Measure("lead_time", label="Lead time", unit="days", expression="max(lead_days)"),
        s.Measure("shirt_weight", label="Weight", unit="g", expression="sum(weight)"),
    ]

    catalog.rules = [
        s.Rule(
            "sleeve-proportion",
            message="Sleeves this short do not fit this collar size; choose a longer sleeve.",
            expression="sleeve_length - collar_size >= 20",
        ),
        s.Rule(
            "button-down-is-casual",
            message="A button-down collar is casual; pair it with barrel cuffs.",
            kind=s.RuleKind.forbid,
            expression="collar == collar_button_down and cuffs == cuff_french",
        ),
        s.Rule(
            "linen-drapes",
            message="Linen is cut regular or relaxed, never slim.",
            when="fabric == fabric_linen",
            expression='fit != slim',
        ),
        s.Rule(
            "cutaway-cloths",
            message="The cutaway collar is made in poplin and oxford cloth only.",
            kind=s.RuleKind.table,
            columns=["collar", "fabric"],
            rows=[["collar_cutaway", "fabric_linen"]],
            rows_allowed=False,
        ),
    ]
    return catalog


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "output", nargs="?", type=Path, help="where to write the YAML (default: a temporary file)"
    )
    args = parser.parse_args()

    catalog = shirt_catalog()
    diagnostics = catalog.validate()
    for diagnostic in diagnostics:
        print(diagnostic)
    errors = sum(d.severity == s.Severity.error for d in diagnostics)
    warnings = len(diagnostics) - errors
    summary = s.summarize(catalog)
    print(
        f"{catalog.name} {catalog.version}: {summary.options} options, {summary.blocks} blocks, "
        f"{summary.slots} slots, {summary.services} services, {summary.bundles} bundles, "
        f"{summary.rules} rules ({summary.constraints} constraints); "
        f"{errors} errors, {warnings} warnings"
    )
    print("assembly order:", ", ".join(s.assembly_order(catalog)))

    output = args.output
    if output is None:
        with tempfile.NamedTemporaryFile(prefix="shirt-", suffix=".yaml", delete=False) as file:
            output = Path(file.name)
    catalog.save(output)
    # What was saved reads back as the same catalog.
    assert s.load_catalog(output) == catalog
    print(f"saved to {output}")
    return 0 if errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
