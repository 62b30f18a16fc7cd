"""What the configurator and sessions answer: plain, immutable, picklable values.

The C++ module builds these objects from the engine's results (bindings/python/src/configure.cpp,
compiled.cpp, session.cpp); they hold no reference to the engine, so they pickle and travel between
processes freely. Money, weights and measure values are exact ``decimal.Decimal``s; option values
are ``bool``, ``int`` or ``str`` (as in catalogs); slot values are block ids; counts of products
are ``int``s (of any size).
"""

from __future__ import annotations

import copy
import enum
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Iterator, NamedTuple, Optional


class Status(str, enum.Enum):
    """How a configure call ended. A ``str`` too: ``result.status == "optimal"`` holds."""

    optimal = "optimal"  # the best product, proven best
    feasible = "feasible"  # a valid product; a limit stopped the proof that it is the best
    infeasible = "infeasible"  # no product meets the requirements (see conflict and repairs)
    unknown = "unknown"  # a limit stopped the search before any product was found

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)

    def __repr__(self) -> str:
        return f"Status.{self.name}"


@dataclass(frozen=True)
class Price:
    """The price breakdown of a product. ``bundles`` and ``tier`` are discounts (zero or less)."""

    base: Decimal
    options: Decimal
    blocks: Decimal
    services: Decimal
    bundles: Decimal
    tier: Decimal
    total: Decimal
    currency: str


@dataclass(frozen=True)
class BomLine:
    """One line of the bill of materials."""

    block: str
    label: str
    slot: str
    quantity: int
    unit_price: Decimal
    line_price: Decimal


@dataclass(frozen=True)
class PreferenceOutcome:
    """A preference of the specification and whether the product meets it."""

    expression: str
    weight: Decimal
    met: bool


@dataclass(frozen=True)
class RuleRef:
    """A catalog constraint named in an explanation: where it is and what it says.

    ``kind`` is ``rule``, ``requires``, ``excludes``, ``slot``, ``service`` or ``product``.
    """

    id: str
    kind: str
    message: str
    file: str = ""
    line: int = 0
    column: int = 0


@dataclass(frozen=True)
class Relaxation:
    """A bound of the specification that may be relaxed instead of dropped: an upper bound raised
    to ``to`` (at least), a lower bound (``min``) lowered to ``to`` (at most)."""

    requirement: str
    to: Decimal


@dataclass(frozen=True)
class Stats:
    """How long a call took, how many solver calls it made, and whether the compiled form
    answered it (passes over the circuit instead of search)."""

    seconds: float
    solver_calls: int
    compiled: bool = False


@dataclass(frozen=True)
class Repair:
    """A minimal set of requirements to give up so that a product exists.

    ``drop`` holds the requirements as stated (``NAME=VALUE`` for ``where`` ones); ``relax`` the
    bounds among them that could be relaxed instead (an upper bound raised, a lower one lowered); ``result`` the product the repair yields.
    """

    drop: list[str]
    relax: list[Relaxation]
    weight_lost: Decimal
    result: Optional[ConfigureResult]


@dataclass(frozen=True, repr=False)
class ConfigureResult:
    """The best product for a specification, or why there is none.

    The content is that of ``sumisura configure --json`` (docs/cli.md), with exact Decimals:
    ``to_dict()`` gives that JSON object itself. Two results are equal when they give the same
    answer: ``stats`` (timings) do not count.
    """

    status: Status
    product: Optional[str]
    selections: dict[str, Any]
    services: list[str]
    bundles: list[str]
    price: Optional[Price]
    bom: list[BomLine]
    measures: dict[str, Decimal]
    preferences: list[PreferenceOutcome]
    conflict: list[str]
    conflict_rules: list[RuleRef]
    conflict_minimal: bool
    repairs: list[Repair]
    stats: Stats = field(compare=False)
    _json: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def has_product(self) -> bool:
        """True when the status is optimal or feasible."""
        return self.status in (Status.optimal, Status.feasible)

    def to_dict(self) -> dict[str, Any]:
        """The object ``sumisura configure --json`` prints, as the ``json`` module reads it.

        Numbers are as that JSON gives them: ``int`` when whole, ``float`` otherwise (the
        attributes hold the exact Decimals). A repair's nested result has no ``repairs`` key, as
        in the CLI's output.
        """
        return copy.deepcopy(self._json)

    def __repr__(self) -> str:
        if self.has_product:
            what = self.product or "product"
            price = f", total {self.price.total} {self.price.currency}" if self.price else ""
            return f"<ConfigureResult {self.status}: {what}{price}>"
        if self.status == Status.infeasible:
            repairs = f", {len(self.repairs)} repairs" if self.repairs else ""
            return f"<ConfigureResult infeasible: conflict {self.conflict!r}{repairs}>"
        return f"<ConfigureResult {self.status}>"


class Choice(NamedTuple):
    """A choice in a session: option, slot, service, block or ``product``, and its value's text.

    A tuple ``(name, value)``; ``str(choice)`` is ``NAME=VALUE``.
    """

    name: str
    value: str

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


