"""The organisation registry: loading, folding, and resolution of mentions at the right granularity."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from normalize.registry import Decisions, Registry

REGISTRY = Registry.load()

MOH = (
    "Ministry of Internally Displaced Persons from the Occupied Territories, Labor, Health and Social "
    "Affairs of Georgia"
)
MOJ_UNITS = (
    "Ministry of Justice of Georgia (Public Service Development Agency, Training Center of Justice, "
    "Crime Prevention Center; Public Service Hall)"
)
STATE_FUND_LONG = (
    "The State Fund for Protection and Assistance of (Statutory) Victims of Trafficking in Persons "
    "(hereinafter – State Fund)"
)


def ids(text: str) -> list[str | None]:
    return [link.agency_id for link in REGISTRY.resolve(text).links]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "registry.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- loading


def test_load_default_registry() -> None:
    assert {"tip-council", "moj", "mia", "gpo", "state-fund", "psda", "ssa", "lid", "ccpd"} <= set(
        REGISTRY.agencies
    )
    assert REGISTRY.fuzzy_threshold == 92.0
    assert REGISTRY.fuzzy_margin == 4.0
    assert {"lepl", "lelp", "the"} <= REGISTRY.ignore_words


def test_registry_references_are_known_ids() -> None:
    for agency in REGISTRY.agencies.values():
        assert agency.parent is None or agency.parent in REGISTRY.agencies, agency.id
        assert agency.host is None or agency.host in REGISTRY.agencies, agency.id


def test_load_from_path(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
agencies:
  - {id: alpha, name: Alpha Agency, kind: lepl, aliases: [Alfa Agency]}
fuzzy_threshold: 80
""",
    )
    reg = Registry.load(path)
    assert list(reg.agencies) == ["alpha"]
    assert reg.fuzzy_threshold == 80.0
    assert reg.fuzzy_margin == 4.0
    assert reg.lookup("Alpha Agency").agency_id == "alpha"
    assert reg.lookup("Alfa Agency").match == "alias"


def test_one_alias_naming_two_entities_raises(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
agencies:
  - {id: alpha, name: Alpha Agency, kind: lepl, aliases: [Shared Office]}
  - {id: beta, name: Beta Agency, kind: lepl, aliases: [Shared Office]}
""",
    )
    with pytest.raises(ValueError, match="shared office"):
        Registry.load(path)


def test_alias_clash_after_folding_raises(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
agencies:
  - {id: alpha, name: Alpha Agency, kind: lepl, aliases: [The Shared Office]}
  - {id: beta, name: Beta Agency, kind: lepl, aliases: ["shared office."]}
ignore_words: [the]
""",
    )
    with pytest.raises(ValueError, match="alpha and beta"):
        Registry.load(path)


def test_short_name_naming_two_entities_raises(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
agencies:
  - {id: alpha, name: Alpha Agency, short_name: AA, kind: lepl}
  - {id: beta, name: Beta Agency, short_name: AA, kind: lepl}
""",
    )
    with pytest.raises(ValueError):
        Registry.load(path)


def test_alias_equal_to_another_entitys_name_raises(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
agencies:
  - {id: alpha, name: Alpha Agency, kind: lepl}
  - {id: beta, name: Beta Agency, kind: lepl, aliases: [Alpha Agency]}
""",
    )
    with pytest.raises(ValueError):
        Registry.load(path)


