"""SDQ scoring (trappen/core/sdq.py) and its band data (trappen/core/data/sdq_bands.json)."""

import copy
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trappen.core import ruledata, sdq
from trappen.core.sdq import Impact, Informant, Response, Scale, Scheme

SUBSCALE_OF = {item: scale for scale, items in sdq.SUBSCALE_ITEMS.items() for item in items}
REVERSED = (7, 11, 14, 21, 25)


def answers(**by_item: int | None) -> list[int | None]:
    """25 unanswered items, except those given as item_N=answer."""
    items: list[int | None] = [None] * 25
    for name, answer in by_item.items():
        items[int(name.removeprefix("item_")) - 1] = answer
    return items


def zero_points() -> list[int | None]:
    """Every item answered so that it gives 0 points: 0, or 2 ("not true") on reversed items."""
    return [2 if item in REVERSED else 0 for item in range(1, 26)]


def scores(items, informant="parent", impact=None):
    return sdq.score(Response.of(informant, items, impact))


# --- item mapping and reversal --------------------------------------------------------------


def test_the_subscales_partition_the_25_items():
    numbers = sorted(item for items in sdq.SUBSCALE_ITEMS.values() for item in items)
    assert numbers == list(range(1, 26))
    assert sdq.SUBSCALE_ITEMS == {
        Scale.EMOTIONAL: (3, 8, 13, 16, 24),
        Scale.CONDUCT: (5, 7, 12, 18, 22),
        Scale.HYPERACTIVITY: (2, 10, 15, 21, 25),
        Scale.PEER: (6, 11, 14, 19, 23),
        Scale.PROSOCIAL: (1, 4, 9, 17, 20),
    }
    assert sorted(sdq.REVERSED_ITEMS) == list(REVERSED)


@pytest.mark.parametrize("item", range(1, 26))
def test_each_item_counts_on_its_own_subscale_only(item):
    items = zero_points()
    items[item - 1] = 0 if item in REVERSED else 2  # now worth 2 points
    result = scores(items)
    for scale in sdq.SUBSCALES:
        assert result.value(scale) == (2 if scale is SUBSCALE_OF[item] else 0), scale


@pytest.mark.parametrize("item", REVERSED)
@pytest.mark.parametrize(("answer", "points"), [(0, 2), (1, 1), (2, 0)])
def test_reversed_items_count_two_minus_the_answer(item, answer, points):
    items = zero_points()
    items[item - 1] = answer
    assert scores(items).value(SUBSCALE_OF[item]) == points
    assert sdq.scored_answer(item, answer) == points


@pytest.mark.parametrize("item", [i for i in range(1, 26) if i not in REVERSED])
@pytest.mark.parametrize("answer", [0, 1, 2])
def test_other_items_count_the_answer(item, answer):
    assert sdq.scored_answer(item, answer) == answer


def test_somewhat_true_always_counts_one():
    result = scores([1] * 25)
    assert [result.value(s) for s in sdq.SUBSCALES] == [5, 5, 5, 5, 5]
    assert (result.total_difficulties, result.externalising, result.internalising) == (20, 10, 10)


def test_a_worked_response():
    # Item by item: 1..25.
    items = [2, 1, 0, 2, 1, 0, 0, 1, 2, 2, 0, 1, 0, 2, 1, 1, 2, 0, 1, 2, 0, 1, 0, 1, 1]
    result = scores(items, "teacher")
    # emotional 3,8,13,16,24: 0+1+0+1+1; conduct 5,7R,12,18,22: 1+2+1+0+1
    # hyperactivity 2,10,15,21R,25R: 1+2+1+2+1; peer 6,11R,14R,19,23: 0+2+0+1+0
    # prosocial 1,4,9,17,20: 2+2+2+2+2
    assert result == sdq.Scores(
        informant=Informant.TEACHER,
        emotional=3,
        conduct=5,
        hyperactivity=7,
        peer=3,
        prosocial=10,
        total_difficulties=18,
        externalising=12,
        internalising=6,
        impact=None,
    )


