import pytest

from heartmon.outbox.delivery import deliver_due


@pytest.fixture
def sent(mailoutbox):
    """The e-mails sent so far, once the outbox's worker has delivered what is due."""

    def sent() -> list:
        deliver_due()
        return mailoutbox

    return sent
