"""Configuring products from Python: the Configurator, specs as dicts and files, and results."""

from __future__ import annotations

import copy
import math
import multiprocessing
import pickle
import threading
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import sumisura as s
from conftest import (
    BICYCLE,
    KITCHEN,
    SHOES,
    SHOES_IMPOSSIBLE,
    SHOES_SPEC,
    cli_json,
    make_shoe_catalog,
    pause_while,
    run_cli,
    shipped_catalogs,
    without_stats,
)

# examples/specs/shoes.yaml, written as a dict (`prefer` in its {condition: weight} form).
SHOES_DICT = {
    "product": "oxford",
    "require": ["size == 43", 'upper.material == "leather"', "gift_box"],
    "prefer": {"color == oxblood": 3, "engraving": 2, "insole != none": 1},
    "max": {"price": 450, "lead_time": 28},
    "objective": ["preferred", "cheapest"],
    "tier": "atelier_club",
}

# examples/specs/shoes-impossible.yaml, as a dict.
IMPOSSIBLE_DICT = {
    "product": "sneaker",
    "require": ["upper == upper_suede", "color == white", 'sole.material == "leather"'],
    "max": {"price": 120},
}


@pytest.fixture(scope="module")
def shoes() -> s.Configurator:
    return s.Configurator(SHOES)


# --- answers, checked by hand and against the command line ---------------------------------------


def test_shoe_spec_hand_checked(shoes):
    r = shoes.configure(SHOES_SPEC)
    assert r.status is s.Status.optimal and r.status == "optimal" and r.has_product
    assert r.product == "oxford"
    assert r.selections["size"] == 43
    assert r.selections["color"] == "oxblood"  # preferred, weight 3
    assert r.selections["gift_box"] is True
    assert r.selections["upper"] == "upper_calf"
    assert r.selections["accessories"] == []  # an empty multi-block slot: always a list
    one = shoes.configure(where="shoe_trees=true").selections["accessories"]
    assert one == ["shoe_trees"]  # one block in it: still a list (issue 14)
    assert r.services == ["engraving"]  # preferred, weight 2
    # 180 base; options 15 (oxblood) + 25 (gift box); blocks 45 + 30 + 95 + 3 + 15; engraving 12;
    # atelier club 5% of 420.
    assert r.price == s.Price(
        base=Decimal(180),
        options=Decimal(40),
        blocks=Decimal(188),
        services=Decimal(12),
        bundles=Decimal(0),
        tier=Decimal(-21),
        total=Decimal(399),
        currency="EUR",
    )
    assert [line.block for line in r.bom] == [
        "sole_leather",
        "welt_goodyear",
        "upper_calf",
        "lace_flat_120",
        "insole_memory",
    ]
    assert r.bom[0] == s.BomLine(
        block="sole_leather",
        label="Oak-bark tanned leather sole",
        slot="sole",
        quantity=1,
        unit_price=Decimal(45),
        line_price=Decimal(45),
    )
    assert sum(line.line_price for line in r.bom) == r.price.blocks
    assert r.measures == {"shoe_weight": Decimal(446), "lead_time": Decimal(14)}
    assert r.measures["lead_time"] <= 28
    assert [(p.expression, p.weight, p.met) for p in r.preferences] == [
        ("color == oxblood", Decimal(3), True),
        ("engraving", Decimal(2), True),
        ("insole != none", Decimal(1), True),
    ]
    assert r.conflict == [] and r.conflict_rules == [] and r.repairs == []
    assert r.stats.solver_calls > 0 and r.stats.seconds >= 0
    assert isinstance(r.price.total, Decimal)


def test_to_dict_is_the_cli_json(shoes):
    expected = cli_json("configure", SHOES, "--spec", SHOES_SPEC, "--json")
    got = shoes.configure(SHOES_SPEC).to_dict()
    assert set(got["stats"]) == {"seconds", "solver_calls", "compiled"}
    assert set(got["stats"]) == set(expected["stats"])
    assert without_stats(got) == without_stats(expected)
    assert list(got) == list(expected)  # the same keys in the same order