# --- proration ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("emotional_answers", "expected"),
    [
        # 4 of 5 answered summing to 2: 2 * 5 / 4 = 2.5 -> 3 (Python's round gives 2).
        ((1, 1, 0, 0, None), 3),
        # 3 answered summing to 4: 6.67 -> 7 (the scoring instructions' own example).
        ((2, 2, 0, None, None), 7),
        ((1, None, None, 0, 0), 2),  # 1 on 3: 1.67 -> 2
        ((None, 2, 2, 2, 0), 8),  # 6 on 4: 7.5 -> 8
        ((2, 2, 2, 2, None), 10),  # 8 on 4: 10
        ((1, 0, 0, 0, None), 1),  # 1 on 4: 1.25 -> 1
        ((1, 1, 1, 0, None), 4),  # 3 on 4: 3.75 -> 4
        ((2, 2, 1, None, None), 8),  # 5 on 3: 8.33 -> 8
        ((2, 2, 2, None, None), 10),  # 6 on 3: 10
        ((0, 0, 0, None, None), 0),
    ],
)
def test_proration_rounds_half_up(emotional_answers, expected):
    items = answers(
        **dict(
            zip(
                ("item_3", "item_8", "item_13", "item_16", "item_24"),
                emotional_answers,
                strict=True,
            )
        )
    )
    assert scores(items).emotional == expected


def test_half_up_where_round_would_go_to_even():
    assert round(2 * 5 / 4) == 2 and sdq.prorate(2, 4) == 3
    assert round(10 * 5 / 4) == 12 and sdq.prorate(10, 4) == 13


def test_reversed_items_are_reversed_before_proration():
    # Hyperactivity 2, 10, 15 answered 0 and 21R, 25R missing: 0 on 3 -> 0.
    assert scores(answers(item_2=0, item_10=0, item_15=0)).hyperactivity == 0
    # Peer 6=1, 11R=1 (1 point), 14R=2 (0 points), 19 and 23 missing: 2 on 3 -> 3.33 -> 3.
    assert scores(answers(item_6=1, item_11=1, item_14=2)).peer == 3
    # Conduct 7R answered 0 (2 points) with 5 and 12 at 0: 2 on 3 -> 3.33 -> 3.
    assert scores(answers(item_5=0, item_7=0, item_12=0)).conduct == 3


@pytest.mark.parametrize("answered", [0, 1, 2])
def test_fewer_than_three_answered_is_missing(answered):
    emotional = ("item_3", "item_8", "item_13", "item_16", "item_24")
    items = answers(**{name: 2 for name in emotional[:answered]})
    result = scores(items)
    assert result.emotional is None
    assert result.total_difficulties is None and result.internalising is None


def test_an_empty_response_scores_nothing():
    result = scores([None] * 25, "self")
    assert all(result.value(scale) is None for scale in Scale)


# --- totals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("missing", "gone", "kept"),
    [
        (Scale.EMOTIONAL, {"total_difficulties", "internalising"}, {"externalising"}),
        (Scale.PEER, {"total_difficulties", "internalising"}, {"externalising"}),
        (Scale.CONDUCT, {"total_difficulties", "externalising"}, {"internalising"}),
        (Scale.HYPERACTIVITY, {"total_difficulties", "externalising"}, {"internalising"}),
        (Scale.PROSOCIAL, set(), {"total_difficulties", "externalising", "internalising"}),
    ],
)
def test_totals_are_missing_when_a_part_is(missing, gone, kept):
    items: list[int | None] = [1] * 25
    for item in sdq.SUBSCALE_ITEMS[missing][:3]:  # 2 of 5 left: the subscale is missing
        items[item - 1] = None
    result = scores(items)
    assert result.value(missing) is None
    for name in gone:
        assert getattr(result, name) is None, name
    for name in kept:
        assert getattr(result, name) is not None, name


