"""What can be wrong with an input PDF, each with a message fit for one line on stderr."""

from __future__ import annotations

# how messages show a file name, defined in schema/ so that publish/ shows its folders alike
from schema.names import one_line as one_line
from schema.names import shown_name as shown_name


class PDFProblem(ValueError):
    """The PDF cannot be extracted; the message says why and, where possible, what to do."""


class UnreadablePDF(PDFProblem):
    """Not a PDF this reader can open: truncated or corrupt."""


class EncryptedPDF(PDFProblem):
    """Encrypted, and no (or a wrong) password was given."""


class NoTextLayer(PDFProblem):
    """The pages carry no usable text, and OCR was turned off (`--ocr never`)."""


class OcrUnavailable(PDFProblem):
    """Pages need OCR, but the engine or its language data is not installed."""


class NoTable(PDFProblem):
    """No ruled table on any page."""


class PageUnreadable(PDFProblem):
    """A page of an otherwise readable document cannot be loaded (PDFium refuses it)."""


class LimitExceeded(PDFProblem):
    """The file asks for more than a resource limit (`schema.models.Limits`) allows."""


class ParserRefused(Exception):
    """An engine's own PDF parser refused the file; `extract_document` says why as a PDFProblem."""
