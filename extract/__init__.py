"""Stage 1: PDF -> positioned table cells (`schema.models.ExtractedDocument`)."""

from extract.document import extract_document
from extract.engines import DEFAULT_ENGINE, ENGINES
from extract.errors import PDFProblem

__all__ = ["DEFAULT_ENGINE", "ENGINES", "PDFProblem", "extract_document"]