def test_totals_are_sums_of_the_subscales():
    items = zero_points()
    items[2] = 2  # emotional +2
    items[4] = 1  # conduct +1
    items[1] = 2  # hyperactivity +2
    items[5] = 1  # peer +1
    items[0] = 2  # prosocial +2, not a difficulty
    result = scores(items)
    assert (result.total_difficulties, result.externalising, result.internalising) == (6, 3, 3)


# --- impact supplement ----------------------------------------------------------------------


@pytest.mark.parametrize(("answer", "points"), [(0, 0), (1, 0), (2, 1), (3, 2)])
def test_impact_recode(answer, points):
    assert sdq.IMPACT_RECODE[answer] == points
    assert scores([0] * 25, "teacher", Impact((answer, 0, 0))).impact == points


def test_parent_and_self_impact_range_to_ten_teacher_to_six():
    assert scores([0] * 25, "parent", Impact((3, 3, 3, 3, 3))).impact == 10
    assert scores([0] * 25, "self", Impact((3, 3, 3, 3, 3))).impact == 10
    assert scores([0] * 25, "teacher", Impact((3, 3, 3))).impact == 6
    assert scores([0] * 25, "parent", Impact((0, 1, 2, 3, 2))).impact == 0 + 0 + 1 + 2 + 1


def test_no_difficulties_means_no_impact():
    assert scores([0] * 25, "parent", Impact((None,) * 5, difficulties=False)).impact == 0


def test_impact_with_an_unanswered_item_is_missing():
    assert scores([0] * 25, "parent", Impact((3, 3, None, 3, 3))).impact is None
    assert scores([0] * 25, "parent", Impact((3, 3, None, 3, 3), difficulties=True)).impact is None
    assert scores([0] * 25, "parent").impact is None  # no supplement at all


def test_impact_item_sets():
    assert sdq.IMPACT_ITEMS[Informant.PARENT] == (
        "distress",
        "home",
        "friendships",
        "learning",
        "leisure",
    )
    assert sdq.IMPACT_ITEMS[Informant.SELF] == sdq.IMPACT_ITEMS[Informant.PARENT]
    assert sdq.IMPACT_ITEMS[Informant.TEACHER] == ("distress", "peers", "learning")


# --- refusals -------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [3, -1, 7, True, "1", 1.0])
def test_an_answer_outside_0_to_2_is_refused_by_item(bad):
    items = [0] * 25
    items[11] = bad
    with pytest.raises(sdq.AnswerOutOfRange, match=r"item_12: answer .* is not 0, 1 or 2"):
        Response.of("parent", items)


@pytest.mark.parametrize("count", [0, 24, 26])
def test_a_wrong_number_of_items_is_refused(count):
    with pytest.raises(sdq.WrongItemCount, match=f"items: {count} answers where there must be 25"):
        Response.of("parent", [0] * count)


@pytest.mark.parametrize("informant", ["mother", "Parent", "", None, 1])
def test_an_unknown_informant_is_refused(informant):
    with pytest.raises(sdq.UnknownInformant, match="is not one of parent, teacher, self"):
        Response.of(informant, [0] * 25)


def test_impact_refusals():
    with pytest.raises(sdq.WrongItemCount, match="teacher impact items: 5 answers .* 3"):
        Response.of("teacher", [0] * 25, Impact((0, 0, 0, 0, 0)))
    with pytest.raises(sdq.AnswerOutOfRange, match="impact_home: answer 4 is not 0, 1, 2 or 3"):
        Response.of("parent", [0] * 25, Impact((0, 4, 0, 0, 0)))


def test_refusals_are_value_errors_of_one_family():
    for error in (sdq.AnswerOutOfRange, sdq.WrongItemCount, sdq.UnknownInformant):
        assert issubclass(error, sdq.SdqInputError)
        assert issubclass(error, ValueError)


