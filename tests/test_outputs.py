"""publish.outputs: the codebook rendered once for two files, and what `nap` loads before it runs."""

from __future__ import annotations

import json
import subprocess
import sys

from documents import SHIPPED

from publish import outputs
from publish.codebook import codebook_markdown
from publish.origin import origin_of

# what `nap` does not load before it knows the command: openpyxl (and numpy with it) reads a workbook
# for `nap validate` only, tesserocr the pages that need OCR, and the commands but `extract` and
# `validate` live in modules of their own
NOT_AT_STARTUP = (
    "openpyxl",
    "tesserocr",
    "numpy",  # extract.ocr.page and what it reads images with: only for a page to OCR
    "cv2",
    "PIL",
    "concurrent.futures",  # OCR threads or --jobs processes
    "publish.review_html",
    "nap.layout_cli",
    "normalize.suggest",
    "nap.registry_cli",
    "nap.diff_cli",
)


def test_the_codebook_is_rendered_once_and_loses_nothing_by_coming_early(default_run, monkeypatch):
    """README.md and plan.xlsx's README sheet share one rendering, made before plan.xlsx: it is
    the codebook of the complete folder (it reads no file rendered after it)."""
    _, plan = default_run
    made = []

    def counted(*args):
        made.append(args)
        return codebook_markdown(*args)

    monkeypatch.setattr(outputs, "codebook_markdown", counted)
    files = outputs.render_outputs(plan, SHIPPED.pdf)
    assert len(made) == 1
    listing = [(o.name, o.summary) for o in outputs.OUTPUTS]
    assert files["README.md"] == codebook_markdown(files, origin_of(plan), listing).encode()


def test_the_command_starts_without_what_only_some_runs_need():
    script = (
        "import json, sys; from nap.entry import load_cli; load_cli(); "
        f"print(json.dumps([m for m in {NOT_AT_STARTUP!r} if m in sys.modules]))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == []
