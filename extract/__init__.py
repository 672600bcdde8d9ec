"""Stage 1: PDF -> positioned table cells (`schema.models.ExtractedDocument`)."""

from extract.document import DEFAULT_ENGINE, ENGINES, extract_document
from extract.errors import PDFProblem

__all__ = ["DEFAULT_ENGINE", "ENGINES", "PDFProblem", "extract_document"]
