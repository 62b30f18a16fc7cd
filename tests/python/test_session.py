"""Interactive sessions from Python: clicks, domains, refusals with explanations, undo, saving."""

from __future__ import annotations

import copy
import json
import re
import multiprocessing
import pickle
import threading
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal

import pytest

import sumisura as s
from conftest import BICYCLE, SHOES, pause_while, run_cli, without_stats

# The shoe catalog's defaults: size 42, standard width, black, round toe.
DEFAULTS = {"size": 42, "width": "standard", "color": "black", "toe": "round"}


@pytest.fixture(scope="module")
def shoes() -> s.Configurator:
    return s.Configurator(SHOES)


@pytest.fixture
def sneaker47(shoes) -> s.Session:
    """A session where the customer chose a sneaker in size 47 (crepe soles stop at 46)."""
    session = shoes.session()
    assert session.choose("product", "sneaker")
    assert session.choose("size", 47)
    return session


def cli_session(*requests: dict) -> list[dict]:
    """The answers of `sumisura session` to these requests."""
    lines = "".join(json.dumps(r) + "\n" for r in requests)
    out = run_cli("session", SHOES, stdin=lines)
    return [json.loads(line) for line in out.splitlines()]


def test_new_session_state(shoes):
    session = shoes.session()
    assert session.choices == [] and session.configurator is shoes
    state = session.state()
    assert state.consistent and state.complete
    assert state.domains == shoes.domains()["domains"]
    assert state.chosen == {} and state.implied == {}
    assert state.defaults == DEFAULTS
    # The cheapest shoe is a 145 EUR sneaker; the dearest possible pair costs 912.05 EUR.
    assert (state.price_min, state.price_max) == (Decimal(145), Decimal("912.05"))
    assert not state.price_limited
    assert state.currency == "EUR"
    size = state.variables["size"]
    assert (size.name, size.kind) == ("size", "option")
    assert size.values == list(range(36, 49)) and all(size.valid)
    assert (size.chosen, size.implied, size.default_value) == (None, None, 42)
    welt = state.variables["welt"]
    assert welt.kind == "slot" and welt.values == ["none", "welt_goodyear", "welt_storm"]
    assert state.variables["engraving"].values == [False, True]
    assert state.variables["product"].kind == "product"
    assert list(state.variables) == list(state.domains)


def test_clicks_narrow_the_domains(sneaker47):
    state = sneaker47.state()
    assert state.chosen == {"product": "sneaker", "size": 47}
    assert state.domains["product"] == ["sneaker"]
    assert state.domains["sole"] == ["sole_cupsole"]  # sneakers: cupsole or crepe; crepe to 46
    assert state.implied["sole"] == "sole_cupsole" and state.implied["welt"] == "none"
    assert state.implied["toe"] == "round"  # sneakers have no toe option
    assert state.defaults == {"width": "standard", "color": "black"}
    assert state.domains["insole"] == ["insole_cork", "insole_memory"]  # a cupsole needs one
    sole = state.variables["sole"]
    assert sole.valid_values == ["sole_cupsole"] and sole.implied == "sole_cupsole"
    assert sole.valid == [v == "sole_cupsole" for v in sole.values]
    assert (state.price_min, state.price_max) == (Decimal(145), Decimal(538))
    # The same clicks over the command line's session protocol give the same state.
    answers = cli_session(
        {"op": "choose", "name": "product", "value": "sneaker"},
        {"op": "choose", "name": "size", "value": 47},
    )
    assert [a["accepted"] for a in answers] == [True, True]
    # The count of products left comes with a state once the compiled form, built in the
    # background from the first session, is there: in either process, or not yet.
    mine, theirs = state.to_dict(), answers[-1]["state"]
    count, their_count = mine.pop("count", None), theirs.pop("count", None)
    assert mine == theirs
    if count is not None and their_count is not None:
        assert count == their_count


def test_refused_choice_comes_with_its_explanation(sneaker47):
    before = sneaker47.choices
    answer = sneaker47.choose("sole", "sole_crepe")
    assert not answer and answer.accepted is False
    explanation = answer.explanation
    assert explanation.available is False and explanation.minimal
    assert explanation.choices == [s.Choice("size", "47")]
    [rule] = explanation.rules
    assert rule.id == "sole-size" and rule.line > 0 and rule.file == str(SHOES)
    assert rule.message.startswith("This sole is not made in your size")
    assert sneaker47.choices == before  # a refused choice changes nothing
    assert sneaker47.explain("sole", "sole_crepe") == explanation
    assert sneaker47.repairs("sole", "sole_crepe") == [[s.Choice("size", "47")]]
    # A value that is available has nothing to explain, and nothing to repair.
    nothing = s.Explanation(available=True, choices=[], rules=[])
    assert sneaker47.explain("gift_box", True) == nothing
    accepted = sneaker47.choose("gift_box", True)
    assert accepted and accepted == s.ChooseResult(accepted=True) and accepted.explanation is None
    # The same refusal over the command line.
    [_, _, refused] = cli_session(
        {"op": "choose", "name": "product", "value": "sneaker"},
        {"op": "choose", "name": "size", "value": 47},
        {"op": "choose", "name": "sole", "value": "sole_crepe"},
    )
    assert refused["accepted"] is False
    assert refused["explanation"]["choices"] == [str(c) for c in explanation.choices]
    assert [r["id"] for r in refused["explanation"]["rules"]] == ["sole-size"]


