import pytest


@pytest.fixture(autouse=True)
def _local_receivers_allowed(settings):
    """The receivers in these tests listen on 127.0.0.1."""
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
