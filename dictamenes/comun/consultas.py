"""Small queries that every page runs, compiled once.

For a query of a few rows the ORM spends longer building the queryset and compiling its SQL
than the database spends answering it (the person's stand-ins or object permissions: about
0.7 ms of Python per page, K=10, for a query the database answers in a tenth of that). Here
the ORM builds and compiles it once, with marks where the values go; each call runs that SQL
with its own values. `filas` returns the rows as the database gives them (no converters: for
columns whose raw value is already the Python one, such as ids and text); `instancias`, the
model instances Django would build from them.
"""

import datetime
import functools
from dataclasses import dataclass

from django.db import connections
from django.db.models import prefetch_related_objects
from django.db.models.query import ModelIterable, get_related_populators

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
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, _parametros(posiciones, valores))
        return cursor.fetchall()


def _parametros(posiciones, valores) -> list:
    return [
        p if i is None else (valores[i].isoformat() if como_texto else valores[i])
        for i, p, como_texto in posiciones
    ]


@dataclass(frozen=True)
class _Modelos:
    """What turns a compiled query's rows into model instances, as Django's ModelIterable
    does: the columns of the model, the related models' populators (select_related) and the
    annotations' positions."""

    convertidores: dict
    modelo: type
    desde: int
    hasta: int
    campos: list
    relacionados: list
    anotaciones: dict
    prefetch: tuple


@functools.cache
def _plantilla_modelos(armar, tipos: tuple) -> tuple[str, str, list, _Modelos]:
    consulta = armar(*(_marca(tipo, i) for i, tipo in enumerate(tipos)))
    # viewflow's task and process iterables are Django's unless the queryset is coerced to
    # each flow's own classes.
    if not issubclass(consulta._iterable_class, ModelIterable) or getattr(
        consulta, "_coerced", False
    ):
        raise TypeError("consulta fija: instancias() es para consultas de modelos")
    # A Prefetch's own queryset may hold the marks themselves: only lookups by name.
    if any(not isinstance(ruta, str) for ruta in consulta._prefetch_related_lookups):
        raise TypeError("consulta fija: prefetch_related solo por nombre, sin Prefetch")
    alias, sql, posiciones = _plantilla(armar, tipos)
    compilador = consulta.query.get_compiler(using=alias)
    compilador.as_sql()  # fills select, klass_info and the annotations' positions
    info = compilador.klass_info
    desde, hasta = info["select_fields"][0], info["select_fields"][-1] + 1
    return (
        alias,
        sql,
        posiciones,
        _Modelos(
            convertidores=compilador.get_converters(
                [s[0] for s in compilador.select[0 : compilador.col_count]]
            ),
            modelo=info["model"],
            desde=desde,
            hasta=hasta,
            campos=[f[0].target.attname for f in compilador.select[desde:hasta]],
            relacionados=get_related_populators(info, compilador.select, alias),
            anotaciones=dict(compilador.annotation_col_map),
            prefetch=tuple(consulta._prefetch_related_lookups),
        ),
    )


def instancias(armar, *valores) -> list:
    """The model instances of `armar(*valores)` (a queryset of a model, with its
    select_related, annotations and prefetch_related), compiled once per function and types
    of values, built as Django builds them. For a page's small, wide queries (a request's
    steps with who holds each and their process): Django compiled them again on every page,
    which took longer than reading them. A related manager's queryset (solicitud.eventos)
    also points each row at its parent: build it from the model's manager and set that on
    the rows, as contexto_detalle does."""
    alias, sql, posiciones, m = _plantilla_modelos(armar, tuple(_tipo(v) for v in valores))
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, _parametros(posiciones, valores))
        filas = cursor.fetchall()
    conexion = connections[alias]
    objetos = []
    for fila in filas:
        if m.convertidores:
            fila = list(fila)
            for posicion, (convertidores, expresion) in m.convertidores.items():
                valor = fila[posicion]
                for convertir in convertidores:
                    valor = convertir(valor, expresion, conexion)
                fila[posicion] = valor
        objeto = m.modelo.from_db(alias, m.campos, fila[m.desde : m.hasta])
        for relacionado in m.relacionados:
            relacionado.populate(fila, objeto)
        for nombre, posicion in m.anotaciones.items():
            setattr(objeto, nombre, fila[posicion])
        objetos.append(objeto)
    if m.prefetch:
        prefetch_related_objects(objetos, *m.prefetch)
    return objetos
