"""What can be wrong with an input PDF, each with a message fit for one line on stderr."""

from __future__ import annotations


class PDFProblem(ValueError):
    """The PDF cannot be extracted; the message says why and, where possible, what to do."""


class UnreadablePDF(PDFProblem):
    """Not a PDF this reader can open: truncated or corrupt."""


class EncryptedPDF(PDFProblem):
    """Encrypted, and no (or a wrong) password was given."""


class NoTextLayer(PDFProblem):
    """The pages carry no text, only images: the file needs OCR first."""


class NoTable(PDFProblem):
    """No ruled table on any page."""


class ParserRefused(Exception):
    """An engine's own PDF parser refused the file; `extract_document` says why as a PDFProblem."""