def test_alias_equal_to_own_name_is_fine(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
agencies:
  - {id: alpha, name: Alpha Agency, kind: lepl, aliases: [LEPL Alpha Agency]}
ignore_words: [lepl]
""",
    )
    reg = Registry.load(path)
    assert reg.lookup("LEPL Alpha Agency").match == "exact"


def test_yaml_that_is_not_a_mapping_raises(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="mapping"):
        Registry.load(write(tmp_path, "- just\n- a list\n"))


# ---------------------------------------------------------------- folding


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("LELP Crime Prevention Center", "LEPL Crime Prevention Center"),
        ("LELP Crime Prevention Center", "Crime Prevention Centre"),
        ('LELP "Training center of Justice of Georgia"', "LEPL Training Center of Justice of Georgia"),
        ("The Ministry of Internal Affairs of Georgia", "Ministry of Internal Affairs of Georgia"),
        ("Labour Inspection Department", "Labor Inspection Department"),
        ("Ministry of Defence of Georgia", "ministry of defense of georgia"),
    ],
)
def test_key_folds_spelling_variants(a: str, b: str) -> None:
    assert REGISTRY.key(a) == REGISTRY.key(b)


def test_key_keeps_different_words_apart() -> None:
    assert REGISTRY.key("Chief Prosecutor's Office") != REGISTRY.key("General Prosecutor's Office")
    assert REGISTRY.key("Ministry of Justice of Armenia") != REGISTRY.key("Ministry of Justice of Georgia")
    assert (
        REGISTRY.key("Georgian National Tourism Administration") == "georgian national tourism administration"
    )


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Ministry of Internal Affairs", "Ministry of Internal Affairs of Georgia"),
        ("Ministry of Justice", "The Ministry of Justice of Georgia"),
        ("Training Centre of Justice", "LEPL Training Center of Justice of Georgia"),
        ("General Prosecutor’s Office", "The General Prosecutor's Office of Georgia"),
        ("Public Defender (Ombudsman) of Georgia", "Public Defender Ombudsman"),
    ],
)
def test_ignored_phrase_is_folded(a: str, b: str) -> None:
    assert REGISTRY.key(a) == REGISTRY.key(b)


def test_ignored_phrase_only_as_whole_words(tmp_path: Path) -> None:
    reg = Registry.load(
        write(
            tmp_path,
            """
agencies:
  - {id: alpha, name: Alpha Agency of Georgia, kind: lepl}
variants: {centre: center}
ignore_phrases: ["of Georgia", "Centre of"]
""",
        )
    )
    assert reg.ignore_phrases == [("of", "georgia"), ("center", "of")]
    assert reg.key("Alpha Agency of Georgia") == "alpha agency"
    assert reg.key("Alpha Agency of Georgian Wine") == "alpha agency of georgian wine"
    assert reg.key("Training Center of Justice") == "training justice"
    assert reg.lookup("Alpha Agency").agency_id == "alpha"


# ---------------------------------------------------------------- resolution granularity


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("TIP council (Ministry of Justice of Georgia)", ["tip-council"]),
        (
            "Interagency Coordination Council on Combating Trafficking in Persons (hereinafter TIP council) "
            "(Ministry of Justice of Georgia)",
            ["tip-council"],
        ),
        (MOJ_UNITS, ["psda", "tcj", "cpc", "psh"]),
        ("Ministry of Justice of Georgia (Public Service Development Agency)", ["psda"]),
        ("The Ministry of Internal Affairs of Georgia (the Central Criminal Police Department)", ["ccpd"]),
        (f"{MOH} (Labor Inspection Department and LEPL Social Service Agency)", ["lid", "ssa"]),
        (f"{MOH} (Labor Inspection Department)", ["lid"]),
        (
            "Ministry of Economy and Sustainable Development of Georgia "
            "(Georgian National Tourism Administration)",
            ["gnta"],
        ),
        (
            "The Ministry of Economy and Sustainable Development (Georgian National Tourism Administration)",
            ["gnta"],
        ),
        ("International Organization of Migration (IOM)", ["iom"]),
        (
            "Interested local NGOs and international organizations",
            ["local-ngos", "international-organisations"],
        ),
        ("NGOs and International organizations", ["local-ngos", "international-organisations"]),
        ("Interested international organizations", ["international-organisations"]),
        ("Interested local NGOs", ["local-ngos"]),
        ("All members of the TIP Council", ["tip-council-members"]),
        ("All Governmental Agencies members of the TIP Council", ["tip-council-members"]),
        ("Invited members of Parliament", ["parliament"]),
        ("US State Department", ["us-state-department"]),
        ("ICMPD", ["icmpd"]),
        ("Judiciary", ["judiciary"]),
        ("High School of Justice", ["hsj"]),
        (MOH, ["moh"]),
        ("Ministry of Education, Science, Culture and Sport of Georgia", ["mes"]),
    ],
)
def test_resolve_granularity(text: str, expected: list[str]) -> None:
    res = REGISTRY.resolve(text)
    assert [link.agency_id for link in res.links] == expected
    assert res.resolved


@pytest.mark.parametrize(
    ("a", "b", "agency_id"),
    [
        ("LELP Crime Prevention Center", "LEPL Crime Prevention Center", "cpc"),
        ("LELP Social Service Agency", "LEPL Social Service Agency", "ssa"),
        ("LELP Public Service Hall", "LEPL Public Service Hall", "psh"),
        ("The Chief Prosecutor's Office of Georgia", "The General Prosecutor's Office of Georgia", "gpo"),
        ("The State Fund", STATE_FUND_LONG, "state-fund"),
        ("Public Defender of Georgia", "Public Defender's Office of Georgia", "public-defender"),
        ("TIP council", "Interagency Council on Combatting Trafficking in Persons", "tip-council"),
        ('LELP "Training center of Justice of Georgia"', "Training Center of Justice", "tcj"),
    ],
)
def test_same_body_spelled_two_ways(a: str, b: str, agency_id: str) -> None:
    assert ids(a) == [agency_id]
    assert ids(b) == [agency_id]


def test_resolved_link_carries_canonical_name() -> None:
    (link,) = REGISTRY.resolve("The Chief Prosecutor's Office of Georgia").links
    assert link.agency_name == "General Prosecutor's Office of Georgia"
    assert link.score == 100.0


# ---------------------------------------------------------------- match kinds


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("Ministry of Justice of Georgia", "exact"),
        ("The Ministry of Internal Affairs of Georgia", "exact"),
        ("The General Prosecutor's Office of Georgia", "exact"),
        ("MIA", "exact"),
        ("The State Fund", "exact"),
        (STATE_FUND_LONG, "exact"),
        ("LELP Crime Prevention Center", "exact"),
        ("Crime Prevention Centre", "exact"),
        ("Public Defender's Office of Georgia", "exact"),
        ("The Chief Prosecutor's Office of Georgia", "alias"),
        ("Public Defender of Georgia", "alias"),
        ("TIP council (Ministry of Justice of Georgia)", "exact"),
        ("International Organization of Migration (IOM)", "alias"),
        ("Interested international organizations", "alias"),
        ("All members of the TIP Council", "alias"),
        ("Judiciary", "exact"),
        ("Ministry of Internal Affairs (MIA)", "exact"),
        ("The Prosecutor's Office of Georgia", "alias"),
    ],
)
def test_match_kind(text: str, match: str) -> None:
    links = REGISTRY.resolve(text).links
    assert len(links) == 1
    assert links[0].match == match
    assert links[0].score == 100.0


def test_match_kinds_of_units() -> None:
    assert [link.match for link in REGISTRY.resolve(MOJ_UNITS).links] == ["exact"] * 4


def test_lookup_is_exact_or_alias_only() -> None:
    assert REGISTRY.lookup("Ministry of Internal Afairs of Georgia") is None
    assert REGISTRY.lookup("TIP council (Ministry of Justice of Georgia)") is None
    hit = REGISTRY.lookup(STATE_FUND_LONG)
    assert hit is not None
    assert (hit.agency_id, hit.match) == ("state-fund", "exact")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("IOM", True),
        ("Ministry of Justice of Georgia", True),
        ("Labor Inspection Department", True),
        ("Some Local Association Office", True),
        ("within a social advertising", False),
        ("Statutory", False),
    ],
)
def test_is_org_like(text: str, expected: bool) -> None:
    assert REGISTRY.is_org_like(text) is expected


# ---------------------------------------------------------------- fuzzy and precision


def test_respelling_is_fuzzy() -> None:
    res = REGISTRY.resolve("Ministry of Internal Afairs of Georgia")
    assert len(res.links) == 1
    link = res.links[0]
    assert (link.agency_id, link.match) == ("mia", "fuzzy")
    assert link.agency_name == "Ministry of Internal Affairs of Georgia"
    assert REGISTRY.fuzzy_threshold <= link.score < 100
    assert res.resolved
    assert res.candidates[0][0] == "mia"


@pytest.mark.parametrize(
    "text",
    [
        "Ministry of Finance of Georgia",
        "State Fund for Youth Development",
        "Some Local Association",
        "Ministry of Internal Affairs of Armenia",
        "Ministry of Justice of Georgia (Some Unknown Unit)",
        "State Fund for Protection and Assistance of Victims of Domestic Violence",
    ],
)
def test_unknown_body_is_unmatched_with_candidates(text: str) -> None:
    res = REGISTRY.resolve(text)
    assert len(res.links) == 1
    link = res.links[0]
    assert link.agency_id is None
    assert link.agency_name is None
    assert link.match == "unmatched"
    assert link.score is None
    assert not res.resolved
    assert 1 <= len(res.candidates) <= 3
    assert all(agency_id in REGISTRY.agencies for agency_id, _ in res.candidates)
    scores = [score for _, score in res.candidates]
    assert scores == sorted(scores, reverse=True)
    assert len({agency_id for agency_id, _ in res.candidates}) == len(res.candidates)


def test_near_tie_between_two_bodies_stays_unmatched(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
agencies:
  - {id: east, name: Regional Police Department of Kakheti, kind: department}
  - {id: west, name: Regional Police Department of Kakhetia, kind: department}
fuzzy_threshold: 90
fuzzy_margin: 4
""",
    )
    reg = Registry.load(path)
    res = reg.resolve("Regional Police Departmnt of Kakheti")
    assert [link.match for link in res.links] == ["unmatched"]
    assert {agency_id for agency_id, _ in res.candidates} == {"east", "west"}
    assert all(score >= 90 for _, score in res.candidates)
    assert reg.resolve("Regional Police Department of Kakheti").links[0].agency_id == "east"


