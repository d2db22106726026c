"""gunicorn settings for both backends (``gunicorn --config gunicorn.conf.py ...``).

Why these values:

- ``gthread`` workers: a connection that has sent nothing is parked in the worker's
  poller, not in a thread, and each request runs in one of ``threads`` threads.
  The app reads request bodies under a deadline (``BODY_READ_SECONDS``, 408 after
  it), so a client that stalls its body holds a thread for at most that long, and
  with 32 threads a handful of stalling clients leave ``/health`` answered.
  Heavy work is bounded separately (``MAX_CONCURRENT_PREDICTIONS`` per worker),
  so more threads do not mean more memory.
- ``timeout``: never 0. In gthread workers it is the heartbeat of the worker's main
  loop; requests themselves end by ``PREDICT_DEADLINE_SECONDS`` (80 s, below Label
  Studio's 100 s predict timeout).
- ``graceful_timeout``: a restart lets running predictions finish their deadline.

``--bind``, ``--workers`` and ``--name`` come from the command line (the run
script, Dockerfile and docker-compose.yml); command-line flags win over this file.
"""

from __future__ import annotations

import os

worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "32"))
timeout = 120
graceful_timeout = 90
keepalive = 5
# header limits (gunicorn's defaults, stated so they are not lost)
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
