"""What a catalog can make, from Python: count, analyze, sample, compile, and compiled files."""

from __future__ import annotations

import csv
import itertools
import multiprocessing
import pickle
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest

import sumisura as s
from conftest import BICYCLE, SHOES, SHOES_IMPOSSIBLE, SOURCE_DIR, cli_json, pause_while

# Public models with published counts; data, not part of the project (see its README).
BENCHMARKS = SOURCE_DIR.parent / "shared" / "benchmarks"
# A model whose compilation runs long enough to watch (it does not finish within the default
# budget): about 1.5 s of work for 100 million steps.
LINUX = BENCHMARKS / "cnf" / "linux-2.6.33.3.dimacs"


@pytest.fixture(scope="module")
def shoes() -> s.Configurator:
    configurator = s.Configurator(SHOES)
    assert configurator.compile().compiled
    return configurator


def benchmark(path: Path) -> Path:
    if not path.is_file():
        pytest.skip(f"{path} is absent (the shared benchmarks are not in this checkout)")
    return path


def published_counts() -> dict[str, int]:
    """REFERENCE.tsv: model file (relative to the benchmarks folder) -> its number of products."""
    table = benchmark(BENCHMARKS / "REFERENCE.tsv")
    with open(table, newline="") as f:
        rows = csv.DictReader(f, dialect="excel-tab")
        return {row["file"]: int(row["valid_configurations"]) for row in rows}


def without_quantities(product: dict[str, Any]) -> dict[str, Any]:
    """A sampled product as choices: the engine takes no choice of a block's quantity."""
    return {name: value for name, value in product.items() if "." not in name}


# --- counting -------------------------------------------------------------------------------------


def test_count_is_the_sum_of_the_counts_of_any_variables_values(shoes):
    total = shoes.count()
    assert isinstance(total, int) and total == 268_824_000
    analysis = shoes.analyze()
    assert analysis.counted and analysis.feasible and analysis.complete
    assert analysis.total == total and analysis.reason == ""
    assert list(analysis.variables)[:3] == ["product", "size", "width"]
    for variable in analysis.variables.values():
        assert sum(v.count for v in variable.values) == total, variable.name
        assert sum(v.share for v in variable.values) == pytest.approx(1.0)
        for v in variable.values:
            assert v.dead == (v.count == 0) and v.core == (v.count == total), (variable.name, v)
            assert v.share == pytest.approx(v.count / total)
    assert analysis.variables["size"].counts[42] == shoes.count(where={"size": 42})


def test_count_where_takes_the_choices_domains_takes(shoes):
    size42 = shoes.analyze().variables["size"].counts[42]
    assert shoes.count({"size": 42}) == size42
    assert shoes.count(["size=42"]) == size42
    assert shoes.count([("size", 42)]) == size42
    assert shoes.count("size=42") == size42
    assert shoes.count({"gift_box": True}) + shoes.count({"gift_box": False}) == shoes.count()
    assert shoes.count({"product": "chelsea"}) == shoes.count(["product=chelsea"]) > 0


def test_two_choices_count_at_most_each_alone(shoes):
    both = shoes.count({"size": 47, "product": "sneaker"})
    assert 0 < both <= min(shoes.count({"size": 47}), shoes.count({"product": "sneaker"}))
    # Crepe soles stop at size 46: no product has both.
    assert shoes.count({"sole": "sole_crepe", "size": 47}) == 0
    assert shoes.count({"sole": "sole_crepe"}) > 0 and shoes.count({"size": 47}) > 0


def test_count_refuses_names_and_values_the_catalog_lacks(shoes):
    with pytest.raises(s.SpecError, match="colr"):
        shoes.count({"colr": "black"})
    with pytest.raises(s.SpecError, match="99"):
        shoes.count({"size": 99})
    with pytest.raises(TypeError):
        shoes.count({"size": 4.5})


def test_count_agrees_with_brute_force_on_a_small_catalog():
    catalog = s.parse_catalog(
        """
catalog: {name: tiny}
options:
  - {id: a, range: [1, 4]}
  - {id: b, values: [x, y, z]}
  - {id: c, type: boolean}
rules:
  - {id: r1, message: m, forbid: 'a >= 3 and b == z'}
  - {id: r2, message: m, when: 'a == 1', require: c}
"""
    )

    def valid(a: int, b: str, c: bool) -> bool:  # the two rules, read independently
        return not (a >= 3 and b == "z") and (a != 1 or c)

    products = [p for p in itertools.product(range(1, 5), "xyz", (False, True)) if valid(*p)]
    configurator = s.Configurator(catalog)
    assert configurator.count() == len(products) == 17
    for a, b in itertools.product(range(1, 5), "xyz"):
        expected = sum(1 for p in products if p[:2] == (a, b))
        assert configurator.count({"a": a, "b": b}) == expected, (a, b)


