import pytest


@pytest.fixture
def server(live_server, client):
    """The live server, warm: its first request imports the whole API (the ECG stack among it),
    which takes seconds a short run would spend waiting."""
    client.get("/healthz")
    return live_server
