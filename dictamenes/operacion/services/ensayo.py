"""A rehearsal (issue 48): run a service door inside a savepoint and undo everything it wrote,
so that a change asked today is checked by the very rules that will apply it on approval. The
door's on_commit callbacks are discarded with the savepoint (Django's documented behaviour);
the shared cache is not transactional, so what the door (or a read inside it) may have cached
is forgotten afterwards: `olvidar`, the keys of the caches it touches."""

from django.core.cache import cache
from django.db import transaction


class _Deshacer(Exception):
    def __init__(self, resultado):
        super().__init__("ensayo")
        self.resultado = resultado


def ensayar(funcion, *, olvidar=()):
    """What `funcion()` returns, with nothing it wrote to the database kept. Its exceptions
    (a ValidationError in Spanish) propagate as they are."""
    try:
        with transaction.atomic():
            raise _Deshacer(funcion())
    except _Deshacer as hecho:
        return hecho.resultado
    finally:
        if olvidar:
            cache.delete_many(list(olvidar))
