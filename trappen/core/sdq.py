"""The Strengths and Difficulties Questionnaire (SDQ) for 4-17 year olds: scores and bands.

Scored by item number only. The item texts belong to youthinmind and are not shipped; a
response is the informant and the 25 answers (0 "not true", 1 "somewhat true", 2 "certainly
true", None unanswered) in item order, plus, optionally, the impact supplement.

The rules follow "Scoring the Strengths & Difficulties Questionnaire for age 4-17" (sdqinfo.org,
19 August 2014); docs/wellbeing.md gives them in full and says which band tables were checked.

- Five subscales of five items (`SUBSCALE_ITEMS`); items 7, 11, 14, 21 and 25 are reversed
  (2 - answer), so "somewhat true" always counts 1.
- A subscale is scored when at least 3 of its 5 items are answered: the mean of the answered
  items times 5, rounded half up (4 of 5 answered summing to 2 gives 2.5, so 3).
- Total difficulties = emotional + conduct + hyperactivity + peer (0-40), externalising =
  conduct + hyperactivity (0-20), internalising = emotional + peer (0-20): missing when any part
  is missing. Prosocial is not a difficulty.
- Impact: each distress and impairment item (0 not at all, 1 only a little, 2 a medium amount,
  3 a great deal) recoded 0, 0, 1, 2 and summed; 0-10 for parent and self-report (5 items),
  0-6 for the teacher (3 items). Zero when the informant says there are no difficulties.

Bands (three-band normal / borderline / abnormal and four-band close to average ... very high)
are data, `trappen/core/data/sdq_bands.json`, parsed and checked by `parse_banding`.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

from trappen.core import ruledata

ITEM_COUNT = 25
MIN_ANSWERED = 3  # of a subscale's 5 items, for the subscale to be scored
ANSWERS = (0, 1, 2)
IMPACT_ANSWERS = (0, 1, 2, 3)


class Informant(StrEnum):
    PARENT = "parent"
    TEACHER = "teacher"
    SELF = "self"  # the young person's self-report, 11-17


class Scale(StrEnum):
    EMOTIONAL = "emotional"
    CONDUCT = "conduct"
    HYPERACTIVITY = "hyperactivity"
    PEER = "peer"
    PROSOCIAL = "prosocial"
    TOTAL_DIFFICULTIES = "total_difficulties"
    EXTERNALISING = "externalising"
    INTERNALISING = "internalising"
    IMPACT = "impact"


class Scheme(StrEnum):
    THREE = "three"  # the original three bands
    FOUR = "four"  # the newer four bands


SUBSCALES = (Scale.EMOTIONAL, Scale.CONDUCT, Scale.HYPERACTIVITY, Scale.PEER, Scale.PROSOCIAL)
SUBSCALE_ITEMS: Mapping[Scale, tuple[int, ...]] = {
    Scale.EMOTIONAL: (3, 8, 13, 16, 24),
    Scale.CONDUCT: (5, 7, 12, 18, 22),
    Scale.HYPERACTIVITY: (2, 10, 15, 21, 25),
    Scale.PEER: (6, 11, 14, 19, 23),
    Scale.PROSOCIAL: (1, 4, 9, 17, 20),
}
REVERSED_ITEMS = frozenset({7, 11, 14, 21, 25})
COMPOSITES: Mapping[Scale, tuple[Scale, ...]] = {
    Scale.TOTAL_DIFFICULTIES: (Scale.EMOTIONAL, Scale.CONDUCT, Scale.HYPERACTIVITY, Scale.PEER),
    Scale.EXTERNALISING: (Scale.CONDUCT, Scale.HYPERACTIVITY),
    Scale.INTERNALISING: (Scale.EMOTIONAL, Scale.PEER),
}

# The impact supplement's distress and impairment items, in this order, per informant.
# Chronicity and burden to others are asked but not scored.
IMPACT_ITEMS: Mapping[Informant, tuple[str, ...]] = {
    Informant.PARENT: ("distress", "home", "friendships", "learning", "leisure"),
    Informant.TEACHER: ("distress", "peers", "learning"),
    Informant.SELF: ("distress", "home", "friendships", "learning", "leisure"),
}
IMPACT_RECODE = {0: 0, 1: 0, 2: 1, 3: 2}

THREE_BANDS = ("normal", "borderline", "abnormal")
FOUR_BANDS = ("close to average", "slightly raised", "high", "very high")
FOUR_BANDS_PROSOCIAL = ("close to average", "slightly lowered", "low", "very low")


class SdqInputError(ValueError):
    """A response that cannot be scored; the message names the problem."""


class AnswerOutOfRange(SdqInputError):
    def __init__(self, item: str, value: object, allowed: Sequence[int] = ANSWERS) -> None:
        self.item = item
        self.value = value
        choices = ", ".join(str(a) for a in allowed[:-1]) + f" or {allowed[-1]}"
        self.problem = f"answer {value!r} is not {choices} (or empty)"
        super().__init__(f"{item}: {self.problem}")


class WrongItemCount(SdqInputError):
    def __init__(self, what: str, expected: int, got: int) -> None:
        self.expected = expected
        self.got = got
        super().__init__(f"{what}: {got} answers where there must be {expected}")


class UnknownInformant(SdqInputError):
    def __init__(self, value: object) -> None:
        self.value = value
        allowed = ", ".join(i.value for i in Informant)
        super().__init__(f"informant {value!r} is not one of {allowed}")


def parse_informant(value: object) -> Informant:
    if isinstance(value, str):
        try:
            return Informant(value)
        except ValueError:
            pass
    raise UnknownInformant(value)


def _is_answer(value: object, allowed: Sequence[int]) -> bool:
    # bool is an int in Python; True is not an answer.
    return value is None or (type(value) is int and value in allowed)


@dataclass(frozen=True)
class Impact:
    """The impact supplement: `items` in the order of IMPACT_ITEMS[informant], 0-3 or None.

    `difficulties` is the opening question "does the child have difficulties?" (False: no, so
    the distress and impairment questions are skipped and the impact is 0); None when unknown.
    """

    items: tuple[int | None, ...]
    difficulties: bool | None = None


@dataclass(frozen=True)
class Response:
    informant: Informant
    items: tuple[int | None, ...]  # item 1 first
    impact: Impact | None = None

    def __post_init__(self) -> None:
        # Plain values are accepted and normalised: "parent" becomes Informant.PARENT, a list
        # of answers a tuple, so that a response stays immutable and hashable.
        object.__setattr__(self, "informant", parse_informant(self.informant))
        object.__setattr__(self, "items", tuple(self.items))
        if len(self.items) != ITEM_COUNT:
            raise WrongItemCount("items", ITEM_COUNT, len(self.items))
        for number, answer in enumerate(self.items, start=1):
            if not _is_answer(answer, ANSWERS):
                raise AnswerOutOfRange(f"item_{number}", answer)
        if self.impact is not None:
            names = IMPACT_ITEMS[self.informant]
            object.__setattr__(
                self, "impact", Impact(tuple(self.impact.items), self.impact.difficulties)
            )
            if len(self.impact.items) != len(names):
                raise WrongItemCount(
                    f"{self.informant} impact items", len(names), len(self.impact.items)
                )
            for name, answer in zip(names, self.impact.items, strict=True):
                if not _is_answer(answer, IMPACT_ANSWERS):
                    raise AnswerOutOfRange(f"impact_{name}", answer, IMPACT_ANSWERS)

    @classmethod
    def of(
        cls,
        informant: str,
        items: Sequence[int | None],
        impact: Impact | None = None,
    ) -> "Response":
        """A response from plain values; UnknownInformant for an informant not in Informant."""
        return cls(parse_informant(informant), tuple(items), impact)

    def answer(self, item: int) -> int | None:
        return self.items[item - 1]


def scored_answer(item: int, answer: int) -> int:
    """The points an answer gives on its subscale: reversed items count 2 - answer."""
    return 2 - answer if item in REVERSED_ITEMS else answer


def prorate(total: int, answered: int, of: int = 5) -> int:
    """`total` over `answered` items scaled to `of` items, rounded half up (integers only)."""
    # floor(total * of / answered + 1/2), exactly: no float, no banker's rounding.
    return (2 * total * of + answered) // (2 * answered)


def subscale_score(items: Sequence[int | None], scale: Scale) -> int | None:
    """One subscale (0-10) from the 25 answers, or None with fewer than 3 of its items answered."""
    points = [
        scored_answer(item, answer)
        for item in SUBSCALE_ITEMS[scale]
        if (answer := items[item - 1]) is not None
    ]
    if len(points) < MIN_ANSWERED:
        return None
    return prorate(sum(points), len(points))


def impact_score(impact: Impact | None) -> int | None:
    if impact is None:
        return None
    if impact.difficulties is False:
        return 0
    if any(answer is None for answer in impact.items):
        return None
    return sum(IMPACT_RECODE[answer] for answer in impact.items if answer is not None)


@dataclass(frozen=True)
class Scores:
    informant: Informant
    emotional: int | None
    conduct: int | None
    hyperactivity: int | None
    peer: int | None
    prosocial: int | None
    total_difficulties: int | None
    externalising: int | None
    internalising: int | None
    impact: int | None = None

    def value(self, scale: Scale) -> int | None:
        result: int | None = getattr(self, scale.value)
        return result


def _sum_or_none(parts: Sequence[int | None]) -> int | None:
    if any(part is None for part in parts):
        return None
    return sum(part for part in parts if part is not None)


def score(response: Response) -> Scores:
    sub = {scale: subscale_score(response.items, scale) for scale in SUBSCALES}
    composite = {
        scale: _sum_or_none([sub[part] for part in parts]) for scale, parts in COMPOSITES.items()
    }
    return Scores(
        informant=response.informant,
        emotional=sub[Scale.EMOTIONAL],
        conduct=sub[Scale.CONDUCT],
        hyperactivity=sub[Scale.HYPERACTIVITY],
        peer=sub[Scale.PEER],
        prosocial=sub[Scale.PROSOCIAL],
        total_difficulties=composite[Scale.TOTAL_DIFFICULTIES],
        externalising=composite[Scale.EXTERNALISING],
        internalising=composite[Scale.INTERNALISING],
        impact=impact_score(response.impact),
    )


def scale_range(scale: Scale, informant: Informant) -> tuple[int, int]:
    """The lowest and highest score a scale can take for an informant."""
    if scale is Scale.TOTAL_DIFFICULTIES:
        return (0, 40)
    if scale in COMPOSITES:
        return (0, 20)
    if scale is Scale.IMPACT:
        return (0, 2 * len(IMPACT_ITEMS[informant]))
    return (0, 10)


# --- bands -------------------------------------------------------------------------------------


class BandDataError(ValueError):
    """The band data is malformed; the message names the table and the problem."""


@dataclass(frozen=True)
class Band:
    label: str
    low: int  # inclusive
    high: int  # inclusive


@dataclass(frozen=True)
class BandTable:
    informant: Informant
    scheme: Scheme
    scale: Scale
    bands: tuple[Band, ...] | None  # None: the source publishes no bands for this scale
    verified: bool
    note: str = ""
    checked_against: tuple[str, ...] = ()

    def band(self, value: int | None) -> str | None:
        if value is None or self.bands is None:
            return None
        for band in self.bands:
            if band.low <= value <= band.high:
                return band.label
        raise ValueError(
            f"{self.scale} score {value} is outside {self.informant}'s {self.scheme}-band table"
        )


@dataclass(frozen=True)
class Source:
    title: str
    publisher: str
    url: str
    date: str  # ISO date or year of the document; "" for a reference without one
    note: str = ""


@dataclass(frozen=True)
class Banding:
    source: Source
    references: Mapping[str, Source]
    tables: Mapping[tuple[Informant, Scheme, Scale], BandTable]

    def table(self, informant: Informant, scheme: Scheme, scale: Scale) -> BandTable:
        return self.tables[(informant, scheme, scale)]

    def band(
        self, informant: Informant, scheme: Scheme, scale: Scale, value: int | None
    ) -> str | None:
        return self.table(informant, scheme, scale).band(value)


def expected_labels(scheme: Scheme, scale: Scale) -> tuple[str, ...]:
    if scheme is Scheme.THREE:
        return THREE_BANDS
    return FOUR_BANDS_PROSOCIAL if scale is Scale.PROSOCIAL else FOUR_BANDS


def _source(data: Any, where: str, *, dated: bool = True) -> Source:
    if not isinstance(data, Mapping):
        raise BandDataError(f"{where}: must be an object")
    required = ("title", "publisher", "url", "date") if dated else ("title", "publisher", "url")
    missing = [key for key in required if not data.get(key)]
    if missing:
        raise BandDataError(f"{where}: missing {', '.join(missing)}")
    return Source(
        title=str(data["title"]),
        publisher=str(data["publisher"]),
        url=str(data["url"]),
        date=str(data.get("date", "")),
        note=str(data.get("note", "")),
    )


def _check_bands(table: BandTable, where: str) -> None:
    assert table.bands is not None
    labels = tuple(band.label for band in table.bands)
    expected = expected_labels(table.scheme, table.scale)
    if labels != expected:
        raise BandDataError(f"{where}: bands must be {list(expected)} in that order, not {labels}")
    for band in table.bands:
        if band.low > band.high:
            raise BandDataError(f"{where}: band {band.label!r} runs from {band.low} to {band.high}")
    # Difficulties rise with the bands; the prosocial score (a strength) falls.
    ordered = sorted(table.bands, key=lambda b: b.low)
    rising = table.scale is not Scale.PROSOCIAL
    if list(table.bands) != (ordered if rising else ordered[::-1]):
        direction = "rise" if rising else "fall"
        raise BandDataError(f"{where}: scores must {direction} from the first band to the last")
    low, high = scale_range(table.scale, table.informant)
    if ordered[0].low != low or ordered[-1].high != high:
        raise BandDataError(
            f"{where}: the bands cover {ordered[0].low}-{ordered[-1].high}, "
            f"not the scale's whole range {low}-{high}"
        )
    for before, after in zip(ordered, ordered[1:], strict=False):
        if after.low != before.high + 1:
            raise BandDataError(
                f"{where}: bands {before.label!r} ({before.low}-{before.high}) and "
                f"{after.label!r} ({after.low}-{after.high}) leave a gap or overlap"
            )


def parse_banding(data: Mapping[str, Any]) -> Banding:
    """The band tables from the JSON data; BandDataError unless every table is complete.

    Every informant, scheme and scale needs exactly one table. A table's bands are contiguous,
    in the scheme's label order, and cover the scale's whole range; `"bands": null` says the
    source has no bands for that scale (and must say so in its note).
    """
    source = _source(data.get("source"), "source")
    raw_refs = data.get("references", {})
    if not isinstance(raw_refs, Mapping):
        raise BandDataError("references: must be an object")
    references = {
        str(key): _source(value, f"references.{key}", dated=False)
        for key, value in raw_refs.items()
    }
    raw_tables = data.get("tables")
    if not isinstance(raw_tables, list):
        raise BandDataError("tables: must be a list")
    tables: dict[tuple[Informant, Scheme, Scale], BandTable] = {}
    for index, raw in enumerate(raw_tables):
        where = f"tables[{index}]"
        try:
            informant = Informant(raw["informant"])
            scheme = Scheme(raw["scheme"])
            scale = Scale(raw["scale"])
            where = f"{informant} {scheme}-band {scale}"
            verified = raw["verified"]
            raw_bands = raw["bands"]
            note = str(raw.get("note", ""))
            checked = tuple(str(ref) for ref in raw.get("checked_against", ()))
        except (KeyError, TypeError, ValueError) as error:
            raise BandDataError(f"{where}: malformed table ({error})") from None
        if not isinstance(verified, bool):
            raise BandDataError(f"{where}: 'verified' must be true or false")
        unknown = [ref for ref in checked if ref not in references]
        if unknown:
            raise BandDataError(f"{where}: unknown reference {', '.join(unknown)}")
        if verified and not checked:
            raise BandDataError(f"{where}: verified, but checked against no reference")
        if not verified and not note:
            raise BandDataError(f"{where}: not verified, so it needs a note saying why")
        bands: tuple[Band, ...] | None
        if raw_bands is None:
            bands = None
        else:
            try:
                bands = tuple(
                    Band(str(b["band"]), int(b["low"]), int(b["high"])) for b in raw_bands
                )
            except (KeyError, TypeError, ValueError) as error:
                raise BandDataError(f"{where}: malformed band ({error})") from None
        table = BandTable(informant, scheme, scale, bands, verified, note, checked)
        if bands is not None:
            _check_bands(table, where)
        elif not note:
            raise BandDataError(f"{where}: no bands, so it needs a note saying why")
        if (informant, scheme, scale) in tables:
            raise BandDataError(f"{where}: given twice")
        tables[(informant, scheme, scale)] = table
    missing = [
        f"{i} {s}-band {c}"
        for i in Informant
        for s in Scheme
        for c in Scale
        if (i, s, c) not in tables
    ]
    if missing:
        raise BandDataError(f"no table for {', '.join(missing)}")
    return Banding(source, references, tables)


BANDS_RESOURCE = "sdq_bands.json"


@cache
def default_banding() -> Banding:
    """The band tables shipped with trappen (read once from the package)."""
    return parse_banding(ruledata.load(BANDS_RESOURCE))