def test_dict_spec_means_what_the_file_means(shoes):
    from_file = shoes.configure(SHOES_SPEC)
    from_dict = shoes.configure(SHOES_DICT)
    assert from_dict == from_file  # equality ignores stats
    assert without_stats(from_dict.to_dict()) == without_stats(from_file.to_dict())
    # The list forms of the format work the same.
    listed = dict(
        SHOES_DICT,
        prefer=[
            {"color == oxblood": 3},
            {"expression": "engraving", "weight": 2},
            {"insole != none": 1},
        ],
    )
    assert shoes.configure(listed) == from_file


def test_preference_order_is_kept(shoes):
    r = shoes.configure({"prefer": {"color == navy": 1, "color == tan": 1, "gift_box": 2}})
    assert [p.expression for p in r.preferences] == ["color == navy", "color == tan", "gift_box"]
    assert r.to_dict()["preferences"][2] == {"expression": "gift_box", "weight": 2, "met": True}


def test_numbers_in_dict_specs_are_exact(shoes):
    # 145 is the cheapest shoe: a budget of 144.99 (float, Decimal or text) cannot be met.
    for budget in (144.99, Decimal("144.99"), "144.99"):
        r = shoes.configure({"max": {"price": budget}})
        assert r.status == "infeasible"
        assert r.conflict == ["price <= 144.99"]
        assert r.repairs[0].relax == [s.Relaxation(requirement="price <= 144.99", to=Decimal(145))]
    assert shoes.configure({"max": {"price": Decimal("145.000")}}).price.total == 145


def test_infeasible_spec_has_conflict_and_repairs(shoes):
    r = shoes.configure(SHOES_IMPOSSIBLE)
    assert r.status is s.Status.infeasible and not r.has_product
    assert r.product is None and r.price is None and r.bom == []
    assert r.conflict == ["product = sneaker", 'sole.material == "leather"']
    assert r.conflict_minimal
    [rule] = r.conflict_rules
    assert (rule.id, rule.kind) == ("sneaker-soles", "rule")
    assert rule.message == "Sneakers are built on a cupsole or a crepe sole."
    assert Path(rule.file) == SHOES and rule.line > 0 and rule.column > 0
    assert len(r.repairs) == 4
    best = r.repairs[0]
    assert best.drop == ["product = sneaker", "upper == upper_suede", "price <= 120"]
    assert best.relax == [s.Relaxation(requirement="price <= 120", to=Decimal(333))]
    assert best.weight_lost == 3
    assert best.result.status == "optimal" and best.result.price.total == 333
    assert best.result.repairs == []
    for repair in r.repairs:  # each repair's product meets what the repair keeps
        assert repair.result.has_product
        if "color == white" not in repair.drop:
            assert repair.result.selections["color"] == "white"
    # The nested results' dicts are those of the CLI: no "repairs" key.
    expected = cli_json("configure", SHOES, "--spec", SHOES_IMPOSSIBLE, "--json", expect=(2,))
    assert without_stats(r.to_dict()) == without_stats(expected)
    assert best.result.to_dict()["price"]["total"] == 333
    assert "repairs" not in best.result.to_dict()
    # The dict form states its requirements in the same order, with the same labels.
    assert shoes.configure(IMPOSSIBLE_DICT) == r


def test_explain_false_skips_conflict_and_repairs(shoes):
    r = shoes.configure(SHOES_IMPOSSIBLE, explain=False)
    assert r.status == "infeasible" and r.conflict == [] and r.repairs == []
    assert len(shoes.configure(SHOES_IMPOSSIBLE, max_repairs=1).repairs) == 1
    assert shoes.configure(SHOES_IMPOSSIBLE, max_repairs=0).repairs == []


@pytest.mark.parametrize("path", shipped_catalogs(), ids=[p.name for p in shipped_catalogs()])
def test_every_shipped_catalog_matches_the_cli(path):
    configurator = s.Configurator(path)
    r = configurator.configure(time_limit=120)
    assert r.has_product
    p = r.price
    assert p.total == p.base + p.options + p.blocks + p.services + p.bundles + p.tier
    expected = cli_json("configure", path, "--json", "--time-limit", 120)
    assert without_stats(r.to_dict()) == without_stats(expected)