class ScoredValue(NamedTuple):
    """A value of a recommendation and how likely the customer is to want it.

    A tuple ``(value, score)``: the value as ``SessionState`` gives values (``bool``, ``int``,
    ``str``; block ids for slots), the score between 0 and 1 (a ranking's scores sum to 1).
    """

    value: Any
    score: float


class Recommendation(NamedTuple):
    """What ``Session.recommend_next`` answers: a tuple ``(name, values)``, the variable to ask
    about next and its valid values ranked best first, as ``ScoredValue`` tuples."""

    name: str
    values: list[ScoredValue]


@dataclass(frozen=True)
class Explanation:
    """Why a value is not available: a minimal set of the choices that exclude it, and the
    catalog rules involved. ``available`` is True when there is nothing to explain; ``minimal``
    is False when a limit stopped the search for the smallest set."""

    available: bool
    choices: list[Choice]
    rules: list[RuleRef]
    minimal: bool = True


@dataclass(frozen=True)
class ChooseResult:
    """What ``Session.choose`` answers: accepted, or refused with the explanation.

    True in a boolean context when accepted. ``explanation`` is None when accepted; it has no
    choices when a limit stopped the check (``explanation.minimal`` is then False).
    """

    accepted: bool
    explanation: Optional[Explanation] = None

    def __bool__(self) -> bool:
        return self.accepted


@dataclass(frozen=True)
class VariableState:
    """One option, slot, service or the product, as a page shows it after a click.

    ``values`` lists every value in catalog order (for slots: ``"none"`` first when the slot
    may stay empty, then block ids), ``valid`` tells for each whether some valid product has it
    together with the choices. ``chosen`` is the customer's choice, ``implied`` a value forced
    by the choices (the only valid one, not chosen), ``default_value`` the catalog default,
    shown while untouched and valid.
    """

    name: str
    kind: str
    values: list[Any]
    valid: list[bool]
    chosen: Any = None
    implied: Any = None
    default_value: Any = None

    @property
    def valid_values(self) -> list[Any]:
        return [v for v, ok in zip(self.values, self.valid) if ok]


@dataclass(frozen=True)
class SessionState:
    """Everything a configuration page needs after a click (the ``state`` of the CLI session).

    ``domains`` maps each option, slot, service and ``product`` to its valid values; ``chosen``,
    ``implied`` and ``defaults`` map names to values; ``price_min`` and ``price_max`` bound the
    price over all valid completions (None when unknown or the catalog has no prices);
    ``price_limited`` is True when the time budget for the range ran out (ask again: the work
    done so far is kept).
    ``consistent`` is False only when resumed choices contradict a changed catalog; ``complete``
    is False when a limit stopped the computation (values may then be missing, never extra).
    ``variables`` keeps the per-variable details (``VariableState``) by name. ``count`` is the
    number of valid products that extend the choices when the catalog's compiled form answers the
    state, None when the search back end does (the catalog has no compiled form, or it is still
    being built).
    """

    consistent: bool
    complete: bool
    domains: dict[str, list[Any]]
    chosen: dict[str, Any]
    implied: dict[str, Any]
    defaults: dict[str, Any]
    price_min: Optional[Decimal]
    price_max: Optional[Decimal]
    price_limited: bool
    currency: str
    variables: dict[str, VariableState] = field(repr=False)
    count: Optional[int] = None

    def to_dict(self) -> dict[str, Any]:
        """The ``state`` object of the ``sumisura session`` protocol (docs/cli.md)."""

        def plain(v: Any) -> Any:
            return float(v) if isinstance(v, Decimal) else v

        out: dict[str, Any] = {
            "consistent": self.consistent,
            "complete": self.complete,
            "domains": {k: [plain(v) for v in vs] for k, vs in self.domains.items()},
            "chosen": {k: plain(v) for k, v in self.chosen.items()},
            "implied": {k: plain(v) for k, v in self.implied.items()},
            "defaults": {k: plain(v) for k, v in self.defaults.items()},
        }
        if self.price_min is not None:
            out["price"] = {
                "min": float(self.price_min),
                "max": float(self.price_max) if self.price_max is not None else 0.0,
                "currency": self.currency,
            }
        if self.price_limited:
            out["price_limited"] = True
        if self.count is not None:
            out["count"] = str(self.count)  # decimal digits, as the protocol writes counts
        return out


@dataclass(frozen=True)
class CompileReport:
    """What ``Configurator.compile`` built, or why it built nothing.

    ``compiled`` is True when the catalog has a compiled form: ``form`` is then
    ``"decision diagram"`` or ``"d-DNNF"``, with its ``nodes`` and ``edges``, the ``seconds`` and
    ``work`` (elementary steps) its compilation took. When ``compiled`` is False, ``reason`` says
    which budget ran out or what cannot be stated, and ``form`` is ``""``. ``from_file`` is True
    when the form was loaded from a compiled file (or unpickled) rather than compiled here. True
    in a boolean context when compiled.
    """

    compiled: bool
    form: str
    nodes: int
    edges: int
    seconds: float
    work: int
    reason: str
    from_file: bool
    #: prices are compiled too (price ranges and configure answer on the compiled form); when
    #: False for a priced catalog, ``priced_reason`` says why
    priced: bool = False
    priced_reason: str = ""
    #: when ``compiled`` is False but the catalog compiled without these rules: configure, domains
    #: and price ranges answer on that relaxed form, each answer checked against them
    left_out: list[str] = field(default_factory=list)

    @property
    def settled(self) -> bool:
        """False while nothing has compiled the catalog yet (``compiled_form()`` before the first
        count, sample, session or ``compile()``): it is then neither compiled nor refused."""
        return self.compiled or bool(self.reason)

    def __bool__(self) -> bool:
        return self.compiled


