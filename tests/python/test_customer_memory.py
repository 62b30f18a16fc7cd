"""Customer memory from Python: past orders, profiles, preference models and recommendations."""

from __future__ import annotations

import copy
import json
import math
import pickle
from collections import Counter
from decimal import Decimal

import pytest

import sumisura as s
from conftest import BICYCLE, SHOES, run_cli

# Sales of the shoe workshop: size 37 black sneakers sell most, then tan derbies in size 43.
SALES = (
    [{"choices": {"product": "sneaker", "size": 37, "color": "black"}, "total": 120}] * 5
    + [{"choices": {"product": "derby", "size": 43, "color": "tan"}, "total": Decimal("310.5")}]
    * 3
    + [{"choices": {"product": "sneaker", "size": 40, "color": "navy"}}]
)


@pytest.fixture(scope="module")
def shoes() -> s.Configurator:
    return s.Configurator(SHOES)


@pytest.fixture(scope="module")
def model(shoes) -> s.PreferenceModel:
    return s.PreferenceModel.learn(shoes, SALES)


@pytest.fixture(scope="module")
def advised(shoes, model) -> s.Configurator:
    return s.Configurator(SHOES, preferences=model)


def values(ranking: list[s.ScoredValue]) -> list[object]:
    return [v for v, _ in ranking]


def assert_ranking(ranking: list[s.ScoredValue]) -> None:
    """Scores between 0 and 1, summing to 1, best first."""
    scores = [score for _, score in ranking]
    assert all(0 <= x <= 1 for x in scores)
    assert math.isclose(sum(scores), 1, abs_tol=1e-9)
    assert scores == sorted(scores, reverse=True)


def test_model_counts_the_orders_it_learned(model):
    assert model.orders == len(SALES)
    assert sorted(model.variables) == ["color", "product", "size"]
    assert model.method == "neighbours"
    assert 0 < model.bandwidth < 0.5  # tuned on held-out orders
    assert model.describe().startswith("neighbours, bandwidth")
    assert "neighbours" in repr(model) and f"{len(SALES)} orders" in repr(model)


def test_recommend_ranks_the_most_ordered_value_first(advised):
    session = advised.session()
    ranking = session.recommend("size")
    assert_ranking(ranking)
    assert ranking[0] == (37, ranking[0].score) and isinstance(ranking[0].value, int)
    assert values(ranking)[:3] == [37, 43, 40]
    assert ranking[0].score > ranking[1].score > ranking[2].score > ranking[3].score
    # Every valid size is ranked, once.
    assert sorted(values(ranking)) == list(range(36, 49))
    assert values(session.recommend("color"))[:3] == ["black", "tan", "navy"]


def test_a_value_the_choices_exclude_is_never_recommended(advised):
    session = advised.session()
    assert session.choose("width", "wide")  # wide lasts start at size 39: 37 is out
    ranking = session.recommend("size")
    assert_ranking(ranking)
    assert 37 not in values(ranking)
    assert values(ranking)[:2] == [43, 40]  # the most ordered of the sizes still valid
    assert sorted(values(ranking)) == sorted(session.state().domains["size"])


def test_recommendations_are_the_valid_values_and_follow_the_choices(advised):
    session = advised.session()
    assert session.choose("product", "sneaker")
    assert session.choose("upper", "upper_canvas")  # canvas comes in white, navy and black
    state = session.state()
    for name in ("color", "size", "sole", "lace", "insole", "gift_box"):
        ranking = session.recommend(name)
        assert_ranking(ranking)
        assert sorted(map(str, values(ranking))) == sorted(map(str, state.domains[name])), name
    color = session.recommend("color")
    assert "tan" not in values(color)  # ordered three times, but not in canvas
    assert values(color)[0] == "black"  # what sneaker buyers ordered most
    assert color[0].score > 0.5


