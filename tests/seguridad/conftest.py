"""The fuzz counters, printed in the terminal summary so CI's log shows how much was tried."""

from collections import Counter

import pytest

CASOS_FUZZ = pytest.StashKey[Counter]()


@pytest.fixture(scope="session")
def contador_fuzz(pytestconfig):
    """Cases sent per role, and how many of them were answered with a 2xx and with a 5xx."""
    return pytestconfig.stash.setdefault(CASOS_FUZZ, Counter())


def pytest_terminal_summary(terminalreporter, config):
    contador = config.stash.get(CASOS_FUZZ, None)
    if not contador:
        return
    terminalreporter.section("fuzzing de la API (schemathesis)")
    roles = sorted(k for k in contador if ":" not in k)
    for rol in roles:
        terminalreporter.write_line(
            f"{rol}: {contador[rol]} casos ({contador['2xx:' + rol]} con respuesta 2xx), "
            f"{contador['5xx:' + rol]} errores del servidor"
        )
    total = sum(contador[r] for r in roles)
    errores = sum(contador["5xx:" + r] for r in roles)
    terminalreporter.write_line(f"total: {total} casos, {errores} errores del servidor")
