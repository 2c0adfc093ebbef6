# heartmon's production image. The Procfile's processes run from it: all of them on one host
# with `heartmon serve` (the default command, what compose.yaml runs), or one process a
# container with `heartmon serve web`, `... worker`, `... mqtt-ingest`. Runs as an unprivileged
# user; configuration comes from the environment only (README, Configuration).
#   docker build -t heartmon .

FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python -m venv /venv
COPY pyproject.toml README.md ./
COPY heartmon ./heartmon
# Static files are collected at build time (WhiteNoise serves them); the key is a placeholder
# for this step only, never used to sign anything.
RUN /venv/bin/pip install . \
    && SECRET_KEY=collectstatic-only VAR_DIR=/src/var /venv/bin/heartmon collectstatic --no-input -v 0

FROM python:3.11-slim-bookworm
RUN useradd --system --uid 10001 --user-group --home-dir /app --shell /usr/sbin/nologin heartmon
COPY --from=build /venv /venv
COPY --from=build --chown=heartmon:heartmon /src/var/static /app/var/static
COPY Procfile /app/Procfile
RUN mkdir -p /data/media /app/var/metrics && chown -R heartmon:heartmon /data /app/var
ENV PATH=/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    VAR_DIR=/app/var \
    MEDIA_ROOT=/data/media \
    WEB_HOST=0.0.0.0
WORKDIR /app
USER 10001:10001
VOLUME ["/data/media"]
EXPOSE 8001
HEALTHCHECK --interval=30s --timeout=5s CMD ["python", "-c", "import urllib.request as u; u.urlopen('http://127.0.0.1:8001/healthz', timeout=4)"]
CMD ["heartmon", "serve"]
