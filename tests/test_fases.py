"""The second phase of make test collects only the files of tests/fases.py: a browser test
outside them is named at collection, and one inside them is not."""

import pytest

from tests import fases


class _Prueba:
    """What the guard reads of a collected test: its file, its id and its markers."""

    def __init__(self, ruta: str, *marcas: str):
        self.path = fases.RAIZ / ruta
        self.nodeid = f"{ruta}::test_algo"
        self._marcas = set(marcas)

    def get_closest_marker(self, nombre):
        return pytest.mark.serie if nombre in self._marcas else None


def test_una_prueba_serie_fuera_de_la_lista_se_nombra():
    pruebas = [
        _Prueba("tests/cuentas/test_roles_navegador.py", "serie"),
        _Prueba("tests/backends/test_jornadas.py", "serie"),
        _Prueba("tests/cuentas/test_nuevo_navegador.py", "serie"),
        _Prueba("tests/cuentas/test_login.py"),
    ]
    assert fases.fuera_de_la_lista(pruebas) == ["tests/cuentas/test_nuevo_navegador.py::test_algo"]


def test_cada_entrada_de_la_lista_existe():
    """A renamed file would make the second phase stop before its first test."""
    faltan = [p for p in fases.SERIE if not (fases.RAIZ / p).exists()]
    assert not faltan, faltan