def test_choices_undo_unchoose_reset(shoes):
    session = shoes.session()
    assert session.choose("product", "oxford")
    assert session.choose("gift_box", True)  # bool: "true"
    assert session.choose("size", 44)  # int: "44"
    assert session.choices == [("product", "oxford"), ("gift_box", "true"), ("size", "44")]
    assert [str(c) for c in session.choices] == ["product=oxford", "gift_box=true", "size=44"]
    assert session.choices[1].name == "gift_box" and session.choices[1].value == "true"
    assert session.choose("size", "45")  # choosing a name again replaces the choice
    assert session.choices[-1] == s.Choice("size", "45") and len(session.choices) == 3
    session.undo()
    assert session.choices[-1] == ("size", "44")
    session.unchoose("gift_box")
    assert session.choices == [("product", "oxford"), ("size", "44")]
    session.unchoose("gift_box")  # nothing to forget: no change, nothing to undo
    session.reset()
    assert session.choices == []
    session.undo()
    assert session.choices == [("product", "oxford"), ("size", "44")]
    assert repr(session) == "<Session 'Made-to-measure shoes': product=oxford, size=44>"
    for _ in range(4):
        session.undo()
    assert session.choices == []
    with pytest.raises(s.UsageError, match="nothing to undo"):
        session.undo()


def test_complete_finishes_the_product(shoes, sneaker47):
    cheapest = sneaker47.complete("cheapest")
    assert cheapest.status == "optimal" and cheapest.product == "sneaker"
    assert cheapest.selections["size"] == 47 and cheapest.selections["sole"] == "sole_cupsole"
    assert cheapest.price.total == 145
    assert cheapest == sneaker47.complete() == sneaker47.complete(["cheapest"])
    same = shoes.configure({"objective": "cheapest"}, where=[str(c) for c in sneaker47.choices])
    assert cheapest == same
    [_, _, answer] = cli_session(
        {"op": "choose", "name": "product", "value": "sneaker"},
        {"op": "choose", "name": "size", "value": 47},
        {"op": "complete", "objective": "cheapest"},
    )
    assert without_stats(cheapest.to_dict()) == without_stats(answer["result"])


def test_json_round_trip(shoes, sneaker47):
    sneaker47.choose("color", "navy")
    text = sneaker47.to_json()
    saved = json.loads(text)
    assert saved["format"] == "sumisura-session/1"
    assert saved["catalog"]["name"] == "Made-to-measure shoes"
    assert saved["catalog"]["version"] == "2026.1"
    assert re.fullmatch("[0-9a-f]{16}", saved["catalog"]["fingerprint"])  # the content, hashed
    assert saved["choices"] == [
        {"name": "product", "value": "sneaker"},
        {"name": "size", "value": "47"},
        {"name": "color", "value": "navy"},
    ]
    resumed = s.Session.from_json(shoes, text)
    assert resumed.choices == sneaker47.choices
    assert s.Session.from_json(shoes, saved).choices == sneaker47.choices  # the dict works too
    resumed.undo()  # the undo history came along
    assert resumed.choices == [("product", "sneaker"), ("size", "47")]
    assert sneaker47.choices[-1] == ("color", "navy")  # independent of the original
    with pytest.raises(s.SpecError, match="malformed session"):
        s.Session.from_json(shoes, "{}")
    with pytest.raises(s.SpecError, match="malformed session"):
        s.Session.from_json(shoes, "not json")
    with pytest.raises(s.SpecError, match="saved under catalog 'Made-to-measure shoes'"):
        s.Session.from_json(s.Configurator(BICYCLE), text)  # another catalog
    # Without the catalog it was saved under, the choices are still checked against this one.
    anonymous = json.dumps({k: v for k, v in json.loads(text).items() if k != "catalog"})
    with pytest.raises(s.SpecError, match="no product 'sneaker'"):
        s.Session.from_json(s.Configurator(BICYCLE), anonymous)
    with pytest.raises(TypeError):
        s.Session.from_json(shoes, 42)


