"""Georgian names in the registry (issue #14): every body of the shipped plan, as the Georgian
original prints it, resolves to the id of its English name; the folding rules (სსიპ, საქართველოს,
Mtavruli capitals, "და", "(შემდგომში – …)", qualifiers whose marker comes last) work on cell texts;
and the Georgian vocabulary changes no English reading."""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from normalize.agencies import split_agencies
from normalize.config import DATA, Layout
from normalize.registry import Registry
from normalize.text import MTAVRULI_TO_MKHEDRULI

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "data/clean/georgia-nap-2019-2020"
GOLD = ROOT / "tests/documents/georgia-nap-2019-2020/gold.json"

# (Georgian as the original prints it, the English the shipped plan prints for the same body)
PAIRS = [
    ("ადამიანით ვაჭრობის (ტრეფიკინგის) წინააღმდეგ ბრძოლის უწყებათაშორისი საკოორდინაციო საბჭო",
     "Interagency Coordination Council on Combating Trafficking in Persons"),
    ("საკოორდინაციო საბჭო", "TIP council"),
    ("საბჭოს წევრი უწყებები", "All members of the TIP Council"),
    ("საქართველოს შინაგან საქმეთა სამინისტრო", "The Ministry of Internal Affairs of Georgia"),
    ("ცენტრალური კრიმინალური პოლიციის დეპარტამენტი", "Central Criminal Police Department"),
    ("საქართველოს მთავარი პროკურატურა", "The General Prosecutor's Office of Georgia"),
    ("საქართველოს პროკურატურა", "Prosecutor's Office of Georgia"),
    ("ადამიანით ვაჭრობის (ტრეფიკინგის) მსხვერპლთა, დაზარალებულთა დაცვისა და დახმარების სახელმწიფო ფონდი",
     "State Fund for Protection and Assistance of (Statutory) Victims of Trafficking in Persons"),
    ("სახელმწიფო ფონდი", "The State Fund"),
    ("საქართველოს ოკუპირებული ტერიტორიებიდან დევნილთა, შრომის, ჯანმრთელობისა და სოციალური დაცვის სამინისტრო",
     "Ministry of Internally Displaced Persons from the Occupied Territories, Labor, Health and Social "
     "Affairs of Georgia"),
    ("სსიპ სოციალური მომსახურების სააგენტო", "LELP Social Service Agency"),
    ("შრომის ინსპექციის დეპარტამენტი", "Labor Inspection Department"),
    ("საქართველოს იუსტიციის სამინისტრო", "Ministry of Justice of Georgia"),
    ("სსიპ სახელმწიფო სერვისების განვითარების სააგენტო", "LELP Public Service Development Agency"),
    ("სსიპ საქართველოს იუსტიციის სასწავლო ცენტრი", 'LELP "Training center of Justice of Georgia"'),
    ("სსიპ დანაშაულის პრევენციის ცენტრი", "LELP Crime Prevention Center"),
    ("სსიპ იუსტიციის სახლი", "LELP Public Service Hall"),
    ("საქართველოს განათლების, მეცნიერების, კულტურისა და სპორტის სამინისტრო",
     "Ministry of Education, Science, Culture and Sport of Georgia"),
    ("საქართველოს საგარეო საქმეთა სამინისტრო", "The Ministry of Foreign Affairs of Georgia"),
    ("საქართველოს ეკონომიკისა და მდგრადი განვითარების სამინისტრო",
     "The Ministry of Economy and Sustainable Development"),
    ("საქართველოს ტურიზმის ეროვნული ადმინისტრაცია", "Georgian National Tourism Administration"),
    ("საქართველოს თავდაცვის სამინისტრო", "Ministry of Defence of Georgia"),
    ("საერთო სასამართლოები", "Judiciary"),
    ("იუსტიციის უმაღლესი სკოლა", "High School of Justice"),
    ("საქართველოს სახალხო დამცველის აპარატი", "Public Defender's Office of Georgia"),
    ("საქართველოს პარლამენტი", "Parliament of Georgia"),
    ("აშშ-ის სახელმწიფო დეპარტამენტი", "US State Department"),
    ("მიგრაციის პოლიტიკის განვითარების საერთაშორისო ცენტრი (ICMPD)", "ICMPD"),
    ("მიგრაციის საერთაშორისო ორგანიზაცია (IOM)", "International Organization of Migration (IOM)"),
    ("დაინტერესებული ადგილობრივი არასამთავრობო ორგანიზაციები", "Interested local NGOs"),
    ("საერთაშორისო ორგანიზაციები", "Interested international organizations"),
]  # fmt: skip


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load()


