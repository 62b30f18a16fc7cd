"""Sumisura: a constraint-based product configurator for mass customization.

This package is the Python face of the C++ engine. Catalogs are authored, read, checked and
written here; a Configurator finds the best product for a specification, counts, analyses and
samples what the catalog can make, and a Session follows a customer click by click, ranking the
values for them from a PreferenceModel learned from past orders and from their Profile. diff
compares two versions of a catalog, and Configurator.revalidate checks orders saved under an
earlier one. See docs/python.md for worked examples.
"""

from __future__ import annotations

import collections.abc as _abc

from . import _core, _keywords

# Before the names are imported: an unknown keyword raises UnknownKeywordError (a UsageError)
# naming the accepted ones, not pybind11's signature dump.
_keywords.install(_core)

from ._core import (  # noqa: E402
    Assembly,
    AttributeDecl,
    AttributeType,
    Block,
    Bundle,
    Catalog,
    CatalogSummary,
    CheckReport,
    Configurator,
    Diagnostic,
    Measure,
    ModelFormat,
    Option,
    OptionKind,
    OptionValue,
    Order,
    Position,
    PreferenceModel,
    PriceSpec,
    Product,
    Profile,
    Rule,
    RuleKind,
    Service,
    Session,
    Severity,
    Slot,
    Tier,
    assembly_order,
    check_file,
    diff,
    lifetime_value,
    load_catalog,
    load_orders,
    load_profile,
    parse_catalog,
    parse_orders,
    parse_profile,
    summarize,
    tier_of,
)
from . import _errors  # noqa: E402
from ._errors import (  # noqa: E402
    CatalogError,
    Error,
    FileError,
    InternalError,
    LimitError,
    SpecError,
    UnknownKeywordError,
    UsageError,
)
from ._results import (  # noqa: E402
    Analysis,
    BomLine,
    Choice,
    ChooseResult,
    CompileReport,
    ConfigureResult,
    Explanation,
    PreferenceOutcome,
    Price,
    Relaxation,
    Repair,
    RuleRef,
    Recommendation,
    Samples,
    ScoredValue,
    SessionState,
    Stats,
    Status,
    ValueAnalysis,
    VariableAnalysis,
    VariableState,
)

__version__: str = _core.__version__

# The list and attribute-map views are C++ classes; registering them lets isinstance() checks
# against the standard abstract types succeed, as for Python's own list and dict.
for _list in (
    _core.IdList,
    _core.RowList,
    _core.AttributeDeclList,
    _core.OptionValueList,
    _core.OptionList,
    _core.BlockList,
    _core.SlotList,
    _core.AssemblyList,
    _core.ProductList,
    _core.ServiceList,
    _core.BundleList,
    _core.TierList,
    _core.MeasureList,
    _core.RuleList,
):
    _abc.MutableSequence.register(_list)
_abc.MutableMapping.register(_core.AttributeMap)
del _list

__all__ = [
    "__version__",
    # catalog authoring
    "Catalog",
    "AttributeDecl",
    "AttributeType",
    "Option",
    "OptionKind",
    "OptionValue",
    "Block",
    "Slot",
    "Assembly",
    "Product",
    "PriceSpec",
    "Service",
    "Bundle",
    "Tier",
    "Measure",
    "Rule",
    "RuleKind",
    # reading, writing, checking
    "ModelFormat",
    "load_catalog",
    "parse_catalog",
    "check_file",
    "CheckReport",
    "CatalogSummary",
    "summarize",
    "assembly_order",
    "Diagnostic",
    "Severity",
    "Position",
    # configuring
    "Configurator",
    "ConfigureResult",
    "Status",
    "Price",
    "BomLine",
    "PreferenceOutcome",
    "RuleRef",
    "Repair",
    "Relaxation",
    "Stats",
    # counting, analysis, sampling, compiled files
    "CompileReport",
    "Analysis",
    "VariableAnalysis",
    "ValueAnalysis",
    "Samples",
    # interactive sessions
    "Session",
    "Choice",
    "ChooseResult",
    "Explanation",
    "SessionState",
    "VariableState",
    # customer memory
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
    # catalog versions
    "diff",
    # errors
    *_errors.__all__,
]
