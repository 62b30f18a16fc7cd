"""Rough edges of the Python API (issue 14): a slot's size in YAML's words (`cardinality`), and
unknown keywords answered by UnknownKeywordError naming the accepted ones, not a signature dump."""

from __future__ import annotations

import pickle
import types

import pytest

import sumisura as s
from conftest import SHOES


# --- cardinality, as YAML writes it ----------------------------------------------------------


@pytest.mark.parametrize(
    "cardinality, low, high",
    [(1, 1, 1), (0, 0, 0), (3, 3, 3), ("2", 2, 2), ("0..1", 0, 1), ("1..3", 1, 3), ("0..0", 0, 0)],
)
def test_slot_takes_cardinality_as_yaml_does(cardinality, low, high):
    slot = s.Slot("laces", cardinality=cardinality, blocks=["lace_red"])
    assert (slot.min, slot.max) == (low, high)
    # The same slot read from YAML is equal to it.
    text = (
        "catalog: {name: t}\nblocks: [{id: lace_red}]\nslots:\n"
        f"  - {{id: laces, cardinality: {cardinality}, blocks: [lace_red]}}\n"
    )
    assert s.parse_catalog(text).slots[0] == slot


def test_cardinality_reads_back_as_yaml_text_and_sets_min_and_max():
    slot = s.Slot("laces", min=0, max=3)
    assert slot.cardinality == "0..3"
    assert s.Slot("sole").cardinality == "1"
    slot.cardinality = 2
    assert (slot.min, slot.max, slot.cardinality) == (2, 2, "2")
    slot.cardinality = "0..1"
    assert (slot.min, slot.max) == (0, 1)
    assert repr(s.Slot("laces", cardinality="0..3", repeat=True)) == (
        "Slot(id='laces', cardinality='0..3', repeat=True)"
    )
    assert eval(repr(slot), {"Slot": s.Slot}) == slot  # the repr is a constructor call
    loaded = s.load_catalog(SHOES)
    for yaml_slot in loaded.slots:
        assert s.Slot(yaml_slot.id, cardinality=yaml_slot.cardinality) == s.Slot(
            yaml_slot.id, min=yaml_slot.min, max=yaml_slot.max
        )


def test_min_and_max_still_work_and_may_repeat_the_cardinality():
    assert (s.Slot("a", min=0, max=3).min, s.Slot("a", min=0, max=3).max) == (0, 3)
    assert (s.Slot("a").min, s.Slot("a").max) == (1, 1)  # defaults unchanged
    assert (s.Slot("a", min=0).min, s.Slot("a", min=0).max) == (0, 1)
    agreeing = s.Slot("a", cardinality="0..3", min=0, max=3)
    assert agreeing == s.Slot("a", cardinality="0..3")
    assert s.Slot("a", cardinality="0..3", max=3).min == 0


@pytest.mark.parametrize("extra", [{"min": 1}, {"max": 2}, {"min": 0, "max": 1}])
def test_min_or_max_disagreeing_with_cardinality_is_a_usage_error(extra):
    expected = r"slot 'a': cardinality='0\.\.3' means min=0, max=3.*disagrees"
    with pytest.raises(s.UsageError, match=expected):
        s.Slot("a", cardinality="0..3", **extra)


@pytest.mark.parametrize("bad", ["", "-1", "1..", "a..3", "1.5", "0..x", "2000000", "1...3"])
def test_bad_cardinality_text_is_refused_as_yaml_refuses_it(bad):
    with pytest.raises(s.UsageError, match="cardinality must be a count such as 1"):
        s.Slot("a", cardinality=bad)
    with pytest.raises(s.CatalogError, match="cardinality must be a count such as 1"):
        s.parse_catalog(f"catalog: {{name: t}}\nslots:\n  - {{id: a, cardinality: '{bad}'}}\n")
    slot = s.Slot("a")
    with pytest.raises(s.UsageError):
        slot.cardinality = bad
    assert slot.cardinality == "1"  # unchanged


