"""Stage 1: PDF -> positioned table cells (`schema.models.ExtractedDocument`)."""

from extract.document import ENGINES, extract_document

__all__ = ["ENGINES", "extract_document"]
