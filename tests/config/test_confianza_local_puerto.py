"""The suite's timestamping authority and CRL (demo.confianza_local) serve on a socket the
test settings open, listening, when the process starts (DICTAMENES_CONFIANZA_LOCAL_SOCKET):
nobody else can take its port between the settings and the session's start (a port only
looked up at the start was once taken in between by another process's connection, and every
test of that worker failed). Stopped, the port is free again: a stopped TSA refuses."""

import os
import socket
import urllib.request

import pytest
from django.conf import settings

from demo.confianza_local import Servidor, anfitrion_puerto, url_crl


def test_la_tsa_sirve_en_el_socket_abierto_y_al_detenerse_lo_suelta():
    abierto = socket.create_server(("127.0.0.1", 0))
    direccion = f"127.0.0.1:{abierto.getsockname()[1]}"
    servidor = Servidor(settings.DICTAMENES_EFIRMA_DEMO_DIR, direccion).iniciar(abierto)
    try:
        # The very socket (the same open file), not another one bound later to its port.
        assert os.fstat(servidor.escucha.fileno()).st_ino == os.fstat(abierto.fileno()).st_ino
        with socket.socket() as otro, pytest.raises(OSError):
            otro.bind(anfitrion_puerto(direccion))
        with urllib.request.urlopen(url_crl(direccion), timeout=5) as r:  # noqa: S310 (loopback)
            assert r.status == 200
    finally:
        servidor.detener()
    with pytest.raises(OSError):  # refused, not left hanging
        urllib.request.urlopen(url_crl(direccion), timeout=5)  # noqa: S310 (loopback)


def test_dos_servicios_en_el_mismo_socket_se_detienen_sin_quedarse_esperando():
    """Under make mutantes two children serve at once on copies of the one listening socket
    (mutantes/plugin.py): a connection wakes both, one takes it, and the other, blocked in
    accept(), never answered its own session's stop; the child hung until mutmut's time limit
    and its mutant went aside (2026-11-29, x_via_evaluar__mutmut_73)."""
    import threading

    abierto = socket.create_server(("127.0.0.1", 0))
    direccion = f"127.0.0.1:{abierto.getsockname()[1]}"
    carpeta = settings.DICTAMENES_EFIRMA_DEMO_DIR
    servidores = [Servidor(carpeta, direccion).iniciar(abierto.dup()) for _ in range(2)]
    try:
        for _ in range(20):
            with urllib.request.urlopen(url_crl(direccion), timeout=5) as r:  # noqa: S310
                assert r.status == 200
    finally:
        paradas = [threading.Thread(target=s.detener, daemon=True) for s in servidores]
        for parada in paradas:
            parada.start()
        for parada in paradas:
            parada.join(timeout=10)
        abierto.close()
    assert not any(parada.is_alive() for parada in paradas), "un servicio no se detuvo"