def test_where_keyword(shoes):
    wanted = {"product": "sneaker", "size": 44, "gift_box": True, "color": "navy"}
    by_dict = shoes.configure(where=wanted)
    assert by_dict.product == "sneaker"
    assert by_dict.selections["size"] == 44 and by_dict.selections["gift_box"] is True
    by_list = shoes.configure(
        where=["product=sneaker", "size=44", ("gift_box", True), ("color", "navy")]
    )
    assert by_list == by_dict
    in_spec = shoes.configure(
        {
            "require": [
                {"where": "product=sneaker"},
                {"where": "size=44"},
                {"where": "gift_box=true"},
                {"where": "color=navy"},
            ]
        }
    )
    assert in_spec == by_dict
    # where= comes after the spec's own requirements, as --where does on the command line.
    r = shoes.configure(SHOES_IMPOSSIBLE, where={"size": 40})
    assert r.status == "infeasible"
    assert shoes.configure(where="size=40").selections["size"] == 40


def test_limits(shoes):
    assert shoes.configure(SHOES_SPEC, time_limit=None) == shoes.configure(SHOES_SPEC)
    for bad in (0, -1, math.nan, math.inf):
        with pytest.raises(s.UsageError, match="time_limit"):
            shoes.configure(time_limit=bad)
    with pytest.raises(s.UsageError, match="conflict_limit"):
        shoes.configure(conflict_limit=-1)
    with pytest.raises(s.UsageError, match="max_repairs"):
        shoes.configure(max_repairs=-1)
    # A limit reached is a status, never an error.
    r = shoes.configure(SHOES_SPEC, conflict_limit=0)
    assert r.status in (s.Status.optimal, s.Status.feasible, s.Status.unknown)


def test_result_repr_and_types(shoes):
    r = shoes.configure(SHOES_SPEC)
    assert repr(r) == "<ConfigureResult optimal: oxford, total 399 EUR>"
    assert str(r.status) == "optimal" and f"{r.status}" == "optimal"
    assert repr(r.status) == "Status.optimal"
    bad = shoes.configure(SHOES_IMPOSSIBLE)
    assert repr(bad).startswith("<ConfigureResult infeasible: conflict ['product = sneaker'")
    assert repr(bad).endswith(", 4 repairs>")
    assert type(r).__module__ == "sumisura"
    d = r.to_dict()
    d["price"]["total"] = 0  # to_dict gives a copy
    assert r.to_dict()["price"]["total"] == 399


# --- errors ---------------------------------------------------------------------------------------


def test_unknown_names_raise_spec_error(shoes):
    with pytest.raises(s.SpecError, match=r"did you mean 'color'\?") as caught:
        shoes.configure(where={"colour": "black"})
    assert isinstance(caught.value, ValueError)
    with pytest.raises(s.SpecError, match="option 'color' has no value 'blak'"):
        shoes.configure({"require": [{"where": "color=blak"}]})
    with pytest.raises(s.SpecError, match="unknown name colr"):
        shoes.configure({"require": ["colr == black"]})
    with pytest.raises(s.SpecError, match="unknown key 'requre'"):
        shoes.configure({"requre": ["size == 43"]})
    with pytest.raises(s.SpecError, match="no customer tier 'gold'"):
        shoes.configure({"tier": "gold"})
    with pytest.raises(s.SpecError, match="'pric' is not a measure"):
        shoes.configure({"max": {"pric": 100}})
    with pytest.raises(s.SpecError, match="weight must be positive"):
        shoes.configure({"prefer": {"gift_box": 0}})
    with pytest.raises(s.SpecError, match="objective 'best' is not one of cheapest, preferred, most_likely, minimize MEASURE"):
        shoes.configure({"objective": "best"})
    with pytest.raises(s.SpecError, match="not NAME=VALUE"):
        shoes.configure(where=["size"])