@dataclass(frozen=True)
class ValueAnalysis:
    """One value of a variable in an ``Analysis``.

    ``count`` is the number of valid products with this value and ``share`` that count over the
    total (both None without a compiled form); ``dead``: in no valid product; ``core``: in every
    one.
    """

    value: Any
    count: Optional[int]
    share: Optional[float]
    dead: bool
    core: bool


@dataclass(frozen=True)
class VariableAnalysis:
    """An option, slot, service, the product, or a block's quantity in a slot, in an ``Analysis``.

    ``kind`` is ``option``, ``slot``, ``service``, ``product`` or ``quantity`` (named
    ``SLOT.BLOCK``). ``false_optional`` is True for an optional feature (a child of its ``parent``
    not declared ``mandatory``) that every valid product with its parent has.
    """

    name: str
    kind: str
    false_optional: bool
    values: list[ValueAnalysis]

    @property
    def counts(self) -> dict[Any, Optional[int]]:
        """value -> number of valid products with it (None without a compiled form)."""
        return {v.value: v.count for v in self.values}


@dataclass(frozen=True, repr=False)
class Analysis:
    """What ``Configurator.analyze`` finds: what the catalog can make.

    ``feasible`` is False when the catalog makes no product at all. ``counted`` is True when
    the catalog has a compiled form: ``total`` (the number of valid products, an ``int``) and
    every value's ``count`` are then exact; otherwise ``total`` is None and ``reason`` says why.
    ``complete`` is False when a limit stopped the search back end (no compiled form): dead and
    core values are then unknown (left empty). ``dead`` and ``core`` list ``NAME=VALUE`` for
    every value in no valid product and in every one; ``false_optional`` the names of
    false-optional options. ``variables`` maps each variable's name to its ``VariableAnalysis``.
    """

    feasible: bool
    complete: bool
    counted: bool
    total: Optional[int]
    reason: str
    dead: list[str]
    core: list[str]
    false_optional: list[str]
    variables: dict[str, VariableAnalysis]

    def __repr__(self) -> str:
        what = f"{self.total} products" if self.total is not None else "not counted"
        if not self.feasible:
            what = "no product at all"
        return (
            f"<Analysis {what}: {len(self.dead)} dead, {len(self.core)} core, "
            f"{len(self.false_optional)} false-optional>"
        )


@dataclass(frozen=True, repr=False)
class Samples:
    """Products drawn by ``Configurator.sample``, each uniformly at random among the valid ones.

    ``uniform`` is False when the catalog has no compiled form (uniform sampling needs one):
    ``products`` is then empty and ``reason`` says why. Each product is a dict {name: value}
    over every option, slot (a block id or ``"none"``), service and ``product``, with values as
    ``Configurator.domains`` gives them, and for a slot that holds several blocks, each block's
    quantity in it (``SLOT.BLOCK``: 0, 1, ...). Without its quantity entries (the engine takes
    no choice of a quantity), a product is a valid ``where`` for ``count``, ``sample`` and
    ``domains``. Iterating a Samples iterates its products; ``len()`` is their number.
    """

    uniform: bool
    reason: str
    products: list[dict[str, Any]]

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.products)

    def __len__(self) -> int:
        return len(self.products)

    def __repr__(self) -> str:
        if not self.uniform:
            return f"<Samples: none ({self.reason})>"
        return f"<Samples: {len(self.products)} products>"


# Shown and pickled as sumisura.X, the names users import them by.
for _cls in (
    Status,
    Price,
    BomLine,
    PreferenceOutcome,
    RuleRef,
    Relaxation,
    Stats,
    Repair,
    ConfigureResult,
    Choice,
    ScoredValue,
    Recommendation,
    Explanation,
    ChooseResult,
    VariableState,
    SessionState,
    CompileReport,
    ValueAnalysis,
    VariableAnalysis,
    Analysis,
    Samples,
):
    _cls.__module__ = "sumisura"
del _cls

__all__ = [
    "Status",
    "Price",
    "BomLine",
    "PreferenceOutcome",
    "RuleRef",
    "Relaxation",
    "Stats",
    "Repair",
    "ConfigureResult",
    "Choice",
    "ScoredValue",
    "Recommendation",
    "Explanation",
    "ChooseResult",
    "VariableState",
    "SessionState",
    "CompileReport",
    "ValueAnalysis",
    "VariableAnalysis",
    "Analysis",
    "Samples",
]
