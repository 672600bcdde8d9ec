"""Other editions of the plan: the same bodies respelled and renamed keep their ids; bodies the
registry does not hold never take another body's id.

The expected ids are what each printed name is, as a reader who knows Georgia's institutions
would resolve it; they are not what the resolver happens to return.
"""

from __future__ import annotations

import csv
from datetime import date

import pytest

from normalize.plan import Config

REGISTRY = Config.load().registry  # the packaged registry with the packaged decisions, as `nap extract`

# How a next (2021-2022) edition may print the bodies of the 2019-2020 plan.
NEXT_EDITION = [
    # British spelling of the ministry the 2019-2020 plan spells "Labor"
    (
        "Ministry of Internally Displaced Persons from the Occupied Territories, Labour, Health and "
        "Social Affairs of Georgia",
        ["moh"],
    ),
    ("Labour Inspection Department", ["lid"]),
    ("LEPL Labour Inspection Service", ["lid"]),  # the department as an LEPL (2020 law)
    # the office's name under the Constitution in force from 16 December 2018
    ("The Prosecutor's Office of Georgia", ["gpo"]),
    ("Prosecutor's Office of Georgia", ["gpo"]),
    ("Prosecutor General's Office", ["gpo"]),
    ("General Prosecutor’s Office", ["gpo"]),  # curly apostrophe, no "of Georgia"
    ("The General Prosecutor’s Office of Georgia", ["gpo"]),
    # a trailing abbreviation
    ("Ministry of Internal Affairs (MIA)", ["mia"]),
    ("The Ministry of Internal Affairs of Georgia (MIA)", ["mia"]),
    ("Ministry of Interior (MIA)", ["mia"]),
    ("International Centre for Migration Policy Development (ICMPD)", ["icmpd"]),
    # LEPL present or absent, quotes of any kind
    ("Social Service Agency", ["ssa"]),
    ("LEPL 'Training Centre of Justice'", ["tcj"]),
    ("LEPL “Training Centre of Justice of Georgia”", ["tcj"]),
    ("Public Service Development Agency", ["psda"]),
    # the State Fund's own English name, "the" present or absent
    (
        "the State Fund for the Protection and Assistance of (Statutory) Victims of Human Trafficking",
        ["state-fund"],
    ),
    (
        "State Fund for Protection and Assistance of (statutory) Victims of Human Trafficking "
        "(hereinafter – State Fund)",
        ["state-fund"],
    ),
    # the education ministry's name again from March 2021
    ("Ministry of Education and Science of Georgia", ["mes"]),
    # units after a respelled or shortened parent
    ("Ministry of Justice (Public Service Development Agency, Training Centre of Justice)", ["psda", "tcj"]),
    (
        "Ministry of IDPs from the Occupied Territories, Labour, Health and Social Affairs of Georgia "
        "(LEPL Social Service Agency)",
        ["ssa"],
    ),
    (
        "The Ministry of Economy and Sustainable Development (Georgian National Tourism Administration)",
        ["gnta"],
    ),
    ("Public Defender (Ombudsman) of Georgia", ["public-defender"]),
    ("Interagency Council on Combatting Trafficking in Persons", ["tip-council"]),
]

# How an earlier (2016-2017) edition printed them, before the 2018 renamings.
EARLIER_EDITION = [
    ("Ministry of Labour, Health and Social Affairs of Georgia", ["moh"]),
    ("MoLHSA", ["moh"]),
    ("The Chief Prosecutor's Office of Georgia", ["gpo"]),
    ("Ministry of Education and Science of Georgia", ["mes"]),
    ("State Fund for Protection and Assistance of Victims of Trafficking in Persons", ["state-fund"]),
]


@pytest.mark.parametrize(("text", "expected"), NEXT_EDITION + EARLIER_EDITION)
def test_renamed_or_respelled_body_keeps_its_id(text: str, expected: list[str]) -> None:
    res = REGISTRY.resolve(text)
    assert [link.agency_id for link in res.links] == expected
    assert res.resolved


