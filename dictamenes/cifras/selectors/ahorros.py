"""What the review saved (issue 36, item 4): per fiscal year, agency and category of the
standards, the amount requested, what the dictamen approved, what was contracted, and the
savings (requested − approved).

Counted: the items of the requests whose dictamen is in force (issued and not cancelled).
Not counted: requests closed without a dictamen, cancelled dictámenes, and the imported
history, which has no items. What a dictamen approved of each item is the rule of
models.vias.monto_aprobado, here summed in SQL (test_ahorros checks both agree):
the decision on the item when there is one; without it (dictámenes issued before decisions
per item), the whole item, or nothing when the dictamen was «no favorable».

Contracts are recorded per dictamen, not per item: each dictamen's contracted amount is
split across its categories in proportion to what the dictamen approved of each (by what was
requested, if it approved nothing), to the cent, so the parts add up to the contracts.

Savings against the reference (issue 62; defined again in issue 76, DEFINICION_REFERENCIA):
what the review cut of the price above the state's own reference, kept on each decision
(DecisionPartida.referencia_unitaria, in the item's unit). For each approved item decided with
a reference, (max(requested unit price − reference, 0) − max(approved unit price − reference,
0)) × approved quantity, the approved unit price being monto_aprobado / cantidad_aprobada: an
item approved at its requested price adds 0 (above the reference or below it), an item cut to
the reference adds (requested − reference) × quantity, one cut partway what was cut of its
excess; never negative, unless an item were approved above what was asked. Its share is over
what was requested above the reference (sobre_referencia: Σ max(requested unit price −
reference, 0) × approved quantity): 100 % when every item was cut to its reference. The
older definition (reference × quantity − approved) read negative right after a cut to the
reference, since the items bought below it offset the cut. Summed in SQL, as
(Greatest(requested − reference, 0) × quantity − Greatest(approved − reference × quantity, 0)),
which is the same without dividing by the quantity. How many approved items had a reference
says what the figure covers. Consolidated purchases (Solicitud.compra_consolidada) are
summed apart, in their own fields, never mixed in.

Categories belong to an edition of the standards: they are grouped by their clave, which
survives editions, and named as in the newest edition the items used.
"""

import functools
from collections import defaultdict
from decimal import Decimal
from operator import itemgetter

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, Sum, Value
from django.db.models.functions import Greatest
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from dictamenes.cifras import reglas
from dictamenes.cifras.reglas import (
    CAMPOS_SUMA,
    CERO,
    CONSOLIDADA,
    FILA_EN_CERO,
    aprobado,
    cero,
    combinar,
    pesos,
    repartir,
    sumar_precio,
    totales,
    unir,
)
from dictamenes.comun import consultas
from dictamenes.models import Contrato, Ente, Partida, Resultado
from estandares.models import Categoria

# Read here by the open data, the dashboard and their tests: the rules are in cifras.reglas.
CAMPOS_MONTO = reglas.CAMPOS_MONTO
CAMPOS_PRECIO = reglas.CAMPOS_PRECIO
CAMPOS_REFERENCIA = reglas.CAMPOS_REFERENCIA
frente_a_referencia = reglas.frente_a_referencia
_repartir = repartir
# The definition of the savings against the reference, in the one sentence that the page,
# the API, the open data and the manual say (issue 76).
DEFINICION_REFERENCIA = _(
    "El ahorro frente al precio de referencia es lo que la revisión recortó del precio "
    "solicitado por encima de la referencia: por cada partida aprobada que se decidió con "
    "precio de referencia, lo que el precio unitario solicitado rebasaba la referencia menos "
    "lo que la rebasa el aprobado (monto aprobado entre cantidad aprobada; cada uno, cero si "
    "no la rebasa), por la cantidad aprobada; su porcentaje es sobre lo solicitado por encima "
    "de la referencia."
)
SIN_CATEGORIA = "sin-categoria"

_IMPORTE = ExpressionWrapper(
    F("cantidad") * F("precio_unitario"), output_field=DecimalField(max_digits=20, decimal_places=2)
)


