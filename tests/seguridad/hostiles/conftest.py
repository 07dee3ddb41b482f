"""The hostile-input tests' world, built once per test module inside a transaction rolled back
at the end (each test runs in its own savepoint on top), and the warnings they silence."""

import logging

import pytest
from django.db import transaction

from tests.por_modulo import llaves_comprobar
from tests.seguridad.hostiles.mundo import _construir


@pytest.fixture(scope="module")
def mundo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        estado = _construir()
        llaves_comprobar()
        yield estado
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _sin_bitacora_de_rechazos():
    """Hundreds of expected 400s would each log a warning."""
    logging.disable(logging.WARNING)
    yield
    logging.disable(logging.NOTSET)
