"""Gunicorn settings for Escouade in production.

    gunicorn -c gunicorn.conf.py 'scheduler.app:create_app()'

Several workers need a shared rate-limit store: with ``memory://`` each worker counts on
its own and the booking and sign-in limits do not hold, so the server refuses to start
(see docs/operations.md). Settings can be changed on the command line (``-w 1``) or with
the environment variables read below.
"""

from __future__ import annotations

import os

# Behind the reverse proxy, on the local interface only.
bind = os.environ.get("ESCOUADE_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# A planning run happens in the request and takes up to [PLANNING] time_limit_s (10 s).
timeout = int(os.environ.get("ESCOUADE_TIMEOUT", "60"))
graceful_timeout = 30
# Only the local proxy may set X-Forwarded-Proto for gunicorn itself; the application
# reads X-Forwarded-For through [PROXY_FIX] trusted_proxies.
forwarded_allow_ips = os.environ.get("ESCOUADE_FORWARDED_ALLOW_IPS", "127.0.0.1")
# No access log here: gunicorn's would write private links (/request/…, /feeds/…) as they
# are. The application logs what matters, with those secrets redacted.
accesslog = None


def on_starting(server):  # type: ignore[no-untyped-def]
    """Refuse to start several workers that would each count rate limits on their own."""
    from flask import Flask

    from scheduler.core.settings import default_instance_path
    from scheduler.core.settings import load_config
    from scheduler.core.web import shared_limits_problem

    probe = Flask("escouade-config", instance_path=str(default_instance_path()))
    probe.config["TESTING"] = True  # read the settings only; the app checks its secret itself
    load_config(probe, None)
    problem = shared_limits_problem(probe.config.get("RATELIMIT_STORAGE_URI"), server.cfg.workers)
    if problem:
        raise RuntimeError(problem)