def test_counts_of_published_models():
    counts = published_counts()
    for name in ("axtls", "berkeleydb", "busybox-1.18.0", "mercedes-C169_FV", "automotive01"):
        path = benchmark(BENCHMARKS / "cnf" / f"{name}.dimacs")
        configurator = s.Configurator(path)
        assert configurator.compile().compiled, name
        # automotive01 has 218 digits: ints of any size, never floats.
        assert configurator.count() == counts[f"cnf/{name}.dimacs"], name


def test_count_matches_the_command_line(shoes):
    out = cli_json("count", SHOES, "--where", "size=42", "--json")
    assert out["exact"] and int(out["count"]) == shoes.count({"size": 42})


# --- analysis -------------------------------------------------------------------------------------


def test_analysis_matches_the_command_line(shoes):
    analysis = shoes.analyze()
    out = cli_json("analyze", SHOES, "--json")
    assert int(out["total"]) == analysis.total
    assert (out["dead"], out["core"], out["false_optional"]) == (
        analysis.dead,
        analysis.core,
        analysis.false_optional,
    )
    assert [v["name"] for v in out["variables"]] == list(analysis.variables)
    for v in out["variables"]:
        mine = analysis.variables[v["name"]]
        assert mine.kind == v["kind"] and mine.false_optional == v["false_optional"]
        assert [(x["value"], int(x["count"]), x["dead"], x["core"]) for x in v["values"]] == [
            (x.value, x.count, x.dead, x.core) for x in mine.values
        ]


FEATURES = """
catalog: {name: features}
options:
  - {id: root, type: boolean}
  - {id: a, type: boolean, parent: root}
  - {id: b, type: boolean, parent: root, mandatory: true}
  - {id: c, type: boolean, parent: root}
rules:
  - {id: always-root, message: The root is in every product., require: root}
  - {id: a-always, message: a comes with root., when: root, require: a}
  - {id: b-mandatory, message: b is mandatory., when: root, require: b}
  - {id: children, message: Children need their parent., when: 'a or b or c', require: root}
"""


def test_false_optional_features():
    configurator = s.Configurator(s.parse_catalog(FEATURES))
    analysis = configurator.analyze()
    # a is declared optional yet in every product; b is mandatory, so it is no surprise.
    assert analysis.false_optional == ["a"]
    assert analysis.variables["a"].false_optional and not analysis.variables["b"].false_optional
    assert analysis.core == ["root=true", "a=true", "b=true"]
    assert analysis.dead == ["root=false", "a=false", "b=false"]
    assert analysis.total == configurator.count() == 2  # c or not


def test_analysis_without_a_compiled_form_has_no_counts():
    configurator = s.Configurator(SHOES)
    assert not configurator.compile(work=1000)
    analysis = configurator.analyze()
    assert not analysis.counted and analysis.total is None and "work budget" in analysis.reason
    assert analysis.feasible and analysis.complete  # dead and core from the search back end
    assert analysis.dead == s.Configurator(SHOES).analyze().dead
    assert all(v.count is None and v.share is None for v in analysis.variables["size"].values)


# --- sampling -------------------------------------------------------------------------------------


def test_samples_are_reproducible_and_valid(shoes):
    samples = shoes.sample(20, seed=7)
    assert samples.uniform and samples.reason == "" and len(samples) == 20
    assert shoes.sample(20, seed=7) == samples
    assert shoes.sample(20, seed=8) != samples
    assert list(samples) == samples.products
    columns = list(shoes.analyze().variables)
    for product in samples:
        assert list(product) == columns
        choices = without_quantities(product)
        assert shoes.count(choices) >= 1
        assert shoes.domains(choices)["status"] == "ok"
        # The accessories slot holds 0 to 3 blocks.
        assert 0 <= sum(v for k, v in product.items() if k.startswith("accessories.")) <= 3
    assert isinstance(samples.products[0]["size"], int)
    assert isinstance(samples.products[0]["gift_box"], bool)


def test_samples_keep_the_where_choices(shoes):
    samples = shoes.sample(30, seed=1, where={"product": "sneaker", "size": 47})
    assert len(samples) == 30
    for product in samples:
        assert product["product"] == "sneaker" and product["size"] == 47
        assert product["sole"] == "sole_cupsole"  # the only sole a sneaker has in size 47
    assert len(shoes.sample(5, where={"sole": "sole_crepe", "size": 47})) == 0  # no product