def test_plain_values_are_normalised():
    response = Response("self", [1] * 25, Impact([0, 1, 2, 3, 0]))  # type: ignore[arg-type]
    assert response.informant is Informant.SELF
    assert response.items == (1,) * 25 and response.impact.items == (0, 1, 2, 3, 0)
    assert hash(response) == hash(Response.of("self", (1,) * 25, Impact((0, 1, 2, 3, 0))))


def test_responses_and_scores_are_frozen():
    response = Response.of("parent", [0] * 25)
    with pytest.raises(AttributeError):
        response.informant = Informant.SELF  # type: ignore[misc]
    with pytest.raises(AttributeError):
        sdq.score(response).emotional = 3  # type: ignore[misc]


# --- bands ----------------------------------------------------------------------------------

# A second, hand-typed copy of the tables in trappen/core/data/sdq_bands.json: the scores at
# which each band after the first begins (for prosocial: the highest score of each later band).
EDGES = {
    ("parent", "three"): {
        "total_difficulties": (14, 17),
        "emotional": (4, 5),
        "conduct": (3, 4),
        "hyperactivity": (6, 7),
        "peer": (3, 4),
        "prosocial": (5, 4),
        "impact": (1, 2),
    },
    ("teacher", "three"): {
        "total_difficulties": (12, 16),
        "emotional": (5, 6),
        "conduct": (3, 4),
        "hyperactivity": (6, 7),
        "peer": (4, 5),
        "prosocial": (5, 4),
        "impact": (1, 2),
    },
    ("self", "three"): {
        "total_difficulties": (16, 20),
        "emotional": (6, 7),
        "conduct": (4, 5),
        "hyperactivity": (6, 7),
        "peer": (4, 6),
        "prosocial": (5, 4),
        "impact": (1, 2),
    },
    ("parent", "four"): {
        "total_difficulties": (14, 17, 20),
        "emotional": (4, 5, 7),
        "conduct": (3, 4, 6),
        "hyperactivity": (6, 8, 9),
        "peer": (3, 4, 5),
        "prosocial": (7, 6, 5),
        "impact": (1, 2, 3),
    },
    ("teacher", "four"): {
        "total_difficulties": (12, 16, 19),
        "emotional": (4, 5, 6),
        "conduct": (3, 4, 5),
        "hyperactivity": (6, 8, 9),
        "peer": (3, 5, 6),
        "prosocial": (5, 4, 3),
        "impact": (1, 2, 3),
    },
    ("self", "four"): {
        "total_difficulties": (15, 18, 20),
        "emotional": (5, 6, 7),
        "conduct": (4, 5, 6),
        "hyperactivity": (6, 7, 8),
        "peer": (3, 4, 5),
        "prosocial": (6, 5, 4),
        "impact": (1, 2, 3),
    },
}
EDGE_CASES = [
    (informant, scheme, scale, index, edge)
    for (informant, scheme), scales in EDGES.items()
    for scale, edges in scales.items()
    for index, edge in enumerate(edges)
]


@pytest.mark.parametrize(("informant", "scheme", "scale", "index", "edge"), EDGE_CASES)
def test_band_edges_on_both_sides(informant, scheme, scale, index, edge):
    banding = sdq.default_banding()
    labels = sdq.expected_labels(Scheme(scheme), Scale(scale))
    table = banding.table(Informant(informant), Scheme(scheme), Scale(scale))
    before = edge + 1 if scale == "prosocial" else edge - 1
    assert table.band(before) == labels[index]
    assert table.band(edge) == labels[index + 1]