def test_conjunction_with_an_unknown_part_is_unmatched() -> None:
    assert ids("Interested local NGOs and Some Club") == [None]


def test_unrelated_body_in_parenthesis_does_not_replace_the_head() -> None:
    res = REGISTRY.resolve("The Ministry of Internal Affairs of Georgia (Ministry of Justice of Georgia)")
    assert "mia" in [link.agency_id for link in res.links] or not res.resolved


# ---------------------------------------------------------------- aliases with dates


def test_aliases_load_as_strings_or_dated_mappings(tmp_path: Path) -> None:
    reg = Registry.load(
        write(
            tmp_path,
            """
agencies:
  - id: alpha
    name: Alpha Agency
    kind: lepl
    aliases:
      - Alfa Agency
      - {name: Old Alpha Office, end_date: 2018-12-15, note: renamed}
      - name: New Alpha Office
        start_date: "2021-03-16"
""",
        )
    )
    aliases = reg.agencies["alpha"].aliases
    assert [a.name for a in aliases] == ["Alfa Agency", "Old Alpha Office", "New Alpha Office"]
    assert (aliases[0].start_date, aliases[0].end_date, aliases[0].note) == (None, None, None)
    assert aliases[1].end_date == date(2018, 12, 15) and aliases[1].note == "renamed"
    assert aliases[2].start_date == date(2021, 3, 16)
    assert {reg.lookup(t).agency_id for t in ("Alfa Agency", "Old Alpha Office", "New Alpha Office")} == {
        "alpha"
    }