# Grouped by the agency's and the category's ids, named afterwards from their two small tables
# (_nombres): grouping ten thousand items a year by five text columns cost more than the sums.
_NOMBRES = ("solicitud__ejercicio", "solicitud__ente_id", "perfil__categoria_id")
_SUMAS = {
    "solicitado": Sum(_IMPORTE),
    # The rule of models.vias.monto_aprobado, summed: the decided amounts, plus the items
    # without a decision whole unless the dictamen was no favorable.
    "decidido": Sum("decision__monto_aprobado"),
    "sin_decision": Sum(_IMPORTE, filter=Q(decision__isnull=True)),
}
# An approved item: decided for some quantity, or (before decisions per item) approved whole;
# with a reference when its decision kept one. A «no favorable» dictamen's rows count none.
_APROBADA = Q(decision__isnull=True) | Q(decision__cantidad_aprobada__gt=0)
_CON_REFERENCIA = Q(decision__cantidad_aprobada__gt=0, decision__referencia_unitaria__isnull=False)
_CUATRO = DecimalField(max_digits=24, decimal_places=4)
_REFERENCIA = F("decision__referencia_unitaria")
_CANTIDAD = F("decision__cantidad_aprobada")
_A_REFERENCIA = ExpressionWrapper(_REFERENCIA * _CANTIDAD, output_field=_CUATRO)
# DEFINICION_REFERENCIA, per item: what the requested unit price passed the reference, times
# the approved quantity, and of that what the review cut. max(approved unit − reference, 0) ×
# quantity is max(approved amount − reference × quantity, 0): no division (quantity > 0).
_SOBRE = ExpressionWrapper(
    Greatest(F("precio_unitario") - _REFERENCIA, Value(CERO)) * _CANTIDAD, output_field=_CUATRO
)
_RECORTE = ExpressionWrapper(
    _SOBRE - Greatest(F("decision__monto_aprobado") - _REFERENCIA * _CANTIDAD, Value(CERO)),
    output_field=_CUATRO,
)
# A «no favorable» dictamen approves nothing, at any price, whatever its items' decisions say
# (a rectification may have changed the result after them): its items count as requested only.
_EN_FAVOR = ~Q(solicitud__dictamenes__resultado=Resultado.NO_FAVORABLE)
# The same condition, not negated: as a lookup, not a Q, which as an aggregate's filter would
# turn the dictamen's join into an outer one (Django promotes the joins a Q needs).
_NO_FAVORABLE = Exact(F("solicitud__dictamenes__resultado"), Value(Resultado.NO_FAVORABLE))
# The sums of _por_categoria: the approved amount summed in SQL under that rule, so that a
# year, agency and category is one row whatever the results of its dictámenes; and the approved
# items of each kind of purchase (ordinary, consolidated), the whole the reference covers.
# What has no decision under a dictamen in favour is read as what was requested less the rest
# (the items decided, or under a «no favorable» dictamen: in ten years of make bench, 10
# decisions, and 12,625 of the 127,060 items in force under a «no favorable» one): summing it
# apart multiplied the quantity by the unit price of nearly every item a second time, and
# summed it, ~12 % of the main query's CPU at K=10 (issue 92, item 6).
_SUMAS_APROBADO = {
    "solicitado": Sum(_IMPORTE),
    "decidido": Sum("decision__monto_aprobado", filter=_EN_FAVOR),
    # Two sums, not one over an OR, for the same reason.
    "no_favorable": Sum(_IMPORTE, filter=_NO_FAVORABLE),
    "decidido_en_favor": Sum(_IMPORTE, filter=Q(decision__isnull=False) & _EN_FAVOR),
}
# The sums against the reference, of each kind, read apart (_por_categoria_con_referencia) from
# the items decided with a reference only: in the main query each of them was one more filter
# evaluated on every item in force (127 thousand in the ten years of make bench, 2 of them
# decided with a reference). The second query's cost follows the items with a reference.
_SUMAS_PRECIO = {}
for _prefijo, _consolidada in (("", False), (CONSOLIDADA, True)):
    _de_tipo = Q(solicitud__compra_consolidada=_consolidada) & _EN_FAVOR
    _SUMAS_APROBADO[_prefijo + "partidas_aprobadas"] = Count("pk", filter=_de_tipo & _APROBADA)
    _SUMAS_PRECIO |= {
        _prefijo + "partidas_con_referencia": Count("pk", filter=_de_tipo & _CON_REFERENCIA),
        _prefijo + "a_referencia": Sum(_A_REFERENCIA, filter=_de_tipo & _CON_REFERENCIA),
        _prefijo + "aprobado_con_referencia": Sum(
            "decision__monto_aprobado", filter=_de_tipo & _CON_REFERENCIA
        ),
        _prefijo + "ahorro_referencia": Sum(_RECORTE, filter=_de_tipo & _CON_REFERENCIA),
        _prefijo + "sobre_referencia": Sum(_SOBRE, filter=_de_tipo & _CON_REFERENCIA),
    }