@pytest.fixture(scope="module")
def layout() -> Layout:
    return Layout.load()


def ids(registry: Registry, text: str) -> list[str | None]:
    return [link.agency_id for link in registry.resolve(text).links]


def mtavruli(text: str) -> str:
    """The text in Mtavruli capitals, as headings print it (Mkhedruli letters shifted up)."""
    return "".join(chr(ord(c) + MTAVRULI_TO_MKHEDRULI) if "ა" <= c <= "ჰ" else c for c in text)


def is_georgian(text: str) -> bool:
    return any("\u10a0" <= c <= "\u10ff" or "\u1c90" <= c <= "\u1cbf" for c in text)


# ---------------------------------------------------------------- names


@pytest.mark.parametrize(("georgian", "english"), PAIRS, ids=[e for _, e in PAIRS])
def test_georgian_name_resolves_to_the_english_id(registry, georgian, english):
    english_ids = ids(registry, english)
    assert english_ids and None not in english_ids, f"{english!r} does not resolve: the pair is wrong"
    found = registry.resolve(georgian)
    assert [link.agency_id for link in found.links] == english_ids
    assert {link.match for link in found.links} <= {"exact", "alias"}, "a Georgian name matched only fuzzily"


def test_every_issue_body_is_registered_by_its_georgian_name(registry):
    """The names without a parenthesis are registry names or aliases themselves, not readings."""
    for georgian, _ in PAIRS:
        if not georgian.endswith(")"):
            assert registry.lookup(georgian) is not None, georgian


# ---------------------------------------------------------------- folding rules


@pytest.mark.parametrize(
    ("printed", "bare", "english"),
    [
        ("სსიპ სოციალური მომსახურების სააგენტო", "სოციალური მომსახურების სააგენტო",
         "LELP Social Service Agency"),
        ("სსიპ „დანაშაულის პრევენციის ცენტრი“", "დანაშაულის პრევენციის ცენტრი",
         "LELP Crime Prevention Center"),
    ],
)  # fmt: skip
def test_sip_folds_like_lepl(registry, printed, bare, english):
    assert registry.key(printed) == registry.key(bare)
    assert "სსიპ" not in registry.key(printed).split()
    assert ids(registry, printed) == ids(registry, bare) == ids(registry, english)


@pytest.mark.parametrize(
    ("printed", "bare"),
    [
        ("საქართველოს იუსტიციის სამინისტრო", "იუსტიციის სამინისტრო"),
        ("საქართველოს შინაგან საქმეთა სამინისტრო", "შინაგან საქმეთა სამინისტრო"),
        ("სსიპ საქართველოს იუსტიციის სასწავლო ცენტრი", "იუსტიციის სასწავლო ცენტრი"),
    ],
)
def test_sakartvelos_folds_like_of_georgia(registry, printed, bare):
    """The genitive "საქართველოს" opens the name ("of Georgia" closes it in English): dropped."""
    assert registry.key(printed) == registry.key(bare)
    assert ids(registry, bare) == ids(registry, printed) and None not in ids(registry, bare)


def test_sakartvelos_is_dropped_as_a_word_only(registry):
    """Another form of the word ("in Georgia") is a word of the name, not the ignored phrase."""
    assert "საქართველოში" in registry.key("საქართველოში მოქმედი ორგანიზაციები").split()


@pytest.mark.parametrize(("georgian", "english"), PAIRS[:8], ids=[e for _, e in PAIRS[:8]])
def test_mtavruli_capitals_fold_to_mkhedruli(registry, georgian, english):
    capitals = mtavruli(georgian)
    assert capitals != georgian
    assert registry.key(capitals) == registry.key(georgian)
    assert ids(registry, capitals) == ids(registry, english)