@pytest.mark.parametrize("bad", [True, 1.5, [0, 1.5], (0, None), {"a": 1}])
def test_cardinality_of_another_type_is_a_type_error(bad):
    with pytest.raises(TypeError, match="cardinality is a count"):
        s.Slot("a", cardinality=bad)


def test_a_list_of_counts_is_a_cardinality_that_is_not_a_range():
    assert s.Slot("a", cardinality=[0, 3]).cardinality == "0, 3"
    assert s.Slot("a", cardinality=(0, "2..4")).counts == [0, 2, 3, 4]


# --- unknown keywords ------------------------------------------------------------------------


def test_unknown_keyword_names_the_accepted_ones_and_the_nearest():
    with pytest.raises(s.UsageError) as caught:
        s.Block("sole", prise=45)
    message = str(caught.value)
    assert message.startswith("Block(): unknown keyword 'prise' (did you mean 'price'?)")
    assert "it takes: id, label, description, price, attributes" in message
    assert "incompatible" not in message and "Invoked with" not in message
    assert caught.value.__suppress_context__  # the signature dump is not chained below it
    # Also a TypeError, as for Python's own functions, so older `except TypeError` code still works.
    assert isinstance(caught.value, TypeError) and isinstance(caught.value, s.UnknownKeywordError)


def test_yaml_key_names_are_suggested_for_their_python_names():
    with pytest.raises(s.UsageError, match="'requires' \\(did you mean 'requires_blocks'\\?\\)"):
        s.Block("welt", requires=["sole"])
    with pytest.raises(s.UsageError, match="'default' \\(did you mean 'default_value'\\?\\)"):
        s.Option.boolean("gift_box", default=True)


def test_far_keywords_get_no_suggestion_and_case_is_forgiven():
    with pytest.raises(s.UsageError) as caught:
        s.Slot("a", colour="red")
    assert "did you mean" not in str(caught.value)
    assert "cardinality" in str(caught.value)  # the YAML word is listed
    with pytest.raises(s.UsageError, match="did you mean 'label'"):
        s.Slot("a", LABEL="x")


def test_several_unknown_keywords_are_all_named():
    with pytest.raises(s.UsageError) as caught:
        s.Product("p", labl="P", bse_price=10)
    text = str(caught.value)
    assert "'labl' (did you mean 'label'?)" in text
    assert "'bse_price' (did you mean 'base_price'?)" in text


@pytest.fixture(scope="module")
def shoes_configurator():
    return s.Configurator(SHOES)


ENTRY_POINTS = [
    ("Catalog()", lambda c: s.Catalog("x", verison="1")),
    ("Option()", lambda c: s.Option("x", lable="X")),
    ("Option.enumeration()", lambda c: s.Option.enumeration("x", ["a"], lable="X")),
    ("Block()", lambda c: s.Block("x", prise=1)),
    ("Slot()", lambda c: s.Slot("x", blokcs=[])),
    ("Product()", lambda c: s.Product("x", base_prise=1)),
    ("Service()", lambda c: s.Service("x", offered=1)),
    ("Bundle()", lambda c: s.Bundle("x", discount=1)),
    ("Tier()", lambda c: s.Tier("x", discount=1)),
    ("Rule()", lambda c: s.Rule("x", expresion="a")),
    ("Configurator()", lambda c: s.Configurator(SHOES, preference=None)),
    ("Configurator.configure()", lambda c: c.configure({}, wher={})),
    ("Configurator.session()", lambda c: c.session(profil=None)),
    ("Configurator.count()", lambda c: c.count(wher={})),
    ("Configurator.analyze()", lambda c: c.analyze(wher={})),
    ("Configurator.sample()", lambda c: c.sample(2, sed=1)),
    ("Configurator.revalidate()", lambda c: c.revalidate([], order=[])),
    ("diff()", lambda c: s.diff(c, c, exampels=1)),
    ("load_catalog()", lambda c: s.load_catalog(SHOES, fromat="yaml")),
    ("Session.choose()", lambda c: c.session().choose("size", 42, nmae="x")),
    ("Session.explain()", lambda c: c.session().explain("size", vlaue=42)),
    ("Session.state()", lambda c: c.session().state(verbose=True)),
]


