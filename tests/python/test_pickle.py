"""Catalogs and errors cross process boundaries (multiprocessing, Dask, Ray) through pickle."""

from __future__ import annotations

import multiprocessing
import pickle
from concurrent.futures import ProcessPoolExecutor

import pytest

import sumisura as s
from conftest import make_shoe_catalog, shipped_catalogs


def test_pickle_round_trip(shoes):
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        again = pickle.loads(pickle.dumps(shoes, protocol=protocol))
        assert again == shoes
        assert again.source == shoes.source


def test_pickle_keeps_source_and_positions():
    catalogs = shipped_catalogs()
    if not catalogs:
        pytest.skip("no catalogs in catalogs/ yet")
    catalog = s.load_catalog(catalogs[0])
    again = pickle.loads(pickle.dumps(catalog))
    assert again == catalog
    assert again.source == catalog.source
    assert [b.where for b in again.blocks] == [b.where for b in catalog.blocks]
    assert again.validate() == catalog.validate()


def test_catalog_yaml_cannot_express_is_refused_when_pickled():
    catalog = s.Catalog("t", measures=[s.Measure("m")])  # a measure needs an expression
    with pytest.raises(s.UsageError, match="cannot pickle"):
        pickle.dumps(catalog)
    catalog = s.Catalog("t", options=[s.Option("o", values=[s.OptionValue(5)])])
    with pytest.raises(s.UsageError, match="option 'o'"):
        pickle.dumps(catalog)  # an enumeration holding a number reads back as text


def test_errors_and_diagnostics_pickle():
    with pytest.raises(s.CatalogError) as caught:
        s.parse_catalog("catalog: [\n", source_name="x.yaml")
    again = pickle.loads(pickle.dumps(caught.value))
    assert type(again) is s.CatalogError
    original = caught.value
    assert (again.file, again.line, again.column) == (original.file, original.line, original.column)
    assert again.diagnostics == caught.value.diagnostics
    assert str(again) == str(caught.value)


def _price_of_first_block(catalog: s.Catalog) -> tuple[str, str]:
    catalog.blocks[0].price += 1
    return str(catalog.blocks[0].price), catalog.to_yaml()


def _parse_in_worker(text: str) -> s.Catalog:
    return s.parse_catalog(text, source_name="worker.yaml")


def test_catalog_goes_through_a_process_pool():
    shoes = make_shoe_catalog()
    context = multiprocessing.get_context("spawn")  # a fresh interpreter, as on macOS/Windows
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        price, text = pool.submit(_price_of_first_block, shoes).result(timeout=120)
        assert price == "46"
        assert s.parse_catalog(text).blocks[0].price == 46
        assert pool.submit(_parse_in_worker, shoes.to_yaml()).result(timeout=120) == shoes
        with pytest.raises(s.CatalogError) as caught:
            pool.submit(_parse_in_worker, "catalog: [\n").result(timeout=120)
        assert caught.value.file == "worker.yaml" and caught.value.line > 0
