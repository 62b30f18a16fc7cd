"""Catalog versions in Python: sumisura.diff, Configurator.revalidate and Session.resume on the
next season of shoes (tests/golden/versions), against the golden answers of the command."""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

import pytest

import sumisura as s
from conftest import SHOES, SOURCE_DIR, cli_json, pause_while, run_cli

VERSIONS = SOURCE_DIR / "tests" / "golden" / "versions"
NEXT = VERSIONS / "shoes-next.yaml"
ORDERS = VERSIONS / "shoes-2026.1-orders.jsonl"
EXPECTED = VERSIONS / "revalidate.expected.jsonl"


@pytest.fixture(scope="module")
def old() -> s.Configurator:
    return s.Configurator(SHOES)


@pytest.fixture(scope="module")
def new() -> s.Configurator:
    return s.Configurator(NEXT)


@pytest.fixture(scope="module")
def changes(old: s.Configurator, new: s.Configurator) -> dict[str, Any]:
    return s.diff(old, new)


def golden_checks() -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The golden `sumisura revalidate --json` lines (the last two are the summary, whose
    seconds are blanked, and the exit status)."""
    lines = EXPECTED.read_text().splitlines()
    checks = [json.loads(line) for line in lines if line.startswith('{"index"')]
    summary = next(line for line in lines if line.startswith('{"summary"'))
    return checks, json.loads(summary.replace('"seconds":_', '"seconds":0'))["summary"]


def without_place(check: dict[str, Any]) -> dict[str, Any]:
    """A check without where its order was read (the file is named as given)."""
    return {k: v for k, v in check.items() if k not in ("source", "line")}


def verdict_of(check: dict[str, Any]) -> dict[str, Any]:
    """What a check says of its order: the verdict, the totals, the problems, the conflict and
    each repair's choices given up and price (not the whole repaired product, which lists every
    variable: test_revalidate_matches_the_command compares those with the command's)."""
    out = without_place(check)
    if "repairs" in out:
        out["repairs"] = [{"drop": r["drop"], "total": r["total"]} for r in out["repairs"]]
    return out


# diff ---------------------------------------------------------------------------------------------


def test_diff_counts_the_products_of_each_version(changes):
    assert changes["old"] == {"name": "Made-to-measure shoes", "version": "2026.1"}
    assert changes["new"] == {"name": "Made-to-measure shoes", "version": "2026.2"}
    products = changes["products"]
    assert products["counted"] is True
    assert (products["old"], products["new"], products["common"]) == (
        "268824000",
        "289621760",
        "251946240",
    )
    assert (products["only_old"], products["only_new"]) == ("16877760", "37675520")
    assert int(products["old"]) - int(products["only_old"]) == int(products["common"])
    assert len(products["only_old_examples"]) == len(products["only_new_examples"]) == 3
    assert all(e["color"] == "olive" or e["size"] == "39" for e in products["only_new_examples"])
    assert "sole=sole_resin" in changes["became_dead"]
    assert "color=olive" in changes["became_available"]
    assert changes["same_products"] is False


def test_diff_lists_the_structural_changes(changes):
    leather = [c for c in changes["changes"] if c["kind"] == "block" and c["id"] == "sole_leather"]
    assert leather == [
        {
            "kind": "block",
            "id": "sole_leather",
            "change": "changed",
            "fields": [{"field": "price", "before": "45", "after": "49"}],
        }
    ]
    assert {"kind": "block", "id": "sole_resin", "change": "removed"} in changes["changes"]
    assert {"kind": "value", "id": "color=olive", "change": "added"} in changes["changes"]


def test_diff_is_plain_data_equal_to_the_command(changes):
    assert json.loads(json.dumps(changes)) == changes
    assert pickle.loads(pickle.dumps(changes)) == changes
    command = cli_json("diff", SHOES, NEXT, "--json", "--examples", 2)
    assert s.diff(SHOES, NEXT, examples=2) == command


def test_diff_takes_paths_and_catalogs(changes):
    assert s.diff(str(SHOES), NEXT) == changes
    assert s.diff(s.load_catalog(SHOES), s.load_catalog(NEXT)) == changes
    other = s.diff(SHOES, NEXT, seed=7, examples=1)
    assert len(other["products"]["only_old_examples"]) == 1
    assert other["products"]["only_old"] == changes["products"]["only_old"]