def test_recommend_next_and_most_likely(advised):
    session = advised.session()
    nxt = session.recommend_next()
    assert isinstance(nxt, s.Recommendation)
    name, ranking = nxt
    assert name in ("product", "size", "color")
    assert_ranking(ranking)
    assert ranking == session.recommend(name)
    done = session.complete(objective="most_likely")
    assert done.status in (s.Status.optimal, s.Status.feasible)
    assert done.product == "sneaker"
    assert (done.selections["size"], done.selections["color"]) == (37, "black")
    # Without a model or a profile there is nothing to be likely: the catalog order decides.
    plain = s.Configurator(SHOES).session()
    assert plain.recommend_next().name == "product"
    ranking = plain.recommend("size")
    assert values(ranking)[0] == 42  # equal scores: the catalog default first
    assert len({score for _, score in ranking}) == 1


def test_errors_are_the_packages_own(advised, shoes):
    session = advised.session()
    with pytest.raises(s.SpecError, match="nope"):
        session.recommend("nope")
    with pytest.raises(s.UsageError, match="method"):
        s.PreferenceModel.learn(shoes, SALES, method="best")
    with pytest.raises(s.UsageError, match="bandwidth"):
        s.PreferenceModel.learn(shoes, SALES, bandwidth=0.5)
    # A dict order is named by its place in the list.
    with pytest.raises(s.SpecError, match=r"history\[1\]: 'size' has no value '49'") as caught:
        s.PreferenceModel.learn(shoes, [SALES[0], {"choices": {"size": 49}}, SALES[1]])
    assert isinstance(caught.value, ValueError)
    with pytest.raises(s.SpecError, match="heel"):
        s.PreferenceModel.learn(shoes, [s.Order({"heel": "high"})])
    with pytest.raises(TypeError, match="PreferenceModel or the path"):
        s.Configurator(SHOES, preferences=42)
    with pytest.raises(TypeError, match="list of orders"):
        s.PreferenceModel.learn(shoes, SALES[0])
    with pytest.raises(s.FileError) as missing:
        s.Configurator(SHOES, preferences="no/such/model.json")
    assert missing.value.file == "no/such/model.json"
    with pytest.raises(s.SpecError, match="most_likely"):
        session.complete("likeliest")


def test_save_and_load_give_the_same_recommendations(advised, shoes, model, tmp_path):
    path = tmp_path / "model.json"
    model.save(path)
    assert json.loads(path.read_text())["format"] == "sumisura-preferences/1"
    loaded = s.PreferenceModel.load(shoes, path)
    assert (loaded.describe(), loaded.orders, loaded.variables) == (
        model.describe(),
        model.orders,
        model.variables,
    )
    assert loaded.to_json() == model.to_json()
    from_file = s.Configurator(SHOES, preferences=path)
    for choices in ({}, {"product": "derby"}, {"color": "navy", "width": "wide"}):
        a, b = advised.session(), from_file.session()
        for name, value in choices.items():
            assert a.choose(name, value) and b.choose(name, value)
        for name in ("product", "size", "color", "sole"):
            ra, rb = a.recommend(name), b.recommend(name)
            assert values(ra) == values(rb), (choices, name)
            assert [x for _, x in ra] == pytest.approx([x for _, x in rb], rel=1e-12, abs=1e-15)
    again = s.PreferenceModel.from_json(shoes, model.to_json())
    assert again.to_json() == model.to_json()


def test_python_learns_what_the_command_line_learns(shoes, model, tmp_path):
    orders = tmp_path / "orders.jsonl"
    orders.write_text("".join(json.dumps(o, default=float) + "\n" for o in SALES))
    out = tmp_path / "cli-model.json"
    run_cli("learn", SHOES, orders, "-o", out)
    assert json.loads(out.read_text()) == json.loads(model.to_json())
    assert json.loads(s.PreferenceModel.learn(shoes, orders).to_json()) == json.loads(
        model.to_json()
    )