@pytest.mark.parametrize("where, call", ENTRY_POINTS, ids=[e[0] for e in ENTRY_POINTS])
def test_every_entry_point_answers_an_unknown_keyword_alike(shoes_configurator, where, call):
    with pytest.raises(s.UnknownKeywordError) as caught:
        call(shoes_configurator)
    assert str(caught.value).startswith(where + ": unknown keyword")
    assert "Invoked with" not in str(caught.value)


def test_positional_calls_and_other_type_errors_are_unchanged(shoes_configurator):
    block = s.Block("sole", price=45)  # id positionally, the rest by keyword, as before
    assert block.price == 45
    assert s.Option.integer_range("size", 36, 48).range_max == 48
    assert shoes_configurator.sample(2, seed=1) == shoes_configurator.sample(2, seed=1)
    assert shoes_configurator.configure({}).has_product
    # A wrong type with known keywords stays pybind11's TypeError, not a UsageError.
    with pytest.raises(TypeError) as caught:
        s.Block("x", price=[1])
    assert not isinstance(caught.value, s.UsageError)
    with pytest.raises(TypeError) as caught:
        s.Block()  # a missing id
    assert not isinstance(caught.value, s.UsageError)
    # Errors the bindings raise themselves pass through untouched.
    with pytest.raises(TypeError, match="not a str"):
        s.Option.enumeration("color", "black")


def test_wrapping_covers_every_binding_and_keeps_names_docs_and_pickling():
    from sumisura import _core

    missing = []
    for name, value in vars(_core).items():
        if name.startswith("_"):
            continue
        if isinstance(value, type) and not hasattr(value, "__members__"):
            for attr, raw in vars(value).items():
                if attr.startswith("_") and attr != "__init__":
                    continue
                func = getattr(raw, "__func__", raw)
                function = isinstance(func, (types.BuiltinFunctionType, types.FunctionType))
                if function and not hasattr(func, "__sumisura_keywords__"):
                    missing.append(f"{name}.{attr}")
        elif callable(value) and not isinstance(value, type):
            if not hasattr(value, "__sumisura_keywords__"):
                missing.append(name)
    assert missing == []  # a pybind11 docstring format the parser does not read would show here
    assert s.load_catalog.__name__ == "load_catalog" and "load_catalog(" in s.load_catalog.__doc__
    assert s.Configurator.configure.__doc__.startswith("configure(")
    assert pickle.loads(pickle.dumps(s.load_catalog)) is s.load_catalog
    error = pickle.loads(pickle.dumps(s.UnknownKeywordError("Block(): unknown keyword 'x'")))
    assert type(error) is s.UnknownKeywordError and str(error) == "Block(): unknown keyword 'x'"


def test_subclasses_still_construct_through_the_wrapped_init():
    class Sole(s.Block):
        def __init__(self, id: str, **kwargs):
            super().__init__(id, label="Sole", **kwargs)

    sole = Sole("sole_leather", price=45)
    assert (sole.label, sole.price) == ("Sole", 45)
    with pytest.raises(s.UsageError, match="did you mean 'price'"):
        Sole("sole", prce=1)


def test_closest_name_follows_the_engines_rule():
    from sumisura._keywords import closest_name

    assert closest_name("prise", ["price", "label"]) == "price"
    assert closest_name("Label", ["label"]) == "label"  # case only
    assert closest_name("colour", ["color"]) == "color"
    assert closest_name("xyz", ["price"]) == ""
    assert closest_name("price", ["price"]) == ""  # never itself