@pytest.mark.parametrize(
    ("informant", "total", "band3", "band4"),
    [
        ("parent", 0, "normal", "close to average"),
        ("parent", 13, "normal", "close to average"),
        ("parent", 14, "borderline", "slightly raised"),
        ("parent", 17, "abnormal", "high"),
        ("parent", 20, "abnormal", "very high"),
        ("teacher", 11, "normal", "close to average"),
        ("teacher", 12, "borderline", "slightly raised"),
        ("teacher", 16, "abnormal", "high"),
        ("teacher", 19, "abnormal", "very high"),
        ("self", 14, "normal", "close to average"),
        ("self", 15, "normal", "slightly raised"),
        ("self", 16, "borderline", "slightly raised"),
        ("self", 18, "borderline", "high"),
        ("self", 20, "abnormal", "very high"),
        ("self", 40, "abnormal", "very high"),
    ],
)
def test_total_difficulties_bands_per_informant(informant, total, band3, band4):
    banding = sdq.default_banding()
    who = Informant(informant)
    assert banding.band(who, Scheme.THREE, Scale.TOTAL_DIFFICULTIES, total) == band3
    assert banding.band(who, Scheme.FOUR, Scale.TOTAL_DIFFICULTIES, total) == band4


def test_missing_scores_and_scales_without_bands_have_no_band():
    banding = sdq.default_banding()
    assert banding.band(Informant.PARENT, Scheme.THREE, Scale.TOTAL_DIFFICULTIES, None) is None
    for scale in (Scale.EXTERNALISING, Scale.INTERNALISING):
        for informant in Informant:
            for scheme in Scheme:
                table = banding.table(informant, scheme, scale)
                assert table.bands is None and table.band(12) is None and table.note


def test_a_score_outside_a_table_is_an_error():
    table = sdq.default_banding().table(Informant.TEACHER, Scheme.THREE, Scale.IMPACT)
    with pytest.raises(ValueError, match="outside"):
        table.band(7)  # teacher impact runs 0-6


def test_every_band_table_covers_its_scale():
    banding = sdq.default_banding()
    assert len(banding.tables) == len(Informant) * len(Scheme) * len(Scale)
    for (informant, _scheme, scale), table in banding.tables.items():
        low, high = sdq.scale_range(scale, informant)
        if table.bands is not None:
            for value in range(low, high + 1):
                assert table.band(value) is not None


def test_the_source_is_the_scoring_document():
    banding = sdq.default_banding()
    assert banding.source.title == "Scoring the Strengths & Difficulties Questionnaire for age 4-17"
    assert banding.source.date == "2014-08-19"
    assert "sdqinfo.org" in banding.source.url


def test_verified_tables_name_what_they_were_checked_against():
    banding = sdq.default_banding()
    verified = {key for key, table in banding.tables.items() if table.verified}
    # The teacher four bands and every informant's three bands, for the total and the five
    # subscales; not the impact bands, nor the parent and self-report four bands.
    assert verified == {
        (Informant.TEACHER, Scheme.FOUR, scale)
        for scale in (Scale.TOTAL_DIFFICULTIES, *sdq.SUBSCALES)
    } | {
        (informant, Scheme.THREE, scale)
        for informant in Informant
        for scale in (Scale.TOTAL_DIFFICULTIES, *sdq.SUBSCALES)
    }
    for table in banding.tables.values():
        if table.verified:
            assert table.checked_against and table.bands is not None
        else:
            assert table.note  # says why
        for ref in table.checked_against:
            assert banding.references[ref].url.startswith("https://")