def test_samples_are_uniform(shoes):
    # Each product is drawn with the same probability, so each value turns up as often as its
    # share of the count says (4,000 draws: a standard deviation below 0.008 for every share).
    analysis = shoes.analyze()
    samples = shoes.sample(4000, seed=11)
    for name in ("product", "size", "sole", "accessories.shoe_trees"):
        seen = Counter(p[name] for p in samples)
        for v in analysis.variables[name].values:
            assert seen[v.value] / len(samples) == pytest.approx(v.share, abs=0.04), (name, v)


def test_sample_matches_the_command_line(shoes):
    out = cli_json("sample", SHOES, "-n", 5, "--seed", 3, "--json")
    assert out["uniform"] and out["products"] == shoes.sample(5, seed=3).products


def test_sample_arguments_are_checked(shoes):
    assert len(shoes.sample(0)) == 0
    for bad in ({"n": -1}, {"n": 1, "seed": -1}, {"n": 1, "seed": 2**64}):
        with pytest.raises(s.UsageError):
            shoes.sample(**bad)
    with pytest.raises(TypeError):
        shoes.sample(1.5)
    assert len(shoes.sample(1, seed=2**64 - 1)) == 1


# --- compiling ------------------------------------------------------------------------------------


def test_compile_reports_what_it_built():
    configurator = s.Configurator(SHOES)
    before = configurator.compiled_form()
    assert not before.settled and not before.compiled and before.reason == ""
    report = configurator.compile()
    assert report and report.compiled and report.settled and not report.from_file
    assert report.form in ("decision diagram", "d-DNNF") and report.nodes > 0 and report.work > 0
    assert report.reason == "" and report.seconds >= 0
    assert configurator.compiled_form() == report
    # The first compilation settles it: a second call reports the same, whatever it asks for.
    assert configurator.compile(work=1, form="diagram") == report


def test_a_compilation_out_of_budget_is_a_status(tmp_path):
    configurator = s.Configurator(SHOES)
    report = configurator.compile(work=1000)
    assert not report and not report.compiled and report.settled
    assert "work budget" in report.reason and report.form == ""
    assert configurator.count() is None
    samples = configurator.sample(3)
    assert not samples.uniform and len(samples) == 0 and "compiled form" in samples.reason
    assert configurator.session().state().count is None
    # Saved with its verdict: loading the file never tries again.
    path = tmp_path / "shoes.sumisura"
    configurator.save_compiled(path)
    loaded = s.Configurator(path).compiled_form()
    assert not loaded.compiled and loaded.from_file and loaded.reason == report.reason


def test_a_relaxed_form_is_reported_saved_and_used(tmp_path):
    # bicycle compiles whole only without its rule on the bike's summed weight: configure,
    # domains and price ranges answer on that relaxed form (each answer checked), counts do not.
    configurator = s.Configurator(BICYCLE)
    report = configurator.compile(form="relaxed")
    assert not report.compiled and report.settled and report.left_out == ["system-weight"]
    assert "relaxed d-DNNF without rule 'system-weight'" in report.reason and report.priced
    assert configurator.count() is None
    spec = {"require": ["frame == frame_trekking_alu", "luggage_kg == 20"], "max": {"price": 2500}}
    on_form = configurator.configure(spec)
    on_search = configurator.configure(spec, use_compiled=False)
    assert on_form.stats.compiled and not on_search.stats.compiled
    assert (on_form.status, on_form.price.total) == (on_search.status, on_search.price.total)
    path = tmp_path / "bicycle.sumisura"
    configurator.save_compiled(path)
    loaded = s.Configurator(path)
    assert loaded.compiled_form().left_out == ["system-weight"] and loaded.compiled_form().from_file
    assert loaded.configure(spec).stats.compiled


def test_compile_arguments_are_checked():
    configurator = s.Configurator(SHOES)
    for bad in ({"work": 0}, {"memory_mb": -1}, {"time_limit": 0}, {"form": "bdd"}):
        with pytest.raises(s.UsageError):
            configurator.compile(**bad)
    with pytest.raises(TypeError):
        configurator.compile(progress=42)
    assert not configurator.compiled_form().settled  # nothing was compiled by the refusals


def test_compile_releases_the_gil():
    configurator = s.Configurator(benchmark(LINUX))
    longest_pause, length = pause_while(lambda: configurator.compile(work=100_000_000))
    if length < 0.1:
        pytest.skip(f"the compilation took {length:.3f} s: too short to tell")
    assert longest_pause < length / 2


