"""gunicorn's settings for `make serve-production` and bench/run.py.

Behind a reverse proxy that terminates TLS and sets X-Forwarded-Proto: listen on
loopback only, two sync workers by default (the machine has two cores). In production
GUNICORN_BIND=unix:/run/ofsted-tracker/gunicorn.sock: only the proxy can open the socket
(README, *Production*), so only the proxy's X-Forwarded-For is believed
(ofsted_tracker/login_throttling.py); a TCP port is open to every process on the host.
"""

import os

bind = [os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")]
# A Unix socket is made readable and writable by its owner and group only; its
# directory's group (the proxy's) decides who may connect.
umask = 0o007
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "sync"
# A page that takes longer than this is a bug; the worker is replaced.
timeout = 30
graceful_timeout = 20
backlog = 2048
# Only the proxy may say that the request came over HTTPS (gunicorn always believes a
# Unix socket's peer).
forwarded_allow_ips = "127.0.0.1"
# The proxy keeps the access log; set GUNICORN_ACCESS_LOG=- to log here too.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
# Requests no page needs are refused by gunicorn itself, before Django sees them: the
# longest address the filters make is well under 2 KB (414 above 4 KB); 50 header
# lines (431 above), each at most 8 KB, which leaves room for a council domain's cookies.
limit_request_line = 4094
limit_request_fields = 50
limit_request_field_size = 8190


def post_worker_init(worker):
    """Once the worker has loaded the site: compile the templates, set aside from the
    garbage collector what never goes away (ofsted_tracker/worker_start.py)."""
    from ofsted_tracker.worker_start import prepare_worker

    prepare_worker()