def test_configurator_takes_a_model_as_a_path_or_an_object(shoes, model, tmp_path):
    assert shoes.preferences is None
    path = tmp_path / "model.json"
    model.save(path)
    by_object = s.Configurator(s.load_catalog(SHOES), preferences=model)
    by_path = s.Configurator(str(SHOES), preferences=str(path))
    by_pathlike = s.Configurator.from_file(SHOES, preferences=path)
    with_ = shoes.with_preferences(model)
    expected = values(by_object.session().recommend("size"))
    assert expected[0] == 37
    for c in (by_path, by_pathlike, with_):
        assert c.preferences.orders == model.orders
        assert values(c.session().recommend("size")) == expected
    assert values(shoes.session().recommend("size"))[0] == 42  # shoes itself is unchanged
    # The configurator holds a copy: adding sales to the model later does not change it.
    grown = copy.copy(model)
    grown.add({"choices": {"size": 45}})
    assert (grown.orders, model.orders) == (len(SALES) + 1, len(SALES))
    assert by_object.with_preferences(grown).preferences.orders == len(SALES) + 1
    assert by_object.preferences.orders == len(SALES)
    # A model of another catalog is read by names, which the bicycle does not have.
    with pytest.raises(s.SpecError, match="model of catalog 'Made-to-measure shoes' does not fit"):
        s.Configurator(BICYCLE, preferences=model)


def test_adding_sales_moves_the_recommendations(shoes):
    m = s.PreferenceModel.learn(shoes, SALES, method="frequency")
    assert m.method == "frequency"
    for _ in range(8):
        m.add(s.Order({"size": 45, "color": "oxblood"}, total=300))
    m.add({"choices": {"size": 45}, "total": 99})
    assert m.orders == len(SALES) + 9
    session = shoes.with_preferences(m).session()
    assert values(session.recommend("size"))[0] == 45
    assert values(session.recommend("color"))[0] == "oxblood"
    with pytest.raises(s.SpecError, match="'size' has no value '99'"):
        m.add({"choices": {"size": 99}})
    assert m.orders == len(SALES) + 9
    scores = m.scores("size", [37, 45, 40])
    assert math.isclose(sum(scores), 1) and scores[1] == max(scores)


def test_history_in_every_form(shoes, tmp_path):
    table = tmp_path / "sales.csv"
    table.write_text("size,color,product\n37,black,sneaker\n43,tan,derby\n37,black,sneaker\n")
    orders = s.load_orders(shoes, table)
    assert [o.line for o in orders] == [2, 3, 4]
    assert orders[0].source == str(table)
    assert orders[0].choices == {"size": "37", "color": "black", "product": "sneaker"}
    assert orders[0].total is None
    assert s.parse_orders(shoes, table.read_text()) == orders
    # Order objects, dicts and configure results mix in one list.
    result = shoes.configure(where={"product": "derby", "size": 43})
    mixed = [*orders, {"choices": {"size": 37}, "total": 12.5}, result]
    m = s.PreferenceModel.learn(shoes, mixed, bandwidth=0.05)
    assert m.orders == 5
    assert "sole" in m.variables  # a configure result names every variable
    bad = tmp_path / "bad.csv"
    bad.write_text("size,color\n37,black\n37,purple\n")
    with pytest.raises(s.SpecError, match="purple") as caught:
        s.load_orders(shoes, bad)
    assert (caught.value.file, caught.value.line) == (str(bad), 3)
    order = s.Order([("size", 44), "color=tan", ("welt", None)], total="250")
    assert order.to_dict() == {
        "choices": {"size": "44", "color": "tan", "welt": "none"},
        "total": Decimal("250"),
    }
    assert pickle.loads(pickle.dumps(order)) == order
    assert s.Order({"size": 44}) != s.Order({"size": 43})