# What each cited reference shows, typed by hand from it (docs/wellbeing.md, "References"): per
# informant, scheme and scale the highest score of each band but the last (prosocial: the lowest
# score of each band but the last). A table checked against a reference must agree with it.
SOURCES = {
    "pmc4830858-table1": {  # teacher, four bands
        ("teacher", "four", "total_difficulties"): (11, 15, 18),
        ("teacher", "four", "emotional"): (3, 4, 5),
        ("teacher", "four", "conduct"): (2, 3, 4),
        ("teacher", "four", "hyperactivity"): (5, 7, 8),
        ("teacher", "four", "peer"): (2, 4, 5),
        ("teacher", "four", "prosocial"): (6, 5, 4),
    },
    "bmc-pediatrics-2023-table2": {  # UK 4-17 column: borderline from, abnormal from
        ("parent", "three", "total_difficulties"): (13, 16),
        ("parent", "three", "emotional"): (3, 4),
        ("parent", "three", "conduct"): (2, 3),
        ("parent", "three", "hyperactivity"): (5, 6),
        ("parent", "three", "peer"): (2, 3),
        ("parent", "three", "prosocial"): (6, 5),
    },
    "bmc-psychiatry-2021-table2": {  # its UK prosocial row disagrees: left out (see the note)
        ("parent", "three", "total_difficulties"): (13, 16),
        ("parent", "three", "emotional"): (3, 4),
        ("parent", "three", "conduct"): (2, 3),
        ("parent", "three", "hyperactivity"): (5, 6),
        ("parent", "three", "peer"): (2, 3),
    },
    "psicocalc-2026-clinicalnorms": {
        ("parent", "three", "total_difficulties"): (13, 16),
        ("parent", "three", "emotional"): (3, 4),
        ("parent", "three", "conduct"): (2, 3),
        ("parent", "three", "hyperactivity"): (5, 6),
        ("parent", "three", "peer"): (2, 3),
        ("parent", "three", "prosocial"): (6, 5),
        ("teacher", "three", "total_difficulties"): (11, 15),
        ("teacher", "three", "emotional"): (4, 5),
        ("teacher", "three", "conduct"): (2, 3),
        ("teacher", "three", "hyperactivity"): (5, 6),
        ("teacher", "three", "peer"): (3, 4),
        ("teacher", "three", "prosocial"): (6, 5),
        ("self", "three", "total_difficulties"): (15, 19),
        ("self", "three", "emotional"): (5, 6),
        ("self", "three", "conduct"): (3, 4),
        ("self", "three", "hyperactivity"): (5, 6),
        ("self", "three", "peer"): (3, 5),
        ("self", "three", "prosocial"): (6, 5),
    },
    "powershow-headstart-2009": {  # informant not named; the teacher values
        ("teacher", "three", "total_difficulties"): (11, 15),
        ("teacher", "three", "emotional"): (4, 5),
        ("teacher", "three", "conduct"): (2, 3),
        ("teacher", "three", "hyperactivity"): (5, 6),
        ("teacher", "three", "peer"): (3, 4),
        ("teacher", "three", "prosocial"): (6, 5),
    },
}


def band_ends(table):
    """The typed form of SOURCES: the end of each band but the last, from the band's side
    nearest the first band (its high end; prosocial's low end)."""
    prosocial = table.scale == Scale.PROSOCIAL
    return tuple(b.low if prosocial else b.high for b in table.bands[:-1])


@pytest.mark.parametrize("reference", sorted(SOURCES))
def test_each_source_agrees_with_the_tables_checked_against_it(reference):
    banding = sdq.default_banding()
    assert reference in banding.references
    shown = SOURCES[reference]
    for (informant, scheme, scale), ends in shown.items():
        table = banding.table(Informant(informant), Scheme(scheme), Scale(scale))
        assert band_ends(table) == ends, (reference, informant, scheme, scale)
    # Every table that names the reference is one the reference shows (prosocial aside for
    # the journal whose prosocial row disagrees, which that table's note explains).
    for key, table in banding.tables.items():
        if reference in table.checked_against:
            assert (key[0].value, key[1].value, key[2].value) in shown


def test_every_verified_table_is_shown_by_a_typed_source():
    banding = sdq.default_banding()
    for (informant, scheme, scale), table in banding.tables.items():
        if table.verified:
            key = (informant.value, scheme.value, scale.value)
            assert any(key in SOURCES.get(ref, {}) for ref in table.checked_against), key