# The counts of each kind of purchase (ordinary, consolidated) read before its sums: a group
# with no item decided with a reference has nothing against one (its sums share their filter).
_CON_REFERENCIA_EN = tuple(p + "partidas_con_referencia" for p in ("", CONSOLIDADA))
_APROBADAS_EN = tuple(p + "partidas_aprobadas" for p in ("", CONSOLIDADA))
# The approved items were counted by the main query: sumar_precio adds none of them again.
_YA_CONTADAS = dict.fromkeys(_APROBADAS_EN, 0)
# What a piece without any of them adds up: the rest of its totals are zero.
_SIN_REFERENCIA = frozenset(reglas.CAMPOS_MONTO + _APROBADAS_EN)
# Each total's zero, in the order of CAMPOS_SUMA.
_CEROS = {c: cero(c) for c in CAMPOS_SUMA}


def _partidas_vigentes(ejercicio: int | None, **mas):
    """The items under a dictamen in force (of one year; of some dictámenes)."""
    # One filter() call, so every condition is on the same join: a request without any
    # dictamen would otherwise pass "cancelado_en is null" through the outer join.
    condiciones = {
        "solicitud__importada": False,
        "solicitud__dictamenes__isnull": False,
        "solicitud__dictamenes__cancelado_en__isnull": True,
        **mas,
    }
    if isinstance(ejercicio, list):
        condiciones["solicitud__ejercicio__in"] = ejercicio
    elif ejercicio is not None:
        condiciones["solicitud__ejercicio"] = ejercicio
    return Partida.objects.filter(**condiciones)


def _por_categoria(ejercicio: int | None, entes=None):
    """One query: per year, agency and category, requested, approved and the sums against the
    reference. A few hundred rows a year, whatever the number of dictámenes (grouped also by
    the dictamen's result, ten years of history were 2.3 times the rows, each read and added
    in Python with the cache empty)."""
    mas = {} if entes is None else {"solicitud__ente_id__in": entes}
    return (
        _partidas_vigentes(ejercicio, **mas)
        .values_list(*_NOMBRES)
        .annotate(**_SUMAS_APROBADO)
        .order_by()
    )


def _por_categoria_con_referencia(ejercicio: int | None, entes=None):
    """One query: per year, agency and category, the sums against the reference, over the
    items approved with a reference only (a WHERE, where _SUMAS_PRECIO's filters would have
    been evaluated on every item in force): the groups of _por_categoria that have any."""
    mas = {} if entes is None else {"solicitud__ente_id__in": entes}
    return (
        _partidas_vigentes(
            ejercicio,
            decision__cantidad_aprobada__gt=0,
            decision__referencia_unitaria__isnull=False,
            **mas,
        )
        .values_list(*_NOMBRES)
        .annotate(**_SUMAS_PRECIO)
        .order_by()
    )


def _por_dictamen_y_categoria(ejercicio: int | None, dictamenes):
    """One query: per dictamen of `dictamenes` (those with contracts) and category clave,
    requested and approved: the weights of the split of its contracts."""
    return (
        _partidas_vigentes(ejercicio, solicitud__dictamenes__in=dictamenes)
        .values_list("solicitud__dictamenes__id", "solicitud__dictamenes__resultado", *_NOMBRES)
        .annotate(**_SUMAS)
        .order_by()
    )


def _filas(consulta) -> list[tuple]:
    """The rows of a values_list() query. On PostgreSQL, as psycopg reads them (Decimal and int
    already): Django's converters would build each of the ten thousand cells of ten years again,
    the same value, at more CPU than the query's own reading. Elsewhere (SQLite sums decimals
    as floats) through them."""
    conexion = connections[consulta.db]
    if conexion.vendor != "postgresql":
        return list(consulta)
    try:
        sql, parametros = consulta.query.sql_with_params()
    except EmptyResultSet:  # a filter over an empty list: no rows, as Django answers it
        return []
    with conexion.cursor() as cursor:
        cursor.execute(sql, parametros)
        return cursor.fetchall()


def _contratos(ejercicio: int | None, entes=None):
    """The contracts recorded under dictámenes in force (of the year's requests of these
    agencies, if given)."""
    # Those waiting for the strategic reviewer, or refused, enter no figure (issue 76).
    contratos = Contrato.objects.que_cuentan().filter(
        dictamen__cancelado_en__isnull=True, dictamen__solicitud__importada=False
    )
    if isinstance(ejercicio, list):
        contratos = contratos.filter(dictamen__solicitud__ejercicio__in=ejercicio)
    elif ejercicio is not None:
        contratos = contratos.filter(dictamen__solicitud__ejercicio=ejercicio)
    if entes is not None:
        contratos = contratos.filter(dictamen__solicitud__ente_id__in=entes)
    return contratos