def test_dict_spec_errors_have_no_position(shoes):
    with pytest.raises(s.SpecError) as caught:
        shoes.configure({"require": ["size == 43", "colr == black"]})
    error = caught.value
    assert (error.file, error.line, error.column) == ("", 0, 0)
    [diagnostic] = error.diagnostics
    assert (diagnostic.file, diagnostic.line) == ("", 0)
    assert "colr" in diagnostic.message


def test_spec_file_errors_have_file_line_and_column(shoes, tmp_path):
    spec = tmp_path / "bad.yaml"
    spec.write_text("product: oxford\nrequire:\n  - size == 43\n  - colr == black\n")
    with pytest.raises(s.SpecError) as caught:
        shoes.configure(spec)
    error = caught.value
    assert (error.file, error.line, error.column) == (str(spec), 4, 5)
    assert error.diagnostics[0].line == 4
    spec.write_text("product: oxford\nprefer: [gift_box]\nwish: 1\n")
    with pytest.raises(s.SpecError) as caught:
        shoes.configure(str(spec))
    assert (caught.value.file, caught.value.line, caught.value.column) == (str(spec), 3, 1)
    spec.write_text("require: [\n")
    with pytest.raises(s.SpecError, match="malformed specification") as caught:
        shoes.configure(spec)
    assert caught.value.file == str(spec) and caught.value.line > 0
    with pytest.raises(s.FileError) as caught:
        shoes.configure(tmp_path / "missing.yaml")
    assert caught.value.file == str(tmp_path / "missing.yaml")


def test_wrong_types_raise_type_error(shoes):
    with pytest.raises(TypeError, match="expected a dict, the path of a spec file"):
        shoes.configure(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="cannot use set"):
        shoes.configure({"require": {"size == 43"}})
    with pytest.raises(TypeError, match="keys are text"):
        shoes.configure({"max": {1: 2}})
    with pytest.raises(TypeError, match="choice's value"):
        shoes.configure(where={"size": 43.5})
    with pytest.raises(TypeError):
        shoes.configure(where=[42])


# --- the configurator -----------------------------------------------------------------------------


def test_configurator_from_catalog_path_and_file():
    by_path = s.Configurator(str(SHOES))
    by_pathlike = s.Configurator(SHOES)
    by_file = s.Configurator.from_file(SHOES, format="yaml")
    catalog = s.load_catalog(SHOES)
    by_catalog = s.Configurator(catalog)
    assert by_path.catalog == catalog and by_catalog.catalog == catalog
    assert by_path.catalog.source == str(SHOES)
    first = by_path.configure(SHOES_SPEC)
    for other in (by_pathlike, by_file, by_catalog):
        assert other.configure(SHOES_SPEC) == first
    assert repr(by_path) == f"<Configurator 'Made-to-measure shoes' 2026.1 from {SHOES}>"
    # The catalog property is a copy: editing it leaves the configurator as it was.
    copy_of_catalog = by_path.catalog
    copy_of_catalog.products[0].base_price = 1
    assert by_path.configure(SHOES_SPEC) == first
    assert copy.copy(by_path) is by_path and copy.deepcopy(by_path) is by_path


def test_catalog_built_in_python_configures():
    configurator = s.Configurator(make_shoe_catalog())
    r = configurator.configure({"product": "oxford", "require": ["size == 40"]})
    assert r.status == "optimal" and r.product == "oxford"
    assert r.selections["sole"] == "sole_leather" and r.selections["welt"] == "welt_goodyear"
    # Its rubber sole has no sizes: no sneaker can be made, and the conflict says so.
    assert configurator.configure({"product": "sneaker"}).conflict == ["product = sneaker"]


def test_invalid_catalog_raises_catalog_error_with_diagnostics():
    catalog = make_shoe_catalog()
    catalog.slots[0].blocks.append("sole_missing")
    with pytest.raises(s.CatalogError) as caught:
        s.Configurator(catalog)
    assert any("sole_missing" in d.message for d in caught.value.diagnostics)
    with pytest.raises(s.FileError):
        s.Configurator("no/such/catalog.yaml")
    with pytest.raises(TypeError):
        s.Configurator(42)