def test_progress_is_reported_and_an_exception_in_it_stops_the_compilation():
    configurator = s.Configurator(benchmark(LINUX))

    class Enough(Exception):
        pass

    calls: list[tuple[float, int, int]] = []

    def stop(seconds: float, work: int, nodes: int) -> None:
        calls.append((seconds, work, nodes))
        raise Enough("stop compiling")

    with pytest.raises(Enough, match="stop compiling"):
        configurator.compile(progress=stop)
    assert len(calls) == 1
    seconds, work, nodes = calls[0]
    assert isinstance(seconds, float) and isinstance(work, int) and isinstance(nodes, int)
    assert not configurator.compiled_form().settled  # stopped: nothing settled
    calls.clear()
    report = configurator.compile(work=300_000_000, progress=lambda *a: calls.append(a))
    assert not report.compiled and "work budget" in report.reason
    assert calls and calls == sorted(calls)  # seconds and work only grow


# --- compiled files and bytes ---------------------------------------------------------------------


def test_compiled_file_round_trip(shoes, tmp_path):
    path = tmp_path / "shoes.sumisura"
    shoes.save_compiled(path)  # os.PathLike
    shoes.save_compiled(str(path))  # and str
    for loaded in (
        s.Configurator(path),
        s.Configurator.from_file(str(path)),
        s.Configurator.from_file(path, format="compiled"),
        s.Configurator.from_file(path, format=s.ModelFormat.compiled),
    ):
        report = loaded.compiled_form()
        assert report.compiled and report.from_file and report.settled
        assert (report.form, report.nodes, report.edges) == (
            shoes.compiled_form().form,
            shoes.compiled_form().nodes,
            shoes.compiled_form().edges,
        )
        assert loaded.count() == shoes.count()
        assert loaded.count({"size": 42}) == shoes.count({"size": 42})
        assert loaded.sample(10, seed=4) == shoes.sample(10, seed=4)
        assert loaded.catalog == shoes.catalog
        here, there = loaded.configure(SHOES_IMPOSSIBLE), shoes.configure(SHOES_IMPOSSIBLE)
        assert (here.status, here.conflict, here.repairs) == (
            there.status,
            there.conflict,
            there.repairs,
        )
        # Rules keep their lines in the catalog text the file holds (the engine names the
        # compiled file as their file).
        rules = [(r.id, r.line, r.column) for r in here.conflict_rules]
        assert rules == [(r.id, r.line, r.column) for r in there.conflict_rules]
    assert s.load_catalog(path) == shoes.catalog  # the catalog inside


def test_compiled_bytes_round_trip(shoes):
    data = shoes.compiled_bytes()
    assert isinstance(data, bytes)
    for given in (data, bytearray(data), memoryview(data)):
        loaded = s.Configurator.from_compiled_bytes(given, "cache entry")
        assert loaded.compiled_form().from_file and loaded.count() == shoes.count()
    with pytest.raises(TypeError, match="bytes"):
        s.Configurator.from_compiled_bytes(data.decode("latin-1"))
    with pytest.raises(s.FileError, match="cache entry"):
        s.Configurator.from_compiled_bytes(data[:100], "cache entry")


