# One image for both Label Studio ML backends and the ingest worker.
#   stratigraphy-ml-backend: gunicorn ... stratigraphy_ml_backend.wsgi:app   (port 9090)
#   text-extractor:          gunicorn ... text_extractor.wsgi:app            (port 9095)
#   ingest:                  python -m stratigraphy_ml_backend ingest --watch | --worker
# The command is chosen per service in docker-compose.yml; the default runs the
# stratigraphy backend.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Tesseract with the four languages of the borehole profiles (German, French, Italian, English).
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
        tesseract-ocr tesseract-ocr-deu tesseract-ocr-fra tesseract-ocr-ita tesseract-ocr-eng \
 && rm -rf /var/lib/apt/lists/* \
 && tesseract --list-langs | grep -qx deu \
 && tesseract --list-langs | grep -qx fra \
 && tesseract --list-langs | grep -qx ita \
 && tesseract --list-langs | grep -qx eng

WORKDIR /app
COPY pyproject.toml README.md gunicorn.conf.py ./
COPY label_studio_ml ./label_studio_ml
COPY stratigraphy ./stratigraphy
COPY stratigraphy_ml_backend ./stratigraphy_ml_backend
COPY text_extractor ./text_extractor
COPY data/label_config.xml ./data/label_config.xml
RUN pip install --no-cache-dir .

# Run as an unprivileged user; /models holds the SQLite state of each backend.
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --home-dir /app --shell /usr/sbin/nologin app \
 && mkdir -p /models /data \
 && chown app:app /models /data
USER app:app

ENV MODEL_DIR=/models \
    DATA_DIR=/data

EXPOSE 9090 9095
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:9090/health', timeout=4)"
CMD ["gunicorn", "--config", "gunicorn.conf.py", "--bind", "0.0.0.0:9090", "--workers", "1", \
     "--access-logfile", "-", "stratigraphy_ml_backend.wsgi:app"]
