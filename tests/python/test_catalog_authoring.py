"""Authoring catalogs in Python: constructors, factories, value conversions, live lists, YAML."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest

import sumisura as s
from conftest import make_shoe_catalog


def test_package_exports_what_it_lists():
    assert s.__version__.count(".") == 2
    for name in s.__all__:
        assert hasattr(s, name), name
    for name in ("Configurator", "Session", "ConfigureResult", "SessionState"):
        assert name in s.__all__  # the second slice: configuring and sessions
    for name in (
        "Order",
        "Profile",
        "PreferenceModel",
        "ScoredValue",
        "Recommendation",
        "load_orders",
        "parse_orders",
        "load_profile",
        "parse_profile",
        "lifetime_value",
        "tier_of",
    ):
        assert name in s.__all__  # customer memory


def test_complete_catalog_is_valid_and_survives_save_and_load(shoes, tmp_path):
    assert shoes.validate() == []
    path = tmp_path / "shoes.yaml"
    shoes.save(path)
    loaded = s.load_catalog(path)
    assert loaded == shoes
    assert loaded.source == str(path)
    assert loaded.blocks[0].where.line > 0  # positions come from the file...
    assert shoes.blocks[0].where == s.Position(0, 0)  # ...and never make catalogs differ
    assert s.parse_catalog(shoes.to_yaml()) == shoes
    assert s.load_catalog(str(path), format=s.ModelFormat.yaml) == shoes
    assert s.load_catalog(path, format="yaml") == shoes


def test_every_difference_counts_except_positions(shoes):
    other = make_shoe_catalog()
    assert other == shoes
    other.rules[3].rows[1] = ["sole_rubber", "upper_canvas"]
    assert other != shoes
    other = make_shoe_catalog()
    other.options[1].values[2].price = 16
    assert other != shoes
    other = make_shoe_catalog()
    other.blocks[0].where = s.Position(line=7, column=3)
    assert other == shoes


def test_factories_build_options_as_the_yaml_reader_does():
    read = s.parse_catalog(
        """
catalog: {name: t}
options:
  - {id: size, label: Size, range: [36, 40], default: 38}
  - {id: gift, type: boolean, price: 5}
  - id: color
    type: enumeration
    values: [black, 7, {value: oxblood, label: Oxblood, price: 15}]
    default: 7
