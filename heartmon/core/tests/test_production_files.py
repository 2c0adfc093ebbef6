"""The production files agree with each other: what compose.yaml mounts is in the repository
(but the secrets an operator makes), nginx passes to the port the Procfile's web process
listens on, and the image runs the Procfile as an unprivileged user."""

import re
from pathlib import Path

import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def test_every_file_compose_mounts_is_shipped_but_the_secrets():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    mounts = [
        volume.split(":")[0]
        for service in compose["services"].values()
        for volume in service.get("volumes", [])
        if volume.startswith("./")
    ]

    assert mounts
    for mount in mounts:
        assert mount.startswith("./secrets/") or (ROOT / mount).exists(), mount


def test_nginx_passes_to_the_procfile_web_port():
    nginx = (ROOT / "ops/nginx/heartmon.conf").read_text()
    procfile = (ROOT / "Procfile").read_text()

    upstream = re.search(r"server 127\.0\.0\.1:(\d+);", nginx)
    web_port = re.search(r"--port \$\{WEB_PORT:-(\d+)\}", procfile)
    assert upstream
    assert web_port
    assert upstream.group(1) == web_port.group(1)


def test_the_image_serves_the_procfile_as_an_unprivileged_user():
    dockerfile = (ROOT / "Dockerfile").read_text()

    assert 'CMD ["heartmon", "serve"]' in dockerfile
    assert "COPY Procfile /app/Procfile" in dockerfile
    assert re.search(r"^USER [1-9]\d*:[1-9]\d*$", dockerfile, re.MULTILINE)