@pytest.mark.parametrize(
    ("informant", "scale", "score", "band3"),
    [
        # The edges where the informants' three bands differ, on both sides.
        ("parent", "emotional", 3, "normal"), ("teacher", "emotional", 4, "normal"),
        ("self", "emotional", 5, "normal"), ("self", "emotional", 6, "borderline"),
        ("parent", "peer", 3, "borderline"), ("teacher", "peer", 4, "borderline"),
        ("self", "peer", 5, "borderline"), ("self", "peer", 6, "abnormal"),
        ("parent", "conduct", 4, "abnormal"), ("teacher", "conduct", 4, "abnormal"),
        ("self", "conduct", 4, "borderline"), ("self", "conduct", 5, "abnormal"),
        ("parent", "total_difficulties", 16, "borderline"),
        ("teacher", "total_difficulties", 16, "abnormal"),
        ("self", "total_difficulties", 19, "borderline"),
        ("self", "total_difficulties", 20, "abnormal"),
    ],
)  # fmt: skip
def test_the_same_score_bands_differently_per_informant(informant, scale, score, band3):
    banding = sdq.default_banding()
    assert banding.band(Informant(informant), Scheme.THREE, Scale(scale), score) == band3


# --- the loader's checks --------------------------------------------------------------------


def raw_data():
    return ruledata.load(sdq.BANDS_RESOURCE)


def find(data, informant, scheme, scale):
    for table in data["tables"]:
        if (table["informant"], table["scheme"], table["scale"]) == (informant, scheme, scale):
            return table
    raise LookupError


def test_the_shipped_data_parses():
    assert sdq.parse_banding(raw_data()) == sdq.default_banding()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t["bands"][1].update(low=15), "leave a gap or overlap"),
        (lambda t: t["bands"][1].update(low=13), "leave a gap or overlap"),
        (lambda t: t["bands"][2].update(high=39), "not the scale's whole range 0-40"),
        (lambda t: t["bands"][0].update(low=1), "not the scale's whole range 0-40"),
        (lambda t: t["bands"][0].update(band="ok"), "bands must be"),
        (lambda t: t["bands"].pop(), "bands must be"),
        (lambda t: t["bands"][1].update(low=18, high=16), "runs from 18 to 16"),
        (lambda t: t.update(verified="yes"), "'verified' must be true or false"),
        (lambda t: t.update(checked_against=["nowhere"]), "unknown reference nowhere"),
        (lambda t: t.update(checked_against=[]), "verified, but checked against no reference"),
        (lambda t: t.update(scale="happiness"), "malformed table"),
        (lambda t: t["bands"][0].pop("high"), "malformed band"),
    ],
)
def test_the_loader_refuses_broken_tables(change, message):
    data = raw_data()
    change(find(data, "parent", "three", "total_difficulties"))
    with pytest.raises(sdq.BandDataError, match=message):
        sdq.parse_banding(data)


def test_the_loader_refuses_prosocial_bands_in_the_wrong_direction():
    data = raw_data()
    table = find(data, "teacher", "four", "prosocial")
    table["bands"] = [
        {"band": label, "low": low, "high": high}
        for label, (low, high) in zip(
            sdq.FOUR_BANDS_PROSOCIAL, [(0, 3), (4, 4), (5, 5), (6, 10)], strict=True
        )
    ]
    with pytest.raises(sdq.BandDataError, match="scores must fall"):
        sdq.parse_banding(data)


def test_the_loader_refuses_a_missing_or_doubled_table_and_silent_gaps():
    data = raw_data()
    data["tables"] = [
        t for t in data["tables"] if t["scale"] != "impact" or t["informant"] != "self"
    ]
    with pytest.raises(sdq.BandDataError, match="no table for self three-band impact"):
        sdq.parse_banding(data)

    data = raw_data()
    data["tables"].append(copy.deepcopy(data["tables"][0]))
    with pytest.raises(sdq.BandDataError, match="given twice"):
        sdq.parse_banding(data)

    data = raw_data()
    table = find(data, "self", "four", "conduct")
    table.pop("note")
    with pytest.raises(sdq.BandDataError, match="not verified, so it needs a note"):
        sdq.parse_banding(data)

    data = raw_data()
    data["source"].pop("date")
    with pytest.raises(sdq.BandDataError, match="source: missing date"):
        sdq.parse_banding(data)


# --- laws -----------------------------------------------------------------------------------