RETURNING = {
    "id": "ann",
    "orders": [
        {"choices": {"size": 44, "color": "dark_brown"}, "total": 300},
        {"choices": {"size": 44, "color": "dark_brown", "product": "chelsea"}, "total": 280},
    ],
}


def test_a_returning_customer_gets_their_size_without_any_model(shoes, tmp_path):
    assert shoes.preferences is None
    path = tmp_path / "ann.yaml"
    path.write_text(
        "id: ann\norders:\n"
        "  - {choices: {size: 44, color: dark_brown}, total: 300}\n"
        "  - {choices: {size: 44, color: dark_brown, product: chelsea}, total: 280}\n"
    )
    profile = s.load_profile(path)
    assert (profile.id, profile.tier, profile.source) == ("ann", None, str(path))
    assert [o.line for o in profile.orders] == [3, 4]
    for given in (RETURNING, path, str(path), profile, s.Profile(**RETURNING)):
        session = shoes.session(profile=given)
        size = session.recommend("size")
        assert_ranking(size)
        assert size[0].value == 44 and size[0].score > 0.5, given
        assert values(session.recommend("color"))[0] == "dark_brown"
        assert session.profile.id == "ann"
        assert [o.choices for o in session.profile.orders] == [o.choices for o in profile.orders]
    # The same in configure: their past values become preferences.
    done = shoes.configure(profile=RETURNING)
    assert (done.selections["size"], done.selections["color"]) == (44, "dark_brown")
    assert shoes.configure().selections["size"] == 42
    # A session takes a customer later, and keeps them when copied or pickled.
    session = shoes.session()
    assert session.profile is None
    session.set_profile(profile)
    assert values(session.recommend("size"))[0] == 44
    assert values(s.Session(shoes, profile=path).recommend("size"))[0] == 44
    for other in (copy.copy(session), pickle.loads(pickle.dumps(session))):
        assert other.profile.id == "ann"
        assert values(other.recommend("size"))[0] == 44


def test_profiles_in_python(shoes):
    p = s.Profile("bob", tier="trade", prefer={"color == tan": 2}, orders=[s.Order({"size": 41})])
    assert p.preferences == [("color == tan", Decimal(2))]
    assert p.tier == "trade" and p.orders[0].choices == {"size": "41"}
    assert s.Profile(**p.to_dict()).to_dict() == p.to_dict()
    assert pickle.loads(pickle.dumps(p)).to_dict() == p.to_dict()
    assert s.parse_profile(json.dumps({"id": "bob", "tier": "trade"})).tier == "trade"
    assert s.Profile(tier=None).tier is None
    with pytest.raises(s.SpecError, match="unknown key 'colour'") as caught:
        s.Profile(orders=[{"choices": {"size": 41}, "colour": "tan"}])
    assert (caught.value.file, caught.value.line) == ("", 0)  # a dict has no place to point at
    with pytest.raises(TypeError, match="profile"):
        shoes.session(profile=42)


def test_malformed_profile_names_its_file_and_line(shoes, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "id: bob\n"
        "orders:\n"
        "  - choices: {size: 44, color: tan}\n"
        "    total: 300\n"
        "  - choices: {size: 44, heel: high}\n"
    )
    with pytest.raises(s.SpecError, match="heel") as caught:
        shoes.session(profile=path)
    assert (caught.value.file, caught.value.line) == (str(path), 5)
    assert str(caught.value).startswith(f"{path}:5:")
    with pytest.raises(s.SpecError, match="heel") as caught:
        shoes.session().set_profile(str(path))
    assert (caught.value.file, caught.value.line) == (str(path), 5)
    with pytest.raises(s.SpecError, match="heel") as caught:
        shoes.configure(profile=path)
    assert (caught.value.file, caught.value.line) == (str(path), 5)
    with pytest.raises(s.SpecError, match="heel") as caught:
        s.lifetime_value(shoes, s.load_profile(path))
    assert (caught.value.file, caught.value.line) == (str(path), 5)
    with pytest.raises(s.SpecError, match="heel") as caught:
        shoes.session(profile={"orders": [{"choices": {"heel": "high"}}]})
    assert caught.value.file == ""
    syntax = tmp_path / "syntax.yaml"
    syntax.write_text("id: bob\norders:\n  - {choices: {size: 44}, colour: tan}\n")
    with pytest.raises(s.SpecError, match="unknown key 'colour'") as caught:
        s.load_profile(syntax)
    assert (caught.value.file, caught.value.line) == (str(syntax), 3)
    with pytest.raises(s.FileError):
        s.load_profile(tmp_path / "missing.yaml")


