"""States that take seconds to build (signed dictámenes: the whole procedure, a PDF, a
signature and a timestamp each), built once per test module instead of once per test.

`por_modulo(construir)` makes a module-scoped fixture: it opens a transaction, builds the
state in it, and rolls it back when the module's tests are done. Each test of the module runs
in its own savepoint inside that transaction (pytest-django's atomic block nests), so what a
test changes is undone before the next one, as with a fixture of its own. The test's fixture
reads the rows again (`de_nuevo`), so no test sees another's objects in memory.

A pytest plugin too (pyproject's addopts): the tests of a module that do not ask for its state
run before those that do, since the state lives from the first test that asks for it to the
module's end.

Only for modules whose tests do not commit (no `transaction=True`, no live server: their flush
would empty the module's state) and do not change the stored files of the state it shares.
"""

import itertools

import pytest


def por_modulo(construir):
    @pytest.fixture(scope="module")
    def fixture(django_db_setup, django_db_blocker, confianza_local):
        from django.db import transaction

        with django_db_blocker.unblock(), transaction.atomic():
            estado = construir()
            llaves_comprobar()
            yield estado
            transaction.set_rollback(True)

    return fixture


def llaves_comprobar():
    """The state's deferred foreign keys checked once, now, in the module's transaction.

    PostgreSQL checks a deferred key at commit, and a module's state is never committed.
    Django's TestCase checks them at the end of each test (SET CONSTRAINTS ALL IMMEDIATE), then
    rolls the test's savepoint back, and with it puts the state's pending checks back in the
    queue: every test checked every row of the state again (0.5 s per test on the oracle's
    generated history, 25.1 → 15.5 s for its module). Checked here, outside any savepoint,
    they leave the queue for good; what each test writes is still checked at its end."""
    from django.db import connection

    connection.check_constraints()


def de_nuevo(objeto):
    """The same row, read again (a model instance, or a dict or list of them)."""
    if isinstance(objeto, dict):
        return {clave: de_nuevo(valor) for clave, valor in objeto.items()}
    if isinstance(objeto, list | tuple):
        return type(objeto)(de_nuevo(valor) for valor in objeto)
    return type(objeto)._default_manager.get(pk=objeto.pk)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Last, after the marks chose what runs: within each module, in their order (random or
    not), the tests that do not ask for a shared state first, so none meets rows it did not
    make."""
    items[:] = [
        item
        for _modulo, seguidas in itertools.groupby(items, key=lambda item: item.path)
        for item in sorted(seguidas, key=_pide_estado_del_modulo)
    ]


def _pide_estado_del_modulo(item) -> bool:
    return any(n.endswith("_del_modulo") for n in getattr(item, "fixturenames", ()))