# Bodies the registry does not hold, each close to a registry name, with the registry id it
# would be right to read it as (None: no registry entity is that body, it must stay unmatched).
NEAR_MISSES = [
    ("Ministry of Finance of Georgia", None),
    ("Ministry of Justice of Armenia", None),
    ("Ministry of Internal Affairs of Armenia", None),
    ("Ministry of Internal Affairs of Armenia (MIA)", None),
    ("Ministry of Defence of Armenia", None),
    ("Prosecutor's Office of Armenia", None),
    ("Chief Prosecutor's Office of Armenia", None),
    ("Ministry of Education of Armenia", None),
    ("Parliament of Armenia", None),
    ("Members of the European Parliament", None),
    # Georgia's Revenue Service is the registry's own entry ("of Georgia" is folded)
    ("Revenue Service", "revenue-service"),
    ("State Fund for Youth", None),
    ("State Fund for Protection and Assistance of Victims of Domestic Violence", None),
    ("Georgian National Agency for Tourism Development", None),
    ("Georgian National Tourism Agency", "gnta"),  # a translation of GNTA's name
    # the culture ministry split off the education ministry in 2021, and its predecessor
    ("Ministry of Culture, Sport and Youth of Georgia", None),
    ("Ministry of Culture and Monument Protection of Georgia", None),
    # abolished in 2018, its functions shared among three ministries: not the health ministry
    (
        "Ministry of Internally Displaced Persons from the Occupied Territories, Accommodation and "
        "Refugees of Georgia",
        None,
    ),
    ("Ministry of Health of Georgia", "moh"),  # an informal name of the health ministry
    ("High Council of Justice", None),  # the judicial council, not the High School of Justice
    ("Supreme Court of Georgia", None),  # one court of the judiciary, not the judiciary
    ("State Security Service of Georgia", None),
    ("State Commission on Migration Issues", None),
    ("International Labour Organization", None),
    ("ILO", None),
    ("UNICEF", None),
    ("Training Center of Justice of Ukraine", None),
    ("Social Service Agency of Armenia", None),
    ("Public Service Development Agency of Armenia", None),
    ("Central Criminal Police Department of Armenia", None),
    ("Crime Prevention Center of Armenia", None),
    ("Legal Aid Service of Armenia", None),
]


@pytest.mark.parametrize(("text", "right_id"), NEAR_MISSES)
def test_near_miss_is_unmatched_or_its_own_body(text: str, right_id: str | None) -> None:
    res = REGISTRY.resolve(text)
    got = [link.agency_id for link in res.links]
    if right_id is None:
        assert got == [None], f"{text!r} is not a registry body, read as {got}"
        assert [link.match for link in res.links] == ["unmatched"]
        assert res.candidates, "an unmatched mention lists its closest candidates for review"
    else:
        assert got in ([None], [right_id]), f"{text!r} read as {got}"


@pytest.mark.parametrize(
    ("text", "period", "flagged"),
    [
        # the next edition: names of before the 2018 renamings are flagged, the current ones not
        ("The Chief Prosecutor's Office of Georgia", (date(2021, 1, 1), date(2022, 12, 31)), True),
        (
            "Ministry of Labour, Health and Social Affairs of Georgia",
            (date(2021, 1, 1), date(2022, 12, 31)),
            True,
        ),
        ("The Prosecutor's Office of Georgia", (date(2021, 1, 1), date(2022, 12, 31)), False),
        ("Ministry of Education and Science of Georgia", (date(2021, 1, 1), date(2022, 12, 31)), False),
        # the earlier edition: its own names are not flagged
        ("The Chief Prosecutor's Office of Georgia", (date(2016, 1, 1), date(2017, 12, 31)), False),
        ("Ministry of Education and Science of Georgia", (date(2016, 1, 1), date(2017, 12, 31)), False),
        ("MoLHSA", (date(2016, 1, 1), date(2017, 12, 31)), False),
        # between the merger (2018) and the split (2021)
        ("Ministry of Education and Science of Georgia", (date(2019, 1, 1), date(2020, 12, 31)), True),
    ],
)
def test_name_outside_its_dates_is_resolved_and_flagged(text: str, period, flagged: bool) -> None:
    res = REGISTRY.resolve(text)
    assert res.resolved
    kinds = [f.kind for f in res.review(text, "leading", period)]
    assert ("alias_out_of_period" in kinds) is flagged


def test_shipped_plan_flags_its_one_pre_2018_name(default_run) -> None:
    """The 2019-2020 plan still prints "Chief Prosecutor's Office" once (4.2.6): gpo, flagged."""
    out, plan = default_run
    with (out / "review.csv").open(encoding="utf-8", newline="") as f:
        flagged = [r for r in csv.DictReader(f) if r["kind"] == "alias_out_of_period"]
    assert [(r["activity_id"], r["field"]) for r in flagged] == [("4.2.6", "responsible")]
    assert "Chief Prosecutor's Office" in flagged[0]["detail"] and "gpo" in flagged[0]["detail"]
    links = [
        link.agency_id
        for a in plan.activities()
        if a.activity_id == "4.2.6"
        for m in a.mentions
        if m.mention == "The Chief Prosecutor's Office of Georgia"
        for link in m.links
    ]
    assert links == ["gpo"]