def test_domains(shoes):
    everything = shoes.domains()
    assert everything["status"] == "ok" and everything["conflict"] == []
    assert everything["domains"]["product"] == ["oxford", "derby", "chelsea", "sneaker"]
    assert everything["domains"]["gift_box"] == [False, True]
    assert everything["domains"]["size"] == list(range(36, 49))
    narrowed = shoes.domains({"product": "sneaker", "size": 47})
    assert narrowed["domains"]["sole"] == ["sole_cupsole"]  # crepe soles stop at size 46
    assert narrowed["domains"]["welt"] == ["none"]
    expected = cli_json(
        "domains", SHOES, "--where", "product=sneaker", "--where", "size=47", "--json"
    )
    assert narrowed["domains"] == expected["domains"] and narrowed["status"] == expected["status"]
    contradiction = shoes.domains(["sole=sole_crepe", "size=47"])
    assert contradiction == {
        "status": "infeasible",
        "domains": {},
        "conflict": ["sole=sole_crepe", "size=47"],
    }
    with pytest.raises(s.SpecError):
        shoes.domains({"size": 99})


# --- threads and processes ------------------------------------------------------------------------


def test_threads_configure_concurrently_with_the_same_answers(shoes):
    specs = [SHOES_SPEC, SHOES_IMPOSSIBLE, SHOES_DICT, None]
    sequential = [shoes.configure(spec) for spec in specs]
    answers: dict[int, list[s.ConfigureResult]] = {}

    def work(index: int) -> None:
        answers[index] = [shoes.configure(spec) for spec in specs]

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not any(t.is_alive() for t in threads)
    assert answers == {0: sequential, 1: sequential}


def test_configure_releases_the_gil(shoes):
    # While a thread is inside configure(), this thread must keep running.
    spec = SHOES_IMPOSSIBLE  # a solve with repairs: long enough to measure
    longest_pause, length = pause_while(lambda: shoes.configure(spec))
    if length < 0.1:
        pytest.skip(f"the solve took {length:.3f} s: too short to tell")
    assert longest_pause < length / 2


def test_results_pickle(shoes):
    for spec in (SHOES_SPEC, SHOES_IMPOSSIBLE):
        r = shoes.configure(spec)
        for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
            again = pickle.loads(pickle.dumps(r, protocol=protocol))
            assert again == r
            assert again.to_dict() == r.to_dict()
            assert again.stats == r.stats
            assert type(again.status) is s.Status
    assert copy.deepcopy(r) == r


def test_configurator_pickles_as_its_catalog(shoes):
    again = pickle.loads(pickle.dumps(shoes))
    assert again is not shoes
    assert again.catalog == shoes.catalog and again.catalog.source == str(SHOES)
    assert again.configure(SHOES_SPEC) == shoes.configure(SHOES_SPEC)
    # Rules keep their file and line, so explanations in another process still point at them.
    rules = shoes.configure(SHOES_IMPOSSIBLE).conflict_rules
    assert again.configure(SHOES_IMPOSSIBLE).conflict_rules == rules


def _configure_in_worker(configurator: s.Configurator, spec: dict[str, Any]) -> s.ConfigureResult:
    return configurator.configure(spec)


def test_configurator_goes_through_a_process_pool(shoes):
    context = multiprocessing.get_context("spawn")  # a fresh interpreter, as on macOS/Windows
    expected = [shoes.configure(SHOES_DICT), shoes.configure(IMPOSSIBLE_DICT)]
    with ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
        futures = [
            pool.submit(_configure_in_worker, shoes, spec) for spec in (SHOES_DICT, IMPOSSIBLE_DICT)
        ]
        assert [f.result(timeout=300) for f in futures] == expected
        with pytest.raises(s.SpecError, match="colr"):
            bad = {"require": ["colr == black"]}
            pool.submit(_configure_in_worker, shoes, bad).result(timeout=300)


