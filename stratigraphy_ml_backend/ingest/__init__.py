"""Ingest: PDFs dropped under ``pdf/<project>/`` become pre-annotated Label Studio page tasks.

- :mod:`.settings`: environment (``INGEST_*``, ``LABEL_STUDIO_PROJECT_*``, ``REDIS_URL``).
- :mod:`.state`: markers under ``ingest/`` in the bucket; which PDFs are pending.
- :mod:`.pipeline`: one PDF -> page images, tasks with predictions, done marker.
- :mod:`.label_studio`: the REST calls (legacy token or personal access token).
- :mod:`.queue`: one RQ job per PDF on Redis; the worker.
- :mod:`.events`: MinIO bucket notifications -> PDF keys.
- :mod:`.runner`: scan once / watch, in-process or through the queue, with progress.
"""
