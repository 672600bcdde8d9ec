"""Stage 1: PDF -> positioned table cells (`schema.models.ExtractedDocument`)."""

from extract.document import ENGINES, UnreadablePDF, extract_document

__all__ = ["ENGINES", "UnreadablePDF", "extract_document"]
