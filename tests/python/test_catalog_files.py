"""Reading, writing and checking catalog files, and the errors they raise."""

from __future__ import annotations

import pytest

import sumisura as s
from conftest import shipped_catalogs

CATALOGS = shipped_catalogs()


@pytest.mark.skipif(not CATALOGS, reason="no catalogs in catalogs/ yet")
@pytest.mark.parametrize("path", CATALOGS, ids=[p.name for p in CATALOGS])
def test_shipped_catalog_survives_edit_save_and_reload(path, tmp_path):
    catalog = s.load_catalog(path)
    assert catalog.source == str(path)
    assert s.parse_catalog(catalog.to_yaml()) == catalog

    catalog.name += " (edited)"
    catalog.options.append(s.Option.boolean("python_test_option", price="1.25"))
    if len(catalog.blocks):
        catalog.blocks[0].price += 1
        catalog.blocks[0].attributes["python_test_note"] = "edited"
    saved = tmp_path / path.name
    catalog.save(saved)
    reloaded = s.load_catalog(saved)
    assert reloaded == catalog
    assert reloaded.options[-1].values[1].price == s.load_catalog(saved).options[-1].values[1].price


@pytest.mark.skipif(not CATALOGS, reason="no catalogs in catalogs/ yet")
@pytest.mark.parametrize("path", CATALOGS, ids=[p.name for p in CATALOGS])
def test_check_file_reports_what_validate_reports(path):
    report = s.check_file(path)
    assert report.readable
    # check_file adds the checks that need the solver to validate()'s.
    for diagnostic in report.catalog.validate():
        assert diagnostic in report.diagnostics
    assert report.ok == all(d.severity != s.Severity.error for d in report.diagnostics)
    assert report.summary.blocks == len(report.catalog.blocks)


def test_syntax_error_raises_catalog_error_with_position(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("catalog:\n  name: Broken\n  version: 1\n bad: indentation\n")
    with pytest.raises(s.CatalogError) as caught:
        s.load_catalog(path)
    error = caught.value
    assert isinstance(error, s.Error)
    assert (error.file, error.line, error.column) == (str(path), 4, 2)
    assert str(error).startswith(f"{path}:4:2: malformed YAML")
    assert [(d.line, d.column) for d in error.diagnostics] == [(4, 2)]
    assert error.diagnostics[0].severity == s.Severity.error


def test_structural_error_names_the_key():
    text = "catalog: {name: t}\noptions:\n  - id: size\n    range: [36, 48]\n    colour: red\n"
    with pytest.raises(s.CatalogError, match="unknown key 'colour'") as caught:
        s.parse_catalog(text, source_name="inline.yaml")
    assert (caught.value.file, caught.value.line, caught.value.column) == ("inline.yaml", 5, 5)


def test_missing_file_raises_file_error(tmp_path):
    missing = tmp_path / "missing.yaml"
    with pytest.raises(s.FileError) as caught:
        s.load_catalog(missing)
    assert isinstance(caught.value, OSError) and isinstance(caught.value, s.Error)
    assert caught.value.file == str(missing)
    with pytest.raises(s.FileError):
        s.check_file(missing)
    with pytest.raises(s.FileError) as caught:
        s.Catalog("t").save(tmp_path / "no" / "such" / "folder.yaml")
    assert caught.value.file.endswith("folder.yaml")


def test_unknown_format_is_a_usage_error(tmp_path):
    with pytest.raises(s.UsageError):
        s.parse_catalog("", format="excel")
    unknown = tmp_path / "catalog.txt"
    unknown.write_text("catalog: {name: t}\n")
    with pytest.raises(s.CatalogError, match="cannot tell the format"):
        s.load_catalog(unknown)


def test_validate_reports_problems_of_a_loaded_catalog():
    # Readable, so load_catalog accepts it; validation is a separate step.
    catalog = s.parse_catalog(
        """
catalog: {name: Broken}
options:
  - {id: size, range: [36, 48], default: 50}
blocks:
  - {id: a, requires: [ghost]}
slots:
  - {id: s, blocks: [a, nowhere]}
rules:
  - {id: r, message: m, require: size >}
""",
        source_name="broken.yaml",
    )
    diagnostics = catalog.validate()
    errors = [d for d in diagnostics if d.severity == s.Severity.error]
    assert len(errors) >= 3
    assert all(d.file == "broken.yaml" and d.line > 0 for d in errors)
    text = "\n".join(str(d) for d in errors)
    assert "ghost" in text and "nowhere" in text
    assert str(errors[0]).startswith(f"broken.yaml:{errors[0].line}:{errors[0].column}: error: ")


def test_validate_a_catalog_built_in_code():
    catalog = s.Catalog("t", slots=[s.Slot("s", blocks=["missing"])])
    diagnostics = catalog.validate()
    assert any("missing" in d.message for d in diagnostics)
    assert all(d.file == "" for d in diagnostics)


def test_check_file_reports_instead_of_raising(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("catalog: {name: x}\noptions: [\n")
    report = s.check_file(path)
    assert not report.readable and not report.ok
    assert report.diagnostics[0].file == str(path)