def _contratado(ejercicio: int | None, entes=None):
    """One query: the contracts recorded under each dictamen in force."""
    return (
        _contratos(ejercicio, entes)
        .values_list("dictamen_id")
        .annotate(total=Sum("monto"))
        .order_by()
    )


def _con_contratos(ejercicio: int | None, entes=None):
    """_por_dictamen_y_categoria of the dictámenes with contracts (a subquery)."""
    return _por_dictamen_y_categoria(ejercicio, _contratos(ejercicio, entes).values("dictamen_id"))


# The four queries of every year and agency at once (the indicators with the cache empty) are
# always the same: on PostgreSQL their SQL is built and compiled once (comun.consultas), which
# cost about as much Python as reading their two thousand rows (~15 ms of the page's CPU at
# K=10; issue 92, item 6).
_DE_TODOS = {
    armar: functools.partial(armar, None, None)
    for armar in (_contratado, _por_categoria, _por_categoria_con_referencia, _con_contratos)
}


def _leer(armar, ejercicio: int | None, entes) -> list[tuple]:
    """The rows of armar(ejercicio, entes) (see _filas): of every year and agency, compiled
    once on PostgreSQL."""
    if (
        ejercicio is None
        and entes is None
        and connections[Partida.objects.db].vendor == ("postgresql")
    ):
        return consultas.filas(_DE_TODOS[armar])
    return _filas(armar(ejercicio, entes))


def por_ente_y_categoria(*, ejercicio: int | None = None) -> list[dict]:
    """Rows {ejercicio, ente_siglas, ente, categoria_clave, categoria, solicitado, aprobado,
    contratado, ahorro, and CAMPOS_PRECIO}, ordered by year, agency and category. Two
    queries."""
    return combinar([pieza(ejercicio=ejercicio)])


def pieza(*, ejercicio: int | None = None) -> dict:
    """The rows of one year (or of all), before naming their categories: {"filas": rows
    without "categoria", "nombres": clave → (edition, name) of the newest edition used}."""
    return unir(list(piezas_por_ente(ejercicio=ejercicio).values()))


def piezas_por_ente(*, ejercicio: int | None = None, entes=None) -> dict[int, dict]:
    """The pieces of one year (or of all) per agency: see _piezas."""
    return _piezas(ejercicio, entes, por_ejercicio=False)


def piezas_por_ejercicio_y_ente(*, ejercicios, entes) -> dict[tuple[int, int], dict]:
    """The pieces of several years at once (None: of every year), by (year, agency id): each
    the piece that piezas_por_ente(ejercicio=year) gives that agency, in the same queries for
    all the years (the indicators with the cache empty: one pass over the items, not one a
    year; without a list of years or agencies, PostgreSQL hashes the items instead of looking
    up each request's)."""
    return _piezas(None if ejercicios is None else list(ejercicios), entes, por_ejercicio=True)