def test_corrupt_or_truncated_compiled_files_raise_file_error(shoes, tmp_path):
    data = shoes.compiled_bytes()
    flipped = bytearray(data)
    flipped[len(data) // 2] ^= 0xFF
    cases = {
        "truncated.sumisura": data[: len(data) // 2],
        "corrupt.sumisura": bytes(flipped),
        "short.sumisura": data[:20],
    }
    for name, content in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(s.FileError) as caught:
            s.Configurator(path)
        assert caught.value.file == str(path), name
        message = str(caught.value)
        assert "corrupt" in message or "truncated" in message or "malformed" in message, message
        assert "compile the catalog again" in message
        with pytest.raises(s.FileError):
            s.Configurator.from_compiled(shoes.catalog, path)


def test_from_compiled_takes_only_the_catalog_it_was_made_from(shoes, tmp_path):
    path = tmp_path / "shoes.sumisura"
    shoes.save_compiled(path)
    same = s.Configurator.from_compiled(s.load_catalog(SHOES), path)
    assert same.compiled_form().from_file and same.count() == shoes.count()
    other = s.load_catalog(SHOES)
    other.options[0].values.pop()  # one size fewer: another catalog
    with pytest.raises(s.FileError, match="another catalog") as caught:
        s.Configurator.from_compiled(other, path)
    assert caught.value.file == str(path)
    with pytest.raises(s.FileError):
        s.Configurator.from_compiled(shoes.catalog, tmp_path / "missing.sumisura")


def test_save_compiled_reports_where_it_cannot_write(shoes, tmp_path):
    target = tmp_path / "no" / "such" / "folder" / "shoes.sumisura"
    with pytest.raises(s.FileError) as caught:
        shoes.save_compiled(target)
    assert caught.value.file == str(target)


def test_session_state_counts_from_a_compiled_file(shoes, tmp_path):
    path = tmp_path / "shoes.sumisura"
    shoes.save_compiled(path)
    loaded = s.Configurator(path)
    session = loaded.session()
    state = session.state()
    assert state.count == shoes.count() and state.to_dict()["count"] == str(shoes.count())
    session.choose("product", "sneaker")
    session.choose("size", 47)
    state = session.state()
    assert state.count == shoes.count({"product": "sneaker", "size": 47}) < shoes.count()


# --- pickling carries the compiled form -----------------------------------------------------------


def test_pickled_configurator_carries_its_compiled_form(shoes):
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        again = pickle.loads(pickle.dumps(shoes, protocol=protocol))
        report = again.compiled_form()
        assert report.compiled and report.from_file  # not compiled again
        assert again.count() == shoes.count() and again.catalog.source == str(SHOES)
        rules = shoes.configure(SHOES_IMPOSSIBLE).conflict_rules
        assert again.configure(SHOES_IMPOSSIBLE).conflict_rules == rules


def test_pickled_catalog_built_in_code_keeps_its_positions_and_compiled_form():
    catalog = s.load_catalog(SHOES)  # positions from the file, carried by the catalog object
    configurator = s.Configurator(catalog)
    configurator.compile()
    again = pickle.loads(pickle.dumps(configurator))
    assert again.compiled_form().from_file and again.count() == configurator.count()
    rules = configurator.configure(SHOES_IMPOSSIBLE).conflict_rules
    assert rules and rules[0].line > 0
    assert again.configure(SHOES_IMPOSSIBLE).conflict_rules == rules
    # Loaded with a compiled file of its own, a configurator travels the same way.
    assert pickle.loads(pickle.dumps(again)).compiled_form().from_file


def test_pickling_never_starts_a_compilation():
    configurator = s.Configurator(SHOES)
    again = pickle.loads(pickle.dumps(configurator))
    assert not configurator.compiled_form().settled and not again.compiled_form().settled
    assert again.count() == 268_824_000  # compiled where it is needed


def _compiled_form_in_worker(configurator: s.Configurator) -> tuple[bool, int | None]:
    return configurator.compiled_form().from_file, configurator.count()


def test_workers_receive_the_compiled_form(shoes):
    context = multiprocessing.get_context("spawn")  # a fresh interpreter, as on macOS/Windows
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        answer = pool.submit(_compiled_form_in_worker, shoes).result(timeout=300)
    assert answer == (True, shoes.count())


# --- feature trees in catalogs --------------------------------------------------------------------


def test_option_parent_and_mandatory_round_trip_through_yaml():
    catalog = s.parse_catalog(FEATURES)
    a, b = catalog.options[1], catalog.options[2]
    assert (a.parent, a.mandatory, b.parent, b.mandatory) == ("root", False, "root", True)
    assert catalog.options[0].parent == "" and not catalog.options[0].mandatory
    assert s.parse_catalog(catalog.to_yaml()) == catalog
    built = s.Catalog(
        "features",
        options=[
            s.Option.boolean("root"),
            s.Option.boolean("a", parent="root"),
            s.Option(
                "b",
                kind="boolean",
                values=[s.OptionValue(False), s.OptionValue(True)],
                parent="root",
                mandatory=True,
            ),
            s.Option.boolean("c", parent="root"),
        ],
        rules=catalog.rules,
    )
    assert built == catalog
    assert "parent: root" in built.to_yaml() and "mandatory: true" in built.to_yaml()
    assert repr(built.options[2]).endswith("parent='root', mandatory=True)")
    built.options[2].mandatory = False
    assert built != catalog


def test_option_parent_is_validated():
    catalog = s.parse_catalog(FEATURES)
    catalog.options[1].parent = "nowhere"
    catalog.options[3].mandatory = True
    catalog.options[3].parent = ""
    messages = [d.message for d in catalog.validate()]
    assert any("nowhere" in m for m in messages), messages
    assert any("mandatory but has no parent" in m for m in messages), messages
    with pytest.raises(s.CatalogError):
        s.Configurator(catalog)
    catalog = s.parse_catalog(FEATURES)
    catalog.options.append(s.Option.enumeration("colour", ["red"]))
    catalog.options[1].parent = "colour"
    assert any("must both be boolean" in d.message for d in catalog.validate())
