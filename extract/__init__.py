"""Stage 1: PDF -> positioned table cells (`schema.models.ExtractedDocument`)."""

from extract.document import ENGINES, extract_document
from extract.errors import PDFProblem

__all__ = ["ENGINES", "PDFProblem", "extract_document"]
