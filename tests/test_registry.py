"""The organisation registry: loading, folding, and resolution of mentions at the right granularity."""

from __future__ import annotations

from pathlib import Path

import pytest

from normalize.registry import Registry

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
    assert REGISTRY.key("Ministry of Justice") != REGISTRY.key("Ministry of Justice of Georgia")


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
        ("Judiciary", "alias"),
    ],
)
def test_match_kind(text: str, match: str) -> None:
    links = REGISTRY.resolve(text).links
    assert len(links) == 1
    assert links[0].match == match
    assert links[0].score == 100.0


def test_match_kinds_of_units() -> None:
    assert [link.match for link in REGISTRY.resolve(MOJ_UNITS).links] == ["exact", "alias", "exact", "exact"]


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