def test_a_catalog_against_itself_makes_the_same_products(old):
    same = s.diff(old, old)
    assert same["same_products"] is True
    assert [c for c in same["changes"]] == []
    assert same["products"]["only_old"] == same["products"]["only_new"] == "0"
    assert same["became_dead"] == same["became_available"] == []
    assert s.diff(SHOES, SHOES, examples=0)["same_products"] is True


def test_diff_wrong_arguments(old):
    with pytest.raises(TypeError, match="diff: new is a Configurator, a Catalog or the path"):
        s.diff(old, 42)
    with pytest.raises(s.FileError):
        s.diff(old, VERSIONS / "no-such-catalog.yaml")
    with pytest.raises(s.UsageError, match="work must be a positive"):
        s.diff(old, old, work=0)


def test_diff_releases_the_gil():
    longest_pause, length = pause_while(lambda: s.diff(SHOES, NEXT))
    if length < 0.1:
        pytest.skip(f"the diff took {length:.3f} s: too short to tell")
    assert longest_pause < length / 2


# revalidate ---------------------------------------------------------------------------------------


def test_revalidate_a_saved_order_book(new):
    answer = new.revalidate(ORDERS)
    summary = answer["summary"]
    assert (summary["valid"], summary["repriced"], summary["broken"]) == (3, 3, 4)
    assert (summary["orders"], summary["undecided"], summary["distinct"]) == (10, 0, 9)
    assert summary["seconds"] >= 0
    checks, golden_summary = golden_checks()
    assert {**summary, "seconds": 0} == golden_summary
    assert [verdict_of(c) for c in answer["orders"]] == [verdict_of(c) for c in checks]
    assert [c["line"] for c in answer["orders"]] == list(range(1, 11))
    assert all(c["source"] == str(ORDERS) for c in answer["orders"])


def test_revalidate_verdicts(new):
    orders = new.revalidate(ORDERS, max_repairs=1)["orders"]
    assert [c["verdict"] for c in orders] == [
        "broken", "repriced", "broken", "valid", "repriced",
        "broken", "valid", "valid", "repriced", "broken",
    ]  # fmt: skip
    resin = orders[0]
    assert resin["problems"] == ["'sole' no longer has the value 'sole_resin'"]
    assert resin["repairs"][0]["drop"] == ["sole=sole_resin"]
    assert (resin["old_total"], resin["repairs"][0]["total"]) == (260, 278)
    wide = orders[2]
    assert wide["conflict"]["choices"] == ["size=39", "width=wide"]
    assert [r["id"] for r in wide["conflict"]["rules"]] == ["wide-lasts"]
    assert len(wide["repairs"]) == 1  # max_repairs
    assert (orders[8]["old_total"], orders[8]["new_total"]) == (325.85, 329.65)  # tier atelier_club
    assert orders[9]["complete"] is False  # a saved session: priced by its cheapest completion


def test_revalidate_a_list_of_dicts(new):
    dicts = [json.loads(line) for line in ORDERS.read_text().splitlines() if line.strip()]
    answer = new.revalidate(dicts)
    by_file = new.revalidate(ORDERS)
    assert answer["summary"] | {"seconds": 0} == by_file["summary"] | {"seconds": 0}
    assert [without_place(c) for c in answer["orders"]] == [
        without_place(c) for c in by_file["orders"]
    ]
    assert [(c["source"], c["line"]) for c in answer["orders"]] == [("", i) for i in range(1, 11)]


def test_revalidate_mixed_orders(old, new):
    result = old.configure({"product": "derby", "require": ["sole == sole_resin"]})
    orders = [
        result,  # a ConfigureResult of the old version: its sole is gone
        {"choices": {"product": "sneaker", "size": 42}, "total": 145},
        s.Order({"product": "oxford", "color": "olive"}),  # olive is new: valid now
        {"choices": {"product": "derby", "sole": "sole_resin"}, "tier": "atelier_club"},
    ]
    checks = new.revalidate(orders)["orders"]
    assert [c["index"] for c in checks] == [0, 1, 2, 3]
    assert [c["verdict"] for c in checks] == ["broken", "valid", "valid", "broken"]
    assert checks[0]["complete"] is True and checks[1]["complete"] is False