@pytest.mark.parametrize(
    "alias",
    [
        "{name: Old Alpha, start_date: 2020-01-01, end_date: 2019-01-01}",
        "{name: Old Alpha, until: 2019-01-01}",
        "{start_date: 2019-01-01}",
        "{name: Old Alpha, end_date: not-a-date}",
    ],
)
def test_bad_alias_raises(tmp_path: Path, alias: str) -> None:
    text = f"agencies:\n  - {{id: alpha, name: Alpha Agency, kind: lepl, aliases: [{alias}]}}\n"
    with pytest.raises(ValueError):
        Registry.load(write(tmp_path, text))


def test_duplicate_id_raises(tmp_path: Path) -> None:
    text = """
agencies:
  - {id: alpha, name: Alpha Agency, kind: lepl}
  - {id: alpha, name: Beta Agency, kind: lepl}
"""
    with pytest.raises(ValueError, match='"alpha" is used twice'):
        Registry.load(write(tmp_path, text))


def test_packaged_registry_has_no_problems() -> None:
    assert REGISTRY.problems() == []


def test_problems_name_aliases_that_never_take_effect(tmp_path: Path) -> None:
    reg = Registry.load(
        write(
            tmp_path,
            """
agencies:
  - id: alpha
    name: Alpha Agency
    kind: lepl
    aliases:
      - {name: The Alpha Agency, end_date: 2018-01-01}
      - Old Alpha
      - old alpha.
      - Former Alpha
      - {name: Former Alpha, start_date: 2015-01-01}
ignore_words: [the]
""",
        )
    )
    problems = reg.problems()
    assert len(problems) == 3
    assert "dates are never used" in problems[0]
    assert "listed 2 times" in problems[1]
    assert "undated and dated" in problems[2]


