import pytest

from tests.dictamenes.flujo_utils import usuario


@pytest.fixture
def como(client):
    """The test client, logged in as the demo person named (a session, not the login form:
    the login itself has its own tests)."""

    def entrar(username):
        client.force_login(usuario(username))
        return client

    return entrar
