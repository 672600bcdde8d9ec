"""Provenance of an output folder: the source PDF as read from it, the extraction, the terms of the
data and the notice of a copy, in datapackage.json and the README (publish.origin), from the PDF's
metadata (extract.metadata) and its optional sidecar `<stem>.source.yaml` (nap.sidecar)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import frictionless
import pypdfium2 as pdfium
import pytest
import yaml
from click.testing import CliRunner
from documents import SHIPPED

from extract import DEFAULT_ENGINE
from extract.metadata import read_metadata
from nap.cli import main
from nap.pipeline import run
from nap.sidecar import load_publication, sidecar_path
from publish.codebook import codebook_markdown
from publish.datapackage import datapackage_json
from publish.origin import DEFAULT_LICENCE, EPOCH, origin_of
from publish.outputs import OUTPUTS
from publish.tables import TABLES, file_name
from schema.models import Publication

PDF = SHIPPED.pdf


def package(folder: Path) -> dict:
    return json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))


def raw_metadata(pdf: Path) -> dict[str, str]:
    doc = pdfium.PdfDocument(str(pdf))
    try:
        return doc.get_metadata_dict() | {"pages": len(doc)}
    finally:
        doc.close()


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def files_of(folder: Path) -> dict[str, bytes]:
    return {file_name(t): (folder / file_name(t)).read_bytes() for t in TABLES}


def listing() -> list[tuple[str, str]]:
    return [(o.name, o.summary) for o in OUTPUTS]


# ---------------------------------------------------------------- the shipped plan


def test_the_package_names_the_source_as_read_from_the_pdf(default_run):
    out, plan = default_run
    assert sidecar_path(PDF).is_file(), "the shipped PDF has a sidecar"
    meta, pdf = raw_metadata(PDF), PDF.read_bytes()
    source = package(out)["provenance"]["source"]
    assert source["file"] == PDF.name
    assert source["sha256"] == hashlib.sha256(pdf).hexdigest()
    assert source["bytes"] == len(pdf)
    assert source["pages"] == meta["pages"]
    assert source["producer"] == meta["Producer"].strip()
    assert source["creator"] == meta["Creator"].strip()
    assert digits(source["created"])[:14] == digits(meta["CreationDate"])[:14]
    assert source["title"] == package(out)["title"]  # the title as printed, which names the plan
    assert any(source["title"] in line for line in plan.preamble)


def test_the_package_dates_and_names_the_extraction(default_run):
    out, plan = default_run
    extraction = package(out)["provenance"]["extraction"]
    assert extraction["version"] == metadata.version("nap")
    assert extraction["engine"] == plan.engine
    if EPOCH not in os.environ:  # dated by the PDF itself: its ModDate, else CreationDate
        meta = raw_metadata(PDF)
        assert digits(extraction["date"])[:14] == digits(meta["ModDate"] or meta["CreationDate"])[:14]


def test_the_sources_entry_names_no_file_missing_from_the_folder(default_run):
    out, _ = default_run
    for source in package(out)["sources"]:
        path = source.get("path")
        assert path is None or re.match(r"https?://", path) or (out / path).is_file()


def test_the_shipped_copy_carries_its_notice_and_the_default_terms(default_run):
    out, _ = default_run
    sidecar = yaml.safe_load(sidecar_path(PDF).read_text(encoding="utf-8"))
    notice = " ".join(sidecar["notice"].split())
    assert "re-typesetting" in notice  # what data/raw/README.md says of the shipped PDF
    provenance = package(out)["provenance"]
    assert provenance["notice"] == sidecar["notice"]
    assert provenance["licence"] == {"title": DEFAULT_LICENCE.title}
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert f"- **Notice**: {notice}" in readme
    assert DEFAULT_LICENCE.title in readme


def test_the_readme_carries_the_same_provenance(default_run):
    out, plan = default_run
    provenance = package(out)["provenance"]
    readme = (out / "README.md").read_text(encoding="utf-8")
    source, extraction = provenance["source"], provenance["extraction"]
    for value in (source["file"], source["sha256"], f"{source['pages']} pages", source["producer"]):
        assert str(value) in readme
    assert f'printed title "{source["title"]}"' in readme
    assert f"nap {extraction['version']}, engine `{extraction['engine']}`" in readme
    assert f"dated {extraction['date']}" in readme
    section = readme.split("## Source and terms", 1)[1].split("\n## ", 1)[0]
    assert section.count("\n- **") >= 4  # source, published, extraction, terms


# ---------------------------------------------------------------- SOURCE_DATE_EPOCH


def rendered(folder: Path, plan, environ: dict[str, str]) -> tuple[dict, str]:
    origin = origin_of(plan, environ)
    text = datapackage_json(files_of(folder), origin)
    return json.loads(text), codebook_markdown(files_of(folder), origin, listing())


@pytest.mark.parametrize("epoch", [0, 1_700_000_000, 1_893_456_000])
def test_source_date_epoch_dates_the_extraction_deterministically(default_run, epoch):
    out, plan = default_run
    expected = datetime.fromtimestamp(epoch, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    first, readme = rendered(out, plan, {EPOCH: str(epoch)})
    assert rendered(out, plan, {EPOCH: str(epoch)}) == (first, readme)
    assert first["created"] == first["provenance"]["extraction"]["date"] == expected
    assert first["provenance"]["extraction"]["dated_by"] == EPOCH
    assert f"dated {expected} ({EPOCH})" in readme
    unset, _ = rendered(out, plan, {})
    assert {k: v for k, v in first.items() if k not in {"created", "provenance"}} == {
        k: v for k, v in unset.items() if k not in {"created", "provenance"}
    }


def test_a_pdf_without_dates_is_undated_not_dated_by_the_clock(default_run):
    out, plan = default_run
    undated = plan.model_copy(
        update={"source": plan.source.model_copy(update={"created": None, "modified": None})}
    )
    package_, readme = rendered(out, undated, {})
    assert "created" not in package_
    assert "date" not in package_["provenance"]["extraction"]
    assert f"undated (the PDF states no date; set {EPOCH} to date it)" in readme


@pytest.mark.parametrize("value", ["yesterday", "-5", "1.5", "99999999999999999999"])
def test_a_malformed_source_date_epoch_is_refused_before_any_pdf_is_read(tmp_path, value):
    result = CliRunner().invoke(
        main, ["extract", str(PDF), "--out", str(tmp_path / "x"), "--quiet"], env={EPOCH: value}
    )
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"nap: error: {EPOCH} must be a whole number of seconds")
    assert not (tmp_path / "x").exists()


# ---------------------------------------------------------------- the sidecar


def test_a_pdf_without_a_sidecar_has_the_default_terms_and_no_notice(default_run, tmp_path):
    out, plan = default_run
    lone = tmp_path / "lone.pdf"
    shutil.copy(PDF, lone)
    assert load_publication(lone) is None
    bare = plan.model_copy(update={"source": plan.source.model_copy(update={"publication": None})})
    package_, readme = rendered(out, bare, {})
    assert package_["provenance"]["licence"] == {"title": DEFAULT_LICENCE.title}
    assert "notice" not in package_["provenance"] and "licenses" not in package_
    assert "- **Notice**" not in readme
    assert "- **Published**: not recorded" in readme


FULL_SIDECAR = {
    "title": "National Action Plan, official English text",
    "publisher": "A Council",
    "source_url": "https://example.org/plans/nap.pdf",
    "retrieved": "2024-03-01",
    "licence": {
        "title": "Creative Commons Attribution 4.0",
        "name": "CC-BY-4.0",
        "path": "https://creativecommons.org/licenses/by/4.0/",
    },
    "notice": "A copy.",
}


@pytest.fixture(scope="module")
def with_sidecar(tmp_path_factory, config):
    """The shipped PDF run under another name, beside a sidecar setting every field."""
    folder = tmp_path_factory.mktemp("sidecar")
    pdf = folder / "plan.pdf"
    shutil.copy(PDF, pdf)
    sidecar_path(pdf).write_text(yaml.safe_dump(FULL_SIDECAR), encoding="utf-8")
    out = folder / "out"
    run(pdf, out, DEFAULT_ENGINE, config)
    return out


def test_a_sidecar_sets_the_address_the_terms_and_the_notice(with_sidecar):
    package_ = package(with_sidecar)
    licence = FULL_SIDECAR["licence"]
    assert package_["sources"][0]["path"] == FULL_SIDECAR["source_url"]
    assert package_["licenses"] == [licence]
    provenance = package_["provenance"]
    assert provenance["licence"] == licence
    assert provenance["notice"] == FULL_SIDECAR["notice"]
    source = provenance["source"]
    assert (source["url"], source["retrieved"]) == (FULL_SIDECAR["source_url"], FULL_SIDECAR["retrieved"])
    assert source["publisher"] == FULL_SIDECAR["publisher"]
    assert source["published_title"] == FULL_SIDECAR["title"]
    readme = (with_sidecar / "README.md").read_text(encoding="utf-8")
    assert f"at <{FULL_SIDECAR['source_url']}>, retrieved {FULL_SIDECAR['retrieved']}" in readme
    assert f"{licence['title']} ({licence['name']}, <{licence['path']}>)" in readme
    plan = json.loads((with_sidecar / "plan.json").read_text(encoding="utf-8"))
    assert plan["source"]["publication"]["source_url"] == FULL_SIDECAR["source_url"]


def test_the_package_with_a_sidecar_still_validates(with_sidecar):
    report = frictionless.validate(with_sidecar / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    done = CliRunner().invoke(main, ["validate", str(with_sidecar)])
    assert done.exit_code == 0, done.output


@pytest.mark.parametrize(
    "text, problem",
    [
        ("licence: [1, 2\n", "is not YAML"),
        ("licence: {name: CC-BY-4.0}\n", "licence.title: Field required"),
        ("retrieved: last week\n", "retrieved: "),
        ("publisher: x\nwebsite: y\n", "website: Extra inputs are not permitted"),
    ],
)
def test_a_sidecar_that_does_not_load_fails_its_pdf_in_one_line(tmp_path, text, problem):
    pdf = tmp_path / "plan.pdf"
    shutil.copy(PDF, pdf)
    sidecar_path(pdf).write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(pdf), "--out", str(tmp_path / "x"), "--quiet"])
    assert result.exit_code == 1, result.output
    line = result.stderr.strip()
    assert "\n" not in line
    assert line.startswith(f"nap: error: {pdf}: its sidecar plan.source.yaml")
    assert problem in line
    assert not (tmp_path / "x").exists()


def test_a_licence_in_words_is_its_title():
    assert Publication.model_validate({"licence": "public domain"}).licence.title == "public domain"


# ---------------------------------------------------------------- the PDF's metadata


def pdf_with_info(info: bytes) -> bytes:
    """A one-page PDF whose Info dictionary is `info` (a correct cross-reference table)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        info,
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def test_the_metadata_is_read_cleaned_and_its_dates_made_iso(tmp_path):
    info = (
        b"<< /Producer (Maker\\n\\t 9  ) /Creator () /Title (A \\001title) "
        b"/CreationDate (D:20181224120000+04'00') /ModDate (not a date) >>"
    )
    path = tmp_path / "meta.pdf"
    path.write_bytes(pdf_with_info(info))
    doc = pdfium.PdfDocument(str(path))
    try:
        read = read_metadata(doc)
    finally:
        doc.close()
    assert read == {
        "producer": "Maker 9",
        "creator": None,
        "title_meta": "A title",
        "created": "2018-12-24T12:00:00+04:00",
        "modified": None,
    }
