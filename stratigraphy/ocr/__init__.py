"""OCR adapters (Tesseract)."""