def test_kitchen_and_bicycle_from_dicts():
    kitchen = s.Configurator(KITCHEN)
    hob = kitchen.configure(
        {"product": "hob", "require": [{"where": "hob_width_cm=90"}, "gas_supply"]}
    )
    assert hob.status == "optimal" and hob.product == "hob"
    assert hob.selections["hob_width_cm"] == 90 and hob.selections["gas_supply"] is True
    # The cheapest hob on gas: a gas domino in a steel frame.
    assert [(line.block, line.line_price) for line in hob.bom] == [
        ("dom_gas_2", Decimal(490)),
        ("frame_steel", Decimal(45)),
    ]
    assert hob.price.total == 535
    bicycle = s.Configurator(BICYCLE)
    tall = bicycle.configure(
        {"require": ["rider_height == 195"]}, where={"product": "gravel"}, time_limit=120
    )
    assert tall.has_product and tall.product == "gravel"
    assert tall.selections["rider_height"] == 195 and tall.selections["frame_size"] == "XL"


def test_configure_answers_on_the_compiled_form_once_compiled():
    """After compile(), a spec of values, preferences and a budget is answered by passes over the
    priced compiled form, with the same price and met weight as search finds."""
    cfg = s.Configurator.from_file(SHOES)
    report = cfg.compile()
    assert report.compiled and report.priced
    spec = {
        "product": "oxford",
        "require": ["color == tan"],
        "prefer": [{"expression": "sole == sole_leather", "weight": 2}],
        "max": {"price": 600},
    }
    fast = cfg.configure(spec)
    slow = cfg.configure(spec, use_compiled=False)
    assert fast.stats.compiled and not slow.stats.compiled
    assert fast.status == slow.status == s.Status.optimal
    assert fast.price.total == slow.price.total
    assert [p.met for p in fast.preferences] == [p.met for p in slow.preferences]


def test_objectives_on_measures_and_lower_bounds():
    shoes = s.Configurator(SHOES)
    lightest = shoes.configure({"product": "oxford", "objective": "minimize shoe_weight"})
    heaviest = shoes.configure({"product": "oxford", "objective": [{"maximize": "shoe_weight"}]})
    light, heavy = lightest.measures["shoe_weight"], heaviest.measures["shoe_weight"]
    assert light < heavy
    # A lower bound between them: met at the least price, and relaxed down to the heaviest oxford
    # when it asks for more than any oxford weighs.
    between = shoes.configure({"product": "oxford", "min": {"shoe_weight": light + 1}})
    assert between.status == "optimal" and between.measures["shoe_weight"] >= light + 1
    too_heavy = shoes.configure({"product": "oxford", "min": {"shoe_weight": heavy + 1}})
    assert too_heavy.status == "infeasible"
    [repair] = [r for r in too_heavy.repairs if r.drop == [f"shoe_weight >= {heavy + 1}"]]
    assert [(r.requirement, r.to) for r in repair.relax] == [(f"shoe_weight >= {heavy + 1}", heavy)]
    cli = cli_json("configure", str(SHOES), "--where", "product=oxford",
                   "--objective", "maximize shoe_weight, cheapest", "--json")
    assert cli["measures"]["shoe_weight"] == heavy


def test_shoppers_read_the_designers_rules_not_the_catalogs_structure(tmp_path):
    # The budget conflict's proof includes "Drivetrain holds 1 block": JSON keeps it, the text
    # for shoppers lists the designer's rules only.
    spec = Path(__file__).parents[2] / "tests/golden/configure/bicycle-long-range.spec.yaml"
    answer = cli_json("configure", str(BICYCLE), "--spec", str(spec), "--json", "--repairs", "0",
                      expect=(2,))
    kinds = {rule["kind"] for rule in answer["conflict_rules"]}
    assert "slot" in kinds and "rule" in kinds
    text = run_cli("configure", str(BICYCLE), "--spec", str(spec), "--repairs", "0", expect=(2,))
    assert "frame-motor: This motor does not fit this frame." in text
    assert "Drivetrain holds" not in text
    # When the structure is all there is to say, it is said.
    gravel = tmp_path / "gravel.yaml"
    gravel.write_text("product: gravel\nrequire: [motor != none]\n")
    text = run_cli("configure", str(BICYCLE), "--spec", str(gravel), "--repairs", "0", expect=(2,))
    assert "this product has only some of the options and slots" in text
