"""What make mutantes adds to the suite's plugins: mutmut runs pytest several times in one
process (then forks a child per mutant from it). The test settings open the port of the test
CA's services once, when they are imported (config/settings/test.py), and the session's fixture
closes it at the end: the next session in the same process listens on the same address again
(the test CA's certificates name it: its CRL, its TSA)."""

import socket

from django.conf import settings


def pytest_sessionstart(session):
    abierto = getattr(settings, "DICTAMENES_CONFIANZA_LOCAL_SOCKET", None)
    if abierto is not None and abierto.fileno() == -1:
        anfitrion, _, puerto = settings.DICTAMENES_CONFIANZA_LOCAL.rpartition(":")
        settings.DICTAMENES_CONFIANZA_LOCAL_SOCKET = socket.create_server(
            (anfitrion, int(puerto)), backlog=128
        )
