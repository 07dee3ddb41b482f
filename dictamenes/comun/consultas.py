"""Small queries that every page runs, compiled once.

For a query of a few rows the ORM spends longer building the queryset and compiling its SQL
than the database spends answering it (the person's stand-ins or object permissions: about
0.7 ms of Python per page, K=10, for a query the database answers in a tenth of that). Here
the ORM builds and compiles it once, with marks where the values go; each call runs that SQL
with its own values and returns the rows as the database gives them (no converters: for
columns whose raw value is already the Python one, such as ids and text).
"""

import datetime
import functools

from django.db import connections

# One mark per position, of the value's type: values no query is ever asked for.
_MARCA_ENTERO = -987_654_321_000
_MARCA_FECHA = datetime.date(1001, 1, 1)


def _tipo(valor) -> type:
    if isinstance(valor, int) and not isinstance(valor, bool):
        return int
    if isinstance(valor, datetime.date) and not isinstance(valor, datetime.datetime):
        return datetime.date
    raise TypeError(f"consulta fija: solo enteros y fechas, no {type(valor).__name__}")


def _marca(tipo: type, i: int):
    if tipo is int:
        return _MARCA_ENTERO - i
    return _MARCA_FECHA.replace(year=_MARCA_FECHA.year + i)


@functools.cache
def _plantilla(armar, tipos: tuple) -> tuple[str, str, list]:
    """(database alias, SQL, for each parameter: the position of the value it takes, or
    None and the constant it keeps, and whether the value goes as text)."""
    marcas = [_marca(tipo, i) for i, tipo in enumerate(tipos)]
    consulta = armar(*marcas)
    sql, params = consulta.query.get_compiler(using=consulta.db).as_sql()
    posiciones, vistas = [], set()
    for p in params:
        for i, marca in enumerate(marcas):
            if p == marca or (isinstance(marca, datetime.date) and p == marca.isoformat()):
                posiciones.append((i, None, isinstance(p, str)))
                vistas.add(i)
                break
        else:
            posiciones.append((None, p, False))
    if vistas != set(range(len(marcas))):
        raise ValueError("consulta fija: un valor no llegó a los parámetros de la consulta")
    return consulta.db, sql, posiciones


def filas(armar, *valores) -> list[tuple]:
    """The rows of `armar(*valores)` (a queryset of values_list), compiled once per function
    and types of values. `armar`: a function of a module that builds the same query for any
    values, which it only passes to filters (ints and dates)."""
    alias, sql, posiciones = _plantilla(armar, tuple(_tipo(v) for v in valores))
    params = [
        p if i is None else (valores[i].isoformat() if como_texto else valores[i])
        for i, p, como_texto in posiciones
    ]
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