@pytest.fixture(scope="module")
def loyal() -> s.Configurator:
    """The shoe catalog with its tiers replaced: one given by name, one earned by spending 500 EUR
    over time."""
    catalog = s.load_catalog(SHOES)
    catalog.tiers = [
        s.Tier("trade", label="Trade partner", discount_percent=12),
        s.Tier("loyal", label="Loyal customer", discount_percent=10, lifetime_value=500),
    ]
    assert catalog.tiers[1].lifetime_value == Decimal(500)
    return s.Configurator(catalog)


def test_a_tier_earned_by_lifetime_value_discounts_the_price(loyal):
    assert s.lifetime_value(loyal, RETURNING) == Decimal(580)
    assert s.tier_of(loyal, RETURNING) == "loyal"
    assert s.tier_of(s.Configurator(SHOES), {"orders": []}) is None
    where = {"product": "sneaker", "size": 44, "color": "dark_brown"}
    plain = loyal.configure(where=where).price
    served = loyal.configure(where=where, profile=RETURNING).price
    assert plain.tier == 0
    assert served.tier == -(plain.total * Decimal("0.10"))
    assert served.total == plain.total * Decimal("0.90")
    assert served == loyal.configure({"tier": "loyal"}, where=where).price
    # Sessions price at the tier too.
    assert loyal.session(profile=RETURNING).state().price_min == loyal.configure(
        {"tier": "loyal"}
    ).price.total
    # Below the threshold: no tier; a named tier with a better discount wins over an earned one.
    newcomer = {"id": "new", "orders": [RETURNING["orders"][0]]}
    assert s.lifetime_value(loyal, newcomer) == Decimal(300)
    assert s.tier_of(loyal, newcomer) is None
    assert loyal.configure(where=where, profile=newcomer).price == plain
    assert s.tier_of(loyal, {**RETURNING, "tier": "trade"}) == "trade"  # 12% beats 10%
    # An order without a total is priced on the catalog.
    unpriced = {"orders": [{"choices": {"product": "sneaker", "size": 44}}]}
    assert s.lifetime_value(loyal, unpriced) == loyal.configure(
        where={"product": "sneaker", "size": 44}
    ).price.total
    with pytest.raises(s.SpecError, match="tier 'gold'"):
        s.tier_of(loyal, {"tier": "gold"})


def test_models_and_configurators_with_them_pickle(advised, model):
    again = pickle.loads(pickle.dumps(model))
    assert again.to_json() == model.to_json()
    revived = pickle.loads(pickle.dumps(advised))
    assert revived.preferences is not None
    assert revived.session().recommend("size") == advised.session().recommend("size")
    assert pickle.loads(pickle.dumps(s.Configurator(SHOES))).preferences is None
    ranking = advised.session().recommend("size")
    assert pickle.loads(pickle.dumps(ranking)) == ranking


def test_history_counts_as_the_recommendation_says(shoes):
    """Frequencies: with nothing chosen, colours rank as they sold."""
    m = s.PreferenceModel.learn(shoes, SALES, method="frequency")
    ranking = shoes.with_preferences(m).session().recommend("color")
    sold = Counter(o["choices"]["color"] for o in SALES)
    top = [c for c, _ in sold.most_common()]
    assert values(ranking)[: len(top)] == top