def test_da_splits_like_and(registry):
    georgian = "შრომის ინსპექციის დეპარტამენტი და სსიპ სოციალური მომსახურების სააგენტო"
    english = "Labor Inspection Department and LEPL Social Service Agency"
    assert ids(registry, georgian) == ids(registry, english) == ["lid", "ssa"]
    two = "დაინტერესებული ადგილობრივი არასამთავრობო ორგანიზაციები და საერთაშორისო ორგანიზაციები"
    assert ids(registry, two) == ids(registry, "Interested local NGOs and international organizations")


def test_da_inside_a_name_does_not_split(registry):
    """ "… ჯანმრთელობისა და სოციალური დაცვის სამინისტრო" is one ministry, its "და" part of the name."""
    name = PAIRS[9][0]
    assert " და " in name
    assert ids(registry, name) == ids(registry, PAIRS[9][1]) and len(ids(registry, name)) == 1


def test_da_of_an_unknown_side_stays_unmatched(registry):
    assert not registry.resolve("საქართველოს იუსტიციის სამინისტრო და უცნობი კავშირი").resolved


@pytest.mark.parametrize(
    ("georgian", "english"),
    [
        (
            "ადამიანით ვაჭრობის (ტრეფიკინგის) მსხვერპლთა, დაზარალებულთა დაცვისა და დახმარების სახელმწიფო "
            "ფონდი (შემდგომში – სახელმწიფო ფონდი)",
            "The State Fund for Protection and Assistance of (Statutory) Victims of Trafficking in Persons "
            "(hereinafter – State Fund)",
        ),
        (
            "ადამიანით ვაჭრობის (ტრეფიკინგის) წინააღმდეგ ბრძოლის უწყებათაშორისი საკოორდინაციო საბჭო "
            "(შემდგომში – საკოორდინაციო საბჭო) (საქართველოს იუსტიციის სამინისტრო)",
            "Interagency Coordination Council on Combating Trafficking in Persons (hereinafter TIP council) "
            "(Ministry of Justice of Georgia)",
        ),
    ],
)
def test_shemdgomshi_defines_a_short_name_like_hereinafter(registry, layout, georgian, english):
    assert ids(registry, georgian) == ids(registry, english)
    assert "შემდგომში" not in registry.drop_definitions(georgian)
    items, _ = split_agencies(georgian, "responsible", layout, registry)
    english_items, _ = split_agencies(english, "responsible", layout, registry)
    assert [(i.mention, i.note) for i in items] == [(georgian, None)]  # the definition is no note
    assert len(english_items) == 1 and english_items[0].note is None


def test_shemdgomshi_drops_only_a_definition(registry):
    text = "სახელმწიფო ფონდი (სოციალური რეკლამის ფარგლებში)"
    assert registry.drop_definitions(text) == text


# ---------------------------------------------------------------- notes with the marker last

ENGLISH_NGOS = (
    "Interested local NGOs and international organizations in agreement and coordination with "
    "government agencies"
)


@pytest.mark.parametrize(
    ("georgian", "english", "note"),
    [
        ("სახელმწიფო ფონდი (სოციალური რეკლამის ფარგლებში)", "The State Fund (within a social advertising)",
         "სოციალური რეკლამის ფარგლებში"),
        ("დაინტერესებული ადგილობრივი არასამთავრობო ორგანიზაციები და საერთაშორისო ორგანიზაციები სახელმწიფო "
         "უწყებებთან შეთანხმებით",
         ENGLISH_NGOS, "სახელმწიფო უწყებებთან შეთანხმებით"),
        ("დაინტერესებული ადგილობრივი არასამთავრობო ორგანიზაციები და საერთაშორისო ორგანიზაციები სახელმწიფო "
         "უწყებებთან შეთანხმებით და კოორდინაციით",
         ENGLISH_NGOS, "სახელმწიფო უწყებებთან შეთანხმებით და კოორდინაციით"),
        ("საქართველოს სახალხო დამცველი თავშესაფრების მონიტორინგის მიზნით",
         "Public Defender of Georgia is requested to monitor the shelters",
         "თავშესაფრების მონიტორინგის მიზნით"),
    ],
)  # fmt: skip
def test_a_qualifier_after_a_known_body_is_its_note(registry, layout, georgian, english, note):
    (item,), _ = split_agencies(georgian, "partner", layout, registry)
    (english_item,), _ = split_agencies(english, "partner", layout, registry)
    assert english_item.note, "the English counterpart keeps a note: the pair is wrong"
    assert item.note == note
    assert f"{item.mention} {note}".replace("( ", "(") in (georgian, georgian.replace(f"({note})", note))
    assert ids(registry, item.mention) == ids(registry, english_item.mention)


