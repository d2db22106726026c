"""PyMuPDF adapters: open PDFs, read words and lines from pages, render page images."""