def _piezas(ejercicio, entes, *, por_ejercicio: bool) -> dict:
    """The pieces of one year (or of all) per agency (of `entes`, if given): {ente id:
    {"filas", "nombres", "total"}}, each piece as pieza() gives it for that agency alone, and
    the sums of its rows. A year's rows of one agency depend on that agency's requests of the
    year only, so the indicators cache each piece apart (selectors.tablero) and name the
    categories over all of them: after a change, one agency's piece is computed again. Four
    queries whether or not any dictamen has contracts or any item a reference (the contracts,
    the items in force, those of them with a reference, and, by a subquery, the items of the
    dictámenes with contracts: none when none has, so the count does not follow the data);
    and the names of the agencies and categories, two small tables."""
    contratado = {d: pesos(total) for d, total in _leer(_contratado, ejercicio, entes)}
    nombres_de_ente = {
        pk: (siglas, nombre)
        for pk, siglas, nombre in Ente.objects.values_list("pk", "siglas", "nombre")
    }
    categorias = {
        pk: (clave, nombre, edicion)
        for pk, clave, nombre, edicion in Categoria.objects.values_list(
            "pk", "clave", "nombre", "publicacion__version"
        )
    }
    piezas: dict = {}
    con_referencia = set()  # the pieces with some item decided with a reference

    def fila_de(anio, ente_id, categoria_id) -> dict:
        siglas, ente = nombres_de_ente[ente_id]
        clave, nombre, edicion = categorias.get(categoria_id, (None, None, None))
        clave = clave or SIN_CATEGORIA
        pieza_ = piezas.setdefault(
            (anio, ente_id) if por_ejercicio else ente_id, {"grupos": {}, "nombres": {}}
        )
        nombres = pieza_["nombres"]  # clave → (edition, name), newest edition wins
        if clave not in nombres or nombres[clave][0] < (edicion or 0):
            nombres[clave] = (edicion or 0, nombre or "Sin categoría")
        grupos, llave = pieza_["grupos"], (anio, siglas, clave)
        fila = grupos.get(llave)
        if fila is None:  # a new row only when the group is new (not built to be thrown away)
            fila = grupos[llave] = {
                "ejercicio": anio,
                "ente_siglas": siglas,
                "ente": ente,
                "categoria_clave": clave,
                **FILA_EN_CERO,
            }
        return fila

    for (
        anio,
        ente_id,
        categoria_id,
        solicitado,
        decidido,
        no_favorable,
        decidido_en_favor,
        *aprobadas,
    ) in _leer(_por_categoria, ejercicio, entes):
        fila = fila_de(anio, ente_id, categoria_id)
        # pesos() once per distinct amount of the row: nothing decided is $0.00 (ten years of
        # make bench have 10 decisions), and what has no decision is most often all that was
        # requested (6,768 calls → ~2,250 at K=10). Equal amounts are the same pesos, zero
        # aside (-0 equals 0 but keeps its sign). What has no decision under a dictamen in
        # favour is what was requested less the rest, to the cent (exact decimals); none of
        # it ($0.00, as the sum of no item was) when the rest is all.
        en_pesos = pesos(solicitado)
        fila["solicitado"] += en_pesos
        if no_favorable is None and decidido_en_favor is None:
            sin_decision = en_pesos
        else:
            resto = (no_favorable or 0) + (decidido_en_favor or 0)
            sin_decision = CERO if resto == solicitado else pesos(solicitado - resto)
        fila["aprobado"] += (CERO if decidido is None else pesos(decidido)) + sin_decision
        for campo, cuenta in zip(_APROBADAS_EN, aprobadas, strict=True):
            fila[campo] += cuenta
    # A group with no item decided with a reference has no row here: its sums against one
    # would be NULL, and adding $0.00 would give the same figures. Its amounts stay the one
    # zero of FILA_EN_CERO, which the cache pickles once.
    for anio, ente_id, categoria_id, *de_precio in _leer(
        _por_categoria_con_referencia, ejercicio, entes
    ):
        sumas = dict(zip(_SUMAS_PRECIO, de_precio, strict=True))
        if any(sumas[c] for c in _CON_REFERENCIA_EN):
            sumar_precio(fila_de(anio, ente_id, categoria_id), _YA_CONTADAS | sumas)
            con_referencia.add((anio, ente_id) if por_ejercicio else ente_id)
    # Each dictamen's contracts, split across its categories in proportion to what it
    # approved of each (by what was requested, if it approved nothing).
    por_dictamen: dict[int, list[tuple[dict, Decimal, Decimal]]] = defaultdict(list)
    for (
        dictamen,
        resultado,
        *nombre,
        solicitado,
        decidido,
        sin_decision,
    ) in _leer(_con_contratos, ejercicio, entes):
        por_dictamen[dictamen].append(
            (
                fila_de(*nombre),
                pesos(solicitado),
                aprobado(resultado, decidido, sin_decision),
            )
        )
    for dictamen, partes in por_dictamen.items():
        partes.sort(key=lambda p: p[0]["categoria_clave"])
        aprobados = [a for _f, _s, a in partes]
        por_peso = aprobados if sum(aprobados) > 0 else [s for _f, s, _a in partes]
        for (fila, _s, _a), parte in zip(
            partes, repartir(contratado[dictamen], por_peso), strict=True
        ):
            fila["contratado"] += parte
    resultado = {}
    for llave, pieza_ in piezas.items():
        filas = list(pieza_["grupos"].values())
        for fila in filas:
            fila["ahorro"] = fila["solicitado"] - fila["aprobado"]
        sumar = llave in con_referencia
        resultado[llave] = {
            "filas": filas,
            "nombres": pieza_["nombres"],
            "total": {
                c: sum(map(itemgetter(c), filas), inicio)
                if sumar or c in _SIN_REFERENCIA
                else inicio
                for c, inicio in _CEROS.items()
            },
        }
    return resultado


def por_ejercicio() -> list[dict]:
    """Totals per fiscal year: {ejercicio, solicitado, aprobado, contratado, ahorro,
    pct_ahorro}."""
    return totales(por_ente_y_categoria())