@pytest.mark.parametrize(
    "text",
    [
        "უცნობი კავშირი სახელმწიფო უწყებებთან შეთანხმებით",  # no known body before the qualifier
        "სახელმწიფო ფონდი შეთანხმებით საქმიანობა",  # the marker is not last
    ],
)
def test_no_note_without_a_known_head_and_a_final_marker(registry, layout, text):
    (item,), _ = split_agencies(text, "partner", layout, registry)
    assert (item.mention, item.note) == (text, None)


def test_final_marker_is_what_splits(registry, layout):
    """Without the final-marker list the run-on Georgian qualifier stays in the mention."""
    text = "სახელმწიფო ფონდი სახელმწიფო უწყებებთან შეთანხმებით"
    (item,), _ = split_agencies(text, "partner", layout, registry)
    assert item.note == "სახელმწიფო უწყებებთან შეთანხმებით"
    (bare,), _ = split_agencies(text, "partner", replace(layout, note_markers_last=[]), registry)
    assert bare.note is None


# ---------------------------------------------------------------- English unchanged


def strip_georgian(value: object) -> object:
    """The registry data without its Georgian: aliases, words and phrases in Georgian letters."""
    if isinstance(value, dict):
        if isinstance(value.get("name"), str) and is_georgian(value["name"]):
            return None
        return {k: strip_georgian(v) for k, v in value.items()}
    if isinstance(value, list):
        kept = [strip_georgian(v) for v in value if not (isinstance(v, str) and is_georgian(v))]
        return [v for v in kept if v is not None]
    return value


@pytest.fixture(scope="module")
def english_only(tmp_path_factory) -> Registry:
    data = yaml.safe_load((DATA / "registry.yaml").read_text(encoding="utf-8"))
    stripped = strip_georgian(data)
    assert stripped != data
    path = tmp_path_factory.mktemp("registry") / "registry.yaml"
    path.write_text(yaml.safe_dump(stripped, allow_unicode=True), encoding="utf-8")
    return Registry.load(path)


def english_cells() -> list[tuple[str, str]]:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    return [
        (column, row["cells"][column])
        for row in gold["rows"]
        for column in ("responsible", "partner")
        if row["cells"].get(column, "").strip()
    ]


def reading(registry: Registry, layout: Layout, column: str, text: str) -> list[tuple]:
    items, repairs = split_agencies(text, column, layout, registry)
    out: list[tuple] = [tuple(repairs)]
    for item in items:
        found = registry.resolve(item.mention)
        out.append((item, tuple(found.links), tuple(found.candidates)))
    return out


def test_georgian_vocabulary_changes_no_english_reading(registry, english_only, layout):
    """Every agency cell of the shipped plan splits and resolves as with no Georgian in the data."""
    english_layout = replace(layout, note_markers_last=[])
    cells = english_cells()
    assert len(cells) > 50
    for column, text in cells:
        assert reading(registry, layout, column, text) == reading(english_only, english_layout, column, text)


def test_shipped_mentions_keep_their_committed_ids(registry):
    with (SHIPPED / "activity_agencies.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    by_mention: dict[tuple[str, str, str], list[str]] = {}
    for row in rows:
        if row["mention_seq"] and row["agency_id"]:
            by_mention.setdefault((row["activity_id"], row["mention_seq"], row["mention"]), []).append(
                row["agency_id"]
            )
    assert by_mention
    for (_, _, mention), want in by_mention.items():
        assert ids(registry, mention) == want, mention
