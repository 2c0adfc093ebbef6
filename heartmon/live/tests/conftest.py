import pytest
from channels.layers import channel_layers


@pytest.fixture(autouse=True)
def _fresh_channel_layer():
    """Each test's event loop gets a channel layer of its own (the in-memory layer's queues
    belong to the loop that made them)."""
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


@pytest.fixture(autouse=True)
def _test_transaction_kept_open(monkeypatch):
    """Channels closes the thread's database connection around each database_sync_to_async call,
    which would end the test's transaction (PostgreSQL) while a consumer runs between the
    communicator's calls; its communicator skips that only inside them. Skip it throughout."""
    monkeypatch.setattr("channels.db.close_old_connections", lambda: None)