"""
    )
    built = [
        s.Option.integer_range("size", 36, 40, label="Size", default_value=38),
        s.Option.boolean("gift", price=5),
        s.Option.enumeration(
            "color",
            ["black", 7, s.OptionValue("oxblood", label="Oxblood", price=15)],
            default_value=7,
        ),
    ]
    assert list(read.options) == built
    size, gift, color = built
    assert size.kind == s.OptionKind.integer
    assert (size.range_min, size.range_max) == (36, 40)
    assert [v.value for v in size.values] == [36, 37, 38, 39, 40]
    assert gift.kind == s.OptionKind.boolean
    assert [(v.value, v.price) for v in gift.values] == [(False, 0), (True, 5)]
    assert [v.value for v in color.values] == ["black", "7", "oxblood"]
    assert color.default_value == "7"


def test_factories_refuse_what_yaml_refuses():
    with pytest.raises(s.UsageError, match="empty range"):
        s.Option.integer_range("size", 48, 36)
    with pytest.raises(s.UsageError, match="100000"):
        s.Option.integer_range("n", 0, 100000)
    with pytest.raises(TypeError):
        s.Option.enumeration("color", "black")  # a str is not a list of names


def test_keyword_constructors_and_properties_round_trip():
    block = s.Block("sole", label="Sole", price=45, attributes={"material": "leather"})
    assert (block.id, block.label, block.price) == ("sole", "Sole", Decimal(45))
    block.description = "Leather sole"
    block.price = Decimal("45.5")
    block.requires_blocks = ["welt"]
    block.excludes_blocks = ("rubber",)
    assert block.requires_blocks == ["welt"] and block.excludes_blocks == ["rubber"]
    slot = s.Slot("laces", min=0, max=3, repeat=True)
    slot.blocks.append("lace_red")
    assert (slot.min, slot.max, slot.repeat, list(slot.blocks)) == (0, 3, True, ["lace_red"])
    # A slot's default, as YAML's `default`: a block, "none" (empty), or a list; None: no default.
    assert slot.default_blocks is None
    slot.default_blocks = "lace_red"
    assert slot.default_blocks == ["lace_red"]
    slot.default_blocks = ["lace_red", "lace_red"]
    assert slot.default_blocks == ["lace_red", "lace_red"]
    assert s.Slot("insole", cardinality="0..1", default_blocks="none").default_blocks == []
    assert "default_blocks=['lace_red', 'lace_red']" in repr(slot)
    # Counts that are not a range: none or two bags, never one.
    bags = s.Slot("bags", cardinality=[0, 2], repeat=True)
    assert (bags.cardinality, bags.min, bags.max, bags.counts) == ("0, 2", 0, 2, [0, 2])
    bags.cardinality = "1..3"
    assert (bags.cardinality, bags.counts) == ("1..3", [])
    with pytest.raises(s.UsageError, match="cardinality must be"):
        s.Slot("x", cardinality=[0, "y"])
    rule = s.Rule("r", kind="forbid", expression="a and b")  # enum values are accepted by name
    assert rule.kind is s.RuleKind.forbid
    with pytest.raises(s.UsageError, match="not a RuleKind"):
        rule.kind = "maybe"
    with pytest.raises(TypeError):
        s.Block()  # an id is required
    with pytest.raises(TypeError):
        s.Block("x", colour="red")  # unknown keywords are refused


def test_decimal_fields_take_numbers_and_give_decimal():
    block = s.Block("b")
    for given, expected in [
        (45, Decimal("45")),
        ("12.50", Decimal("12.5")),
        (Decimal("0.000001"), Decimal("0.000001")),
        (0.1, Decimal("0.1")),  # through repr: no binary noise
        (19.9, Decimal("19.9")),
        ("1e3", Decimal("1000")),
        (-3, Decimal("-3")),
    ]:
        block.price = given
        assert isinstance(block.price, Decimal)
        assert block.price == expected, given
    for too_precise in ["0.0000001", 1e-7, Decimal("1.1234567"), 10**20, float("nan"), "abc"]:
        with pytest.raises(s.UsageError):
            block.price = too_precise
    with pytest.raises(TypeError):
        block.price = True  # a bool is not a price
    with pytest.raises(TypeError):
        block.price = [1]


def test_values_are_native_python_values():
    block = s.Block("b", attributes={"weight": 220, "ratio": Decimal("0.25"), "code": "042"})
    block.attributes["vegan"] = True
    block.attributes["sizes"] = [38, 39.0, Decimal("40")]
    block.attributes["tags"] = {"b", "a"}  # sets are sorted: written catalogs stay stable
    assert block.attributes["weight"] == 220 and type(block.attributes["weight"]) is int
    assert block.attributes["ratio"] == Decimal("0.25")
    assert block.attributes["code"] == "042"  # text stays text
    assert block.attributes["vegan"] is True
    assert block.attributes["sizes"] == [38, 39, 40]
    assert all(type(x) is int for x in block.attributes["sizes"])
    assert block.attributes["tags"] == ["a", "b"]
    assert dict(block.attributes) == {
        "code": "042",
        "ratio": Decimal("0.25"),
        "sizes": [38, 39, 40],
        "tags": ["a", "b"],
        "vegan": True,
        "weight": 220,
    }
    assert block.attributes == dict(block.attributes)
    assert "weight" in block.attributes and "height" not in block.attributes
    assert block.attributes.get("height", 0) == 0
    del block.attributes["tags"]
    assert block.attributes.pop("code") == "042"
    block.attributes.update({"weight": 230})
    assert sorted(block.attributes.keys()) == ["ratio", "sizes", "vegan", "weight"]
    with pytest.raises(KeyError):
        block.attributes["height"]
    with pytest.raises(TypeError):
        block.attributes["bad"] = object()
    catalog = s.parse_catalog(
        "catalog: {name: t}\nblocks:\n  - {id: b, attributes: {code: '042', n: 42, r: 0.5}}\n"
    )
    assert dict(catalog.blocks[0].attributes) == {"code": "042", "n": 42, "r": Decimal("0.5")}


def test_lists_are_live_views_of_the_catalog(shoes):
    shoes.options.append(s.Option.boolean("monogram", price=9))
    assert [o.id for o in shoes.options][-1] == "monogram"
    assert "monogram:" not in shoes.to_yaml() and "id: monogram" in shoes.to_yaml()

    shoes.options[0].label = "Size (EU)"
    assert "label: Size (EU)" in shoes.to_yaml()

    shoes.blocks[0].attributes["weight"] = 230
    shoes.blocks[0].requires_blocks.append("insole_cork")
    shoes.slots[0].blocks.remove("sole_rubber")
    shoes.rules[3].rows.append(["sole_leather", "upper_canvas"])
    shoes.options[1].values[0].price = 3
    reread = s.parse_catalog(shoes.to_yaml())
    assert reread.blocks[0].attributes["weight"] == 230
    assert list(reread.blocks[0].requires_blocks) == ["welt_goodyear", "insole_cork"]
    assert list(reread.slots[0].blocks) == ["sole_leather"]
    assert reread.rules[3].rows[-1] == ("sole_leather", "upper_canvas")
    assert ["sole_leather", "upper_canvas"] in reread.rules[3].rows
    assert reread.rules[3].rows.index(("sole_rubber", "*")) == 1
    assert reread.options[1].values[0].price == 3
    assert reread == shoes


def test_list_objects_are_shared_like_python_lists():
    catalog = s.Catalog("t")
    block = s.Block("a")
    catalog.blocks.append(block)
    block.price = 10  # the catalog holds this very object
    assert catalog.blocks[0].price == 10
    assert catalog.blocks[0] is block
    kept = catalog.blocks[0]
    for i in range(100):  # growing the list never invalidates objects Python holds
        catalog.blocks.append(s.Block(f"b{i}"))
    catalog.blocks.clear()
    kept.label = "still alive"
    assert kept.label == "still alive" and len(catalog.blocks) == 0


def test_list_operations_behave_like_list():
    catalog = s.Catalog("t", blocks=[s.Block(x) for x in "abcde"])
    blocks = catalog.blocks
    assert len(blocks) == 5 and bool(blocks)
    assert [b.id for b in blocks[1:3]] == ["b", "c"]
    assert blocks[-1].id == "e"
    del blocks[0]
    assert [b.id for b in blocks] == ["b", "c", "d", "e"]
    blocks.insert(0, s.Block("z"))
    blocks.extend([s.Block("y")])
    blocks += [s.Block("x")]
    assert catalog.blocks is not None and len(catalog.blocks) == 7
    popped = blocks.pop()
    assert popped.id == "x" and len(blocks) == 6
    blocks.sort(key=lambda b: b.id)
    assert [b.id for b in blocks] == ["b", "c", "d", "e", "y", "z"]
    blocks.reverse()
    assert blocks.index(s.Block("e")) == 2 and blocks.count(s.Block("e")) == 1
    assert s.Block("e") in blocks and s.Block("q") not in blocks
    blocks[0] = s.Block("first")
    blocks[1:3] = [s.Block("m")]
    del blocks[::2]
    assert [b.id for b in blocks] == ["m", "c"]
    with pytest.raises(IndexError):
        blocks[5]
    with pytest.raises(ValueError):
        blocks.remove(s.Block("absent"))
    assert "not a block" not in blocks and blocks.count(42) == 0
    with pytest.raises(TypeError):
        blocks.append(s.Slot("not a block"))
    with pytest.raises(TypeError):
        catalog.blocks = [s.Block("a"), "b"]
    with pytest.raises(TypeError):
        s.Slot("s").blocks = "sole"  # a str is not a list of ids
    catalog.blocks = (s.Block(x) for x in "pq")
    assert [b.id for b in catalog.blocks] == ["p", "q"]
    assert catalog.blocks == [s.Block("p"), s.Block("q")]
    assert repr(s.Slot("s", blocks=["a"]).blocks) == "['a']"


def test_reprs_read_like_constructor_calls():
    assert repr(s.Block("sole", price=45)) == "Block(id='sole', price=Decimal('45'))"
    assert repr(s.Option.boolean("gift", price=5)) == (
        "Option(id='gift', kind=OptionKind.boolean, values=[OptionValue(value=False), "
        "OptionValue(value=True, price=Decimal('5'))])"
    )
    assert repr(s.Option.integer_range("size", 36, 48)) == (
        "Option(id='size', kind=OptionKind.integer, range_min=36, range_max=48)"
    )
    assert repr(s.Position(3, 5)) == "Position(line=3, column=5)"
    assert repr(s.Catalog("Shoes", blocks=[s.Block("a")])) == "<Catalog 'Shoes': 1 block>"
    shoes = make_shoe_catalog()
    assert eval(repr(shoes.services[2]), {"Decimal": Decimal, **vars(s)}) == shoes.services[2]


def test_copies_are_independent(shoes):
    clone = copy.deepcopy(shoes)
    assert clone == shoes
    clone.blocks[0].price = 1
    assert clone != shoes and shoes.blocks[0].price == 45
    option = copy.copy(shoes.options[1])
    option.values[0].label = "Black"
    assert shoes.options[1].values[0].label == ""


def test_services_take_prices_as_numbers_or_price_specs():
    assert s.Service("a", price=12).price == s.PriceSpec(12)
    percent = s.PriceSpec(percent=10)
    assert percent.of == "product"  # as in YAML: '10%' is 10% of the product
    service = s.Service("b")
    service.price = "2.5"
    service.price.percent = 3
    service.price.of = "blocks"
    assert service.price == s.PriceSpec("2.5", percent=3, of="blocks")


def test_enums_are_python_enums():
    import enum
    import pickle

    for cls in (s.OptionKind, s.AttributeType, s.RuleKind, s.Severity, s.ModelFormat):
        assert issubclass(cls, enum.Enum)
        for member in cls:
            assert cls(member.value) is member and member.name == member.value
            assert pickle.loads(pickle.dumps(member)) is member
    assert [m.name for m in s.ModelFormat] == [
        "automatic",
        "yaml",
        "dimacs",
        "xcsp",
        "uvl",
        "compiled",
    ]


def test_assembly_order_and_summary(shoes):
    order = s.assembly_order(shoes)
    assert sorted(order) == sorted(b.id for b in shoes.blocks)
    assert order.index("welt_goodyear") < order.index("sole_leather")
    summary = s.summarize(shoes)
    assert (summary.options, summary.blocks, summary.slots, summary.rules) == (4, 7, 5, 6)
    assert summary.constraints == 6 + 2  # rules, one requires, one excludes
    shoes.blocks[2].requires_blocks = ["sole_leather"]
    with pytest.raises(s.CatalogError):
        s.assembly_order(shoes)


def test_sub_assemblies_are_authored_like_the_yaml():
    import pickle

    unit = s.Assembly(
        "hd_unit",
        label="Hard-disk unit",
        slots=[
            s.Slot("disks", cardinality="1..2", repeat=True, blocks=["disk"]),
            s.Slot("controller", blocks=["ctrl"]),
        ],
        rules=[s.Rule("ports", message="Ports.", expression="count(disks) <= 3 * count(controller)")],
    )
    catalog = s.Catalog(
        "Disks",
        version="1",
        blocks=[s.Block("disk", price=100), s.Block("ctrl", price=50)],
        slots=[s.Slot("units", cardinality="1..2", assembly="hd_unit")],
        assemblies=[unit],
    )
    assert catalog.validate() == []
    assert s.parse_catalog(catalog.to_yaml()) == catalog
    assert pickle.loads(pickle.dumps(catalog)) == catalog
    # One unit holds one or two disks (2 ways); two identical units count once: 2 + 3.
    configurator = s.Configurator(catalog)
    assert configurator.count() == 5
    slots = [slot.id for slot in configurator.catalog.slots]
    assert "units[2].disks" in slots and "units[1].controller" in slots
    # Lists are live, as for the catalog's own.
    catalog.assemblies[0].slots[0].cardinality = "1..3"
    assert s.Configurator(catalog).count() == 3 + 6
    with pytest.raises(s.UsageError, match="slots"):
        s.Assembly("x", slot=[])
    catalog.slots[0].assembly = "hd_uint"
    assert "did you mean hd_unit" in catalog.validate()[0].message
