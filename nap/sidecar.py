"""A PDF's sidecar, `<stem>.source.yaml` beside it: what the PDF cannot say of itself.

Where it was published, when this copy was fetched, the terms of the data, and a notice for its
readers (schema.models.Publication; every field optional, the file too). A maintainer sets them
per plan without code; `nap extract` carries them into plan.json, datapackage.json and README.md.
"""

from __future__ import annotations

from pathlib import Path

import pydantic
import yaml

from nap.inputs import InputError
from publish.origin import SIDECAR_SUFFIX
from schema.models import ExtractedDocument, Publication
from schema.names import shown_name


def sidecar_path(pdf: Path) -> Path:
    return pdf.with_name(pdf.stem + SIDECAR_SUFFIX)


def load_publication(pdf: Path) -> Publication | None:
    """The sidecar of `pdf`, None when it has none; InputError naming it when it does not load."""
    path = sidecar_path(Path(pdf))
    try:
        if not path.is_file():
            return None
    except OSError:  # a name too long to exist
        return None
    where = f"its sidecar {shown_name(path.name)}"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return Publication.model_validate(data if data is not None else {})
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{where} cannot be read ({getattr(exc, 'strerror', None) or exc})") from None
    except yaml.YAMLError as exc:
        raise InputError(f"{where} is not YAML ({str(exc).splitlines()[0]})") from None
    except pydantic.ValidationError as exc:
        first = exc.errors()[0]
        at = ".".join(str(p) for p in first["loc"]) or "the file"
        raise InputError(f"{where}: {at}: {first['msg']}") from None


def with_publication(doc: ExtractedDocument, publication: Publication | None) -> ExtractedDocument:
    if publication is None:
        return doc
    return doc.model_copy(update={"source": doc.source.model_copy(update={"publication": publication})})