def test_revalidate_matches_the_command(new):
    lines = run_cli("revalidate", NEXT, ORDERS, "--json", expect=(2,)).splitlines()
    expected = [json.loads(line) for line in lines]
    answer = new.revalidate(ORDERS)
    assert answer["orders"] == expected[:-1]
    assert answer["summary"] | {"seconds": 0} == expected[-1]["summary"] | {"seconds": 0}


def test_revalidate_arguments(new, tmp_path: Path):
    with pytest.raises(TypeError, match="not a single dict"):
        new.revalidate({"choices": {"product": "derby"}})
    with pytest.raises(s.SpecError, match=r"orders\[1\]"):
        new.revalidate([{"choices": {"product": "derby"}}, {"total": 3}])
    with pytest.raises(s.FileError):
        new.revalidate(tmp_path / "absent.jsonl")
    with pytest.raises(s.UsageError):
        new.revalidate(ORDERS, threads=-1)
    with pytest.raises(s.UsageError):
        new.revalidate(ORDERS, time_limit=0)
    assert new.revalidate([])["summary"]["orders"] == 0
    one = new.revalidate(ORDERS, threads=1, time_limit=None)
    assert one["summary"]["broken"] == 4


def test_saved_orders_keep_their_tier_and_completeness(new):
    [order] = s.parse_orders(
        new, '{"choices": {"product": "derby", "size": 42}, "total": 260, "tier": "atelier_club"}'
    )
    assert (order.tier, order.complete) == ("atelier_club", False)
    copy = pickle.loads(pickle.dumps(order))
    assert copy == order and copy.tier == "atelier_club"
    built = s.Order({"product": "derby"}, total=260, tier="atelier_club", complete=True)
    assert (built.tier, built.complete) == ("atelier_club", True)
    assert "tier='atelier_club', complete=True" in repr(built)
    assert s.Order({"product": "derby"}).tier is None
    assert built.to_dict() == {"choices": {"product": "derby"}, "total": 260}


# sessions resumed on another version --------------------------------------------------------------


def saved_session(old: s.Configurator) -> str:
    session = old.session()
    for name, value in [("product", "derby"), ("sole", "sole_resin"), ("size", 39),
                        ("width", "wide")]:
        assert session.choose(name, value).accepted, f"{name}={value}"
    return session.to_json()


def test_resume_on_the_next_version(old, new):
    saved = saved_session(old)
    session, report = s.Session.resume(new, saved)
    assert report["catalog_changed"] is True
    assert report["saved_version"] == "2026.1"
    assert report["kept"] == ["product=derby", "size=39"]
    assert [d["choice"] for d in report["dropped"]] == ["sole=sole_resin", "width=wide"]
    resin, wide = report["dropped"]
    assert "no longer in the catalog" in resin["reason"] and "explanation" not in resin
    assert wide["explanation"]["choices"] == ["size=39"]
    assert [r["id"] for r in wide["explanation"]["rules"]] == ["wide-lasts"]
    assert [str(c) for c in session.choices] == ["product=derby", "size=39"]
    assert session.configurator is new
    # from_json keeps what holds too, without the report; a dict works as the text does.
    again = s.Session.from_json(new, json.loads(saved))
    assert again.choices == session.choices


def test_resume_on_the_same_version(old):
    saved = saved_session(old)
    session, report = s.Session.resume(old, saved)
    assert report == {
        "catalog_changed": False,
        "saved_version": "2026.1",
        "kept": ["product=derby", "sole=sole_resin", "size=39", "width=wide"],
        "dropped": [],
    }
    session.undo()  # the history comes back on the same version
    assert len(session.choices) == 3


def test_resume_refuses_another_catalog(new):
    saved = s.Configurator(SOURCE_DIR / "catalogs" / "bicycle.yaml").session().to_json()
    with pytest.raises(s.SpecError, match="saved under catalog"):
        s.Session.resume(new, saved)
    with pytest.raises(TypeError):
        s.Session.resume(new, 3)