PERIOD = (date(2019, 1, 1), date(2020, 12, 31))


def kinds(text: str, period=PERIOD) -> list[str]:
    return [f.kind for f in REGISTRY.resolve(text).review(text, "leading", period)]


def test_old_name_in_a_later_plan_is_flagged_but_resolved() -> None:
    res = REGISTRY.resolve("The Chief Prosecutor's Office of Georgia")
    assert [link.agency_id for link in res.links] == ["gpo"]
    (finding,) = res.review("The Chief Prosecutor's Office of Georgia", "supporting", PERIOD)
    assert finding.kind == "alias_out_of_period"
    assert finding.text == "The Chief Prosecutor's Office of Georgia" and finding.candidates == ()
    detail = finding.detail
    assert "gpo" in detail and "until 2018-12-15" in detail and "2019-01-01 to 2020-12-31" in detail


@pytest.mark.parametrize(
    ("period", "flagged"),
    [
        ((date(2017, 1, 1), date(2018, 12, 31)), False),  # the old name was still in use in 2017-18
        ((date(2018, 12, 15), date(2019, 6, 30)), False),  # overlaps by its last day
        ((date(2018, 12, 16), date(2019, 6, 30)), True),
        (None, False),  # no parsable timeline: nothing to compare with
    ],
)
def test_alias_period_boundaries(period, flagged: bool) -> None:
    assert ("alias_out_of_period" in kinds("Chief Prosecutor's Office of Georgia", period)) is flagged


def test_name_with_two_spans_is_flagged_only_between_them() -> None:
    name = "Ministry of Education and Science of Georgia"
    assert kinds(name, (date(2019, 1, 1), date(2020, 12, 31))) == ["alias_out_of_period"]
    assert kinds(name, (date(2016, 1, 1), date(2017, 12, 31))) == []
    assert kinds(name, (date(2021, 1, 1), date(2022, 12, 31))) == []


def test_canonical_and_undated_names_are_never_out_of_period() -> None:
    for text in (
        "The General Prosecutor's Office of Georgia",
        "The Prosecutor's Office of Georgia",
        "Judiciary",
    ):
        assert kinds(text, (date(1990, 1, 1), date(1990, 12, 31))) == []


def test_old_name_of_a_parent_before_its_units_is_flagged() -> None:
    text = "Ministry of Labour, Health and Social Affairs of Georgia (Labour Inspection Department)"
    assert ids(text) == ["lid"]
    assert kinds(text) == ["alias_out_of_period"]


# ---------------------------------------------------------------- abbreviations


@pytest.mark.parametrize(
    ("text", "expected", "match"),
    [
        ("The Ministry of Internal Affairs (MIA)", ["mia"], "exact"),
        ("Ministry of Interior (MIA)", ["mia"], "alias"),
        ("International Organization for Migration (IOM)", ["iom"], "exact"),
        ("Ministry of Internal Afairs (MIA)", ["mia"], "fuzzy"),
        ("Ministry of Interior Affairs (MIA)", ["mia"], "fuzzy"),
        ("Ministry of Justice of Georgia (PSDA)", ["psda"], "exact"),  # an abbreviated unit
        ("TIP council (MoJ)", ["tip-council"], "exact"),  # its host, abbreviated
        ("Ministry of Justice of Georgia (MoJ)", ["moj"], "exact"),
        ("LEPL Revenue Service of Georgia (RS)", ["revenue-service"], "exact"),  # not a registry abbreviation
    ],
)
def test_trailing_abbreviation(text: str, expected: list[str], match: str) -> None:
    res = REGISTRY.resolve(text)
    assert [link.agency_id for link in res.links] == expected
    assert {link.match for link in res.links} == {match}


def test_abbreviation_with_a_respelled_head_records_its_score() -> None:
    res = REGISTRY.resolve("Ministry of Internal Afairs (MIA)")
    (link,) = res.links
    assert link.match == "fuzzy" and REGISTRY.abbreviation_threshold <= link.score < 100
    assert res.candidates[0] == ("mia", link.score)
    assert kinds("Ministry of Internal Afairs (MIA)") == ["fuzzy_agency_match"]


