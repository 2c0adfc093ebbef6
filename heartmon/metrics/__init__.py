"""Prometheus metrics: what heartmon counts (`registry`) and the protected `/metrics` endpoint.

Like `core`, this app imports no other heartmon app, so every app may record into it. Request
latency and counts by view and status come from django-prometheus's middleware; the domain's
own metrics are declared in `registry`. Under several processes (`heartmon serve`, granian
workers, Celery) each writes its samples to PROMETHEUS_MULTIPROC_DIR and `/metrics` adds them up.
"""
