"""OCR engines, one module each, each defining `open_engine(languages, data) -> extract.ocr.OcrEngine`."""