answer = st.sampled_from([None, 0, 1, 2])
items_strategy = st.lists(answer, min_size=25, max_size=25)
complete_items = st.lists(st.sampled_from([0, 1, 2]), min_size=25, max_size=25)
informants = st.sampled_from(list(Informant))


@st.composite
def responses(draw):
    informant = draw(informants)
    impact = None
    if draw(st.booleans()):
        n = len(sdq.IMPACT_ITEMS[informant])
        impact = Impact(
            tuple(draw(st.lists(st.sampled_from([None, 0, 1, 2, 3]), min_size=n, max_size=n))),
            draw(st.sampled_from([None, True, False])),
        )
    return Response(informant, tuple(draw(items_strategy)), impact)


@given(responses())
def test_every_score_is_within_its_range(response):
    result = sdq.score(response)
    for scale in Scale:
        value = result.value(scale)
        low, high = sdq.scale_range(scale, response.informant)
        assert value is None or low <= value <= high, (scale, value)


@given(responses())
def test_every_score_has_a_band_in_every_informants_table(response):
    banding = sdq.default_banding()
    result = sdq.score(response)
    for scale in Scale:
        for scheme in Scheme:
            table = banding.table(response.informant, scheme, scale)
            band = table.band(result.value(scale))
            assert (band is None) == (result.value(scale) is None or table.bands is None)


@given(complete_items)
def test_a_complete_subscale_is_the_plain_sum_of_its_points(items):
    result = scores(items)
    for scale, numbers in sdq.SUBSCALE_ITEMS.items():
        expected = sum(2 - items[n - 1] if n in REVERSED else items[n - 1] for n in numbers)
        assert result.value(scale) == expected


@given(items_strategy)
def test_reversing_the_reversed_items_scores_the_answers_as_given(items):
    """Flip items 7, 11, 14, 21, 25 (answer -> 2 - answer): every subscale is then the prorated
    plain sum of the original answers; emotional and prosocial, without reversed items, stay."""
    flipped = [
        None if a is None else (2 - a if n in REVERSED else a) for n, a in enumerate(items, 1)
    ]
    before, after = scores(items), scores(flipped)
    for scale, numbers in sdq.SUBSCALE_ITEMS.items():
        given_answers = [items[n - 1] for n in numbers if items[n - 1] is not None]
        plain = (
            sdq.prorate(sum(given_answers), len(given_answers)) if len(given_answers) >= 3 else None
        )
        assert after.value(scale) == plain
    assert after.emotional == before.emotional and after.prosocial == before.prosocial


@given(items_strategy)
def test_reversing_every_answer_mirrors_complete_subscales(items):
    mirrored = [None if a is None else 2 - a for a in items]
    before, after = scores(items), scores(mirrored)
    for scale, numbers in sdq.SUBSCALE_ITEMS.items():
        answered = sum(items[n - 1] is not None for n in numbers)
        b, a = before.value(scale), after.value(scale)
        if answered < 3:
            assert a is None and b is None
        elif answered == 5:
            assert a == 10 - b
        else:  # a prorated .5 rounds up both ways
            assert abs(a - (10 - b)) <= 1


@given(
    st.integers(min_value=3, max_value=5).flatmap(
        lambda n: st.tuples(st.just(n), st.integers(min_value=0, max_value=2 * n))
    )
)
def test_proration_is_decimal_half_up_and_never_exceeds_ten(case):
    answered, total = case
    exact = (Decimal(total) * 5 / Decimal(answered)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    assert sdq.prorate(total, answered) == int(exact)
    assert 0 <= sdq.prorate(total, answered) <= 10


@given(items_strategy, st.integers(min_value=0, max_value=24), st.sampled_from([0, 1, 2]))
def test_adding_an_answer_never_turns_a_scored_subscale_missing(items, index, extra):
    before = scores(items)
    more = list(items)
    if more[index] is not None:
        return
    more[index] = extra
    after = scores(more)
    for scale in Scale:
        if before.value(scale) is not None:
            assert after.value(scale) is not None, scale