@pytest.mark.parametrize(
    ("text", "both"),
    [
        ("Ministry of Foreign Affairs (MIA)", {"mfa", "mia"}),
        ("Ministry of Justice of Georgia (IOM)", {"moj", "iom"}),
        ("LEPL Social Service Agency (PSDA)", {"ssa", "psda"}),
    ],
)
def test_head_and_abbreviation_naming_two_bodies_is_unmatched(text: str, both: set[str]) -> None:
    res = REGISTRY.resolve(text)
    assert [link.match for link in res.links] == ["unmatched"]
    assert {agency_id for agency_id, _ in res.candidates} == both


@pytest.mark.parametrize(
    "text",
    [
        "Ministry of Internal Affairs of Armenia (MIA)",  # similar, but adds a word of its own
        "Ministry of Home Affairs (MIA)",
        "Ministry of Finance (MIA)",  # not similar enough
        "Department of Migration (IOM)",
    ],
)
def test_abbreviation_does_not_rescue_another_body(text: str) -> None:
    res = REGISTRY.resolve(text)
    assert [link.agency_id for link in res.links] == [None]
    assert res.candidates and all(agency_id in REGISTRY.agencies for agency_id, _ in res.candidates)


def test_abbreviation_threshold_is_a_registry_option(tmp_path: Path) -> None:
    text = """
agencies:
  - {id: mia, name: Ministry of Internal Affairs, short_name: MIA, kind: ministry}
abbreviation_threshold: 99
"""
    reg = Registry.load(write(tmp_path, text))
    assert reg.abbreviation_threshold == 99.0
    assert reg.resolve("Ministry of Internal Afairs (MIA)").links[0].agency_id is None


# ---------------------------------------------------------------- decisions in resolution


def test_decision_applies_before_anything_else(tmp_path: Path) -> None:
    path = tmp_path / "decisions.yaml"
    path.write_text(
        """
- mention: "Ministry of Finance of Georgia"
  agency_ids: [revenue-service]
  note: "the Revenue Service is meant"
- {mention: "Some   Local Club", agency_ids: [], note: "a sports club"}
- {mention: "Interested NGOs", agency_ids: [local-ngos, international-organisations]}
- {mention: "State Fund for Youth", agency_ids: }
""",
        encoding="utf-8",
    )
    reg = REGISTRY.with_decisions(Decisions.load(path, REGISTRY))
    (link,) = reg.resolve("Ministry of Finance of Georgia").links
    assert (link.agency_id, link.match, link.score) == ("revenue-service", "alias", 100.0)
    assert [x.agency_id for x in reg.resolve("Interested NGOs").links] == [
        "local-ngos",
        "international-organisations",
    ]
    club = reg.resolve("Some Local Club")  # spacing folded, nothing else
    assert not club.resolved and club.decision is not None
    assert [f.kind for f in club.review("Some Local Club", "partner")] == ["unmatched_agency_reviewed"]
    assert not reg.resolve("some local club").resolved and reg.resolve("some local club").decision is None
    youth = reg.resolve("State Fund for Youth")  # not decided yet: as without the file
    assert youth.decision is None and [f.kind for f in youth.review("x", "leading")] == ["unmatched_agency"]
    assert REGISTRY.resolve("Ministry of Finance of Georgia").links[0].agency_id is None  # unchanged


def test_decision_naming_an_unknown_id_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "decisions.yaml"
    path.write_text('- {mention: "Ministry of Finance of Georgia", agency_ids: [mof]}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r'decisions\.yaml.*"mof"'):
        Decisions.load(path, REGISTRY)
    with pytest.raises(ValueError, match='"mof"'):
        REGISTRY.with_decisions(Decisions.read(path))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("agencies:\n  - {id: a, name: A Office, kind: lepl, parent: zz}\n", 'unknown entry "zz"'),
        ("agencies:\n  - {id: a, kind: lepl}\n", 'agency "a": name: Field required'),
        ("agencies: [\n", "not valid YAML"),
        ("fuzzy_threshold: 90\n", "expected an `agencies` list"),
    ],
)
def test_load_error_names_the_file_in_one_line(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ValueError) as err:
        Registry.load(path)
    assert str(err.value).startswith(str(path)) and message in str(err.value)
    assert "\n" not in str(err.value)