def test_errors(shoes):
    session = shoes.session()
    with pytest.raises(s.SpecError, match="did you mean 'color'"):
        session.choose("colour", "black")
    with pytest.raises(s.SpecError, match="option 'color' has no value 'blak'"):
        session.choose("color", "blak")
    with pytest.raises(s.SpecError, match="is not a block of slot 'sole'"):
        session.explain("sole", "upper_calf")
    with pytest.raises(s.SpecError):
        session.repairs("size", 99)
    with pytest.raises(TypeError, match="choice's value"):
        session.choose("size", 42.0)
    with pytest.raises(s.SpecError, match="objective 'best' is not one of cheapest, preferred, most_likely, minimize MEASURE"):
        session.complete("best")
    with pytest.raises(s.UsageError, match="time_limit"):
        session.state(time_limit=0)
    assert session.choices == []


def test_sessions_pickle_and_copy(shoes, sneaker47):
    again = pickle.loads(pickle.dumps(sneaker47))
    assert again.choices == sneaker47.choices
    assert again.configurator.catalog == shoes.catalog
    again.undo()  # the history travels too
    assert again.choices == [("product", "sneaker")]
    twin = copy.copy(sneaker47)
    assert twin.configurator is sneaker47.configurator
    twin.reset()
    assert twin.choices == [] and len(sneaker47.choices) == 2
    assert copy.deepcopy(sneaker47).choices == sneaker47.choices
    # The value objects pickle too.
    refused = sneaker47.choose("sole", "sole_crepe")
    assert pickle.loads(pickle.dumps(refused)) == refused
    assert pickle.loads(pickle.dumps(s.Choice("size", "47"))) == ("size", "47")


def _click_in_worker(
    session: s.Session, name: str, value: str | int | bool
) -> tuple[bool, s.Session]:
    return bool(session.choose(name, value)), session


def test_session_goes_through_a_process_pool(sneaker47):
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        click = pool.submit(_click_in_worker, sneaker47, "color", "navy")
        accepted, back = click.result(timeout=300)
        assert accepted
        assert back.choices == [*sneaker47.choices, ("color", "navy")]
        click = pool.submit(_click_in_worker, sneaker47, "sole", "sole_crepe")
        refused, _ = click.result(timeout=300)
        assert not refused


def test_threads_share_a_configurator_and_a_session(shoes):
    # Two customers at once, each in their own session over one configurator.
    clicks = {0: [("product", "oxford"), ("size", 43)], 1: [("product", "sneaker"), ("size", 47)]}
    results: dict[int, tuple] = {}

    def customer(i: int) -> None:
        session = shoes.session()
        accepted = [bool(session.choose(n, v)) for n, v in clicks[i]]
        results[i] = (accepted, session.explain("sole", "sole_crepe").available)

    threads = [threading.Thread(target=customer, args=(i,)) for i in clicks]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    # Crepe soles go with suede uppers only, which an oxford may have; size 47 rules them out.
    assert results == {0: ([True, True], True), 1: ([True, True], False)}

    # One session used from two threads: calls are serialised, none is lost.
    session = shoes.session()
    names = [("gift_box", True), ("color", "black"), ("width", "wide"), ("monogram", True)]
    workers = [
        threading.Thread(target=lambda part=part: [session.choose(n, v) for n, v in part])
        for part in (names[:2], names[2:])
    ]
    for t in workers:
        t.start()
    for t in workers:
        t.join(timeout=300)
    assert sorted(c.name for c in session.choices) == sorted(n for n, _ in names)


def test_state_releases_the_gil(shoes):
    session = shoes.session()
    session.choose("product", "oxford")
    longest_pause, length = pause_while(session.state)
    if length < 0.1:
        pytest.skip(f"state() took {length:.3f} s: too short to tell")
    assert longest_pause < length / 2


def test_complete_on_a_measure_and_the_same_through_the_protocol(sneaker47):
    lightest = sneaker47.complete("minimize shoe_weight")
    heaviest = sneaker47.complete(["maximize shoe_weight", "cheapest"])
    assert lightest.status == heaviest.status == "optimal"
    assert lightest.measures["shoe_weight"] < heaviest.measures["shoe_weight"]
    assert sneaker47.complete("maximize shoe_weight, cheapest") == heaviest
    [_, _, answer] = cli_session(
        {"op": "choose", "name": "product", "value": "sneaker"},
        {"op": "choose", "name": "size", "value": 47},
        {"op": "complete", "objective": "maximize shoe_weight, cheapest"},
    )
    assert without_stats(heaviest.to_dict()) == without_stats(answer["result"])
    with pytest.raises(s.SpecError, match="'stowage' is not a measure of this catalog"):
        sneaker47.complete("maximize stowage")
