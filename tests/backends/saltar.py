"""How a test says that a backend cannot run on this machine: a skip whose reason starts with
`SKIP_PREFIX`, which the plugin (tests.backends.plugin) turns into a failure under CI=true.
Apart from the plugin so that the servers it starts (tests.backends.servers) skip the same way
without importing it: the plugin imports them, and the two were an import circle (issue 63)."""

import pytest

SKIP_PREFIX = "Servidor de pruebas no disponible:"


def skip_backend(reason: str) -> None:
    pytest.skip(f"{SKIP_PREFIX} {reason}")
