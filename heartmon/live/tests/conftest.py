import pytest
from channels.layers import channel_layers


@pytest.fixture(autouse=True)
def _fresh_channel_layer():
    """Each test's event loop gets a channel layer of its own (the in-memory layer's queues
    belong to the loop that made them)."""
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()
