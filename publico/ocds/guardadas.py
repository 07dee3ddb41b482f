"""OCDS releases kept as first published (publico.ocds.entregas says what a release says).

A release is worked out the first time a month's package or a record asks for it and kept as
written (EntregaOCDS for an audit event, EntregaOCDSHistorica for a fact of a request without
history): after that it is served as kept, whatever is renamed later (the institution, an
agency, a standards profile), as the standard wants of a release. Its date is worked out once
too (_fechas): no two releases of an ocid share a second.

One correction is made to what is kept: a person's data that the detector of the day finds in
a kept release's typed text is masked in place after each migration (entregas_enmascarar,
issue 77); personal data is not published, even as it was first published.

Nothing here grows with the history: a month's package reads the month's releases as kept,
and works out (in slices) only those never published; a record reads its request's.
"""

import datetime
import json
from collections import defaultdict

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from dictamenes.models import EntregaOCDS, EntregaOCDSHistorica, EventoAuditoria
from publico.ocds.entregas import (
    ATENDIDA,
    CERRADAS,
    PRESENTADA,
    Contexto,
    enmascarar,
    entrega_de,
    eventos,
    fecha_iso,
    hechos_de,
    hechos_sin_historia,
    orden,
    sin_historia,
)


def mes_del_hecho(hecho) -> str:
    """ "AAAA-MM": the month, local time, whose package holds a fact's release. The month of the
    fact, not of the release's date: a date moved a second on (_fechas) at a month's last
    second falls in the next month, and the release is still in its fact's package."""
    return f"{timezone.localtime(hecho.ocurrido_en):%Y-%m}"


def publicadas(consulta, historicas=None, *, rango=None) -> list[tuple[str, dict]]:
    """The releases of the events in `consulta` (a filter of eventos()) and of the requests
    in `historicas` (a filter of sin_historia()), by date, each with the month of the package
    that holds it (mes_del_hecho); with `rango` (start, end), only those dated in it."""
    hechos = sorted(
        hechos_de(consulta, historicas, rango), key=lambda h: orden(h.ocurrido_en, h.numero)
    )
    if not hechos:
        return []
    return list(zip(map(mes_del_hecho, hechos), _publicadas(hechos), strict=True))


def _texto(entrega: dict) -> str:
    """A release as it is kept and served: the same bytes every time it is published."""
    return json.dumps(entrega, ensure_ascii=False)


PUBLICAR_DE_UNA_VEZ = 250


def _historicas_sin_guardar(inicio, fin):
    """The requests without history with a fact in [inicio, fin) whose release is not kept
    yet: those, and only those, are read to work their releases out."""
    guardada = EntregaOCDSHistorica.objects.filter(solicitud_id=OuterRef("pk"))
    return sin_historia().filter(
        (
            Q(presentada_en__gte=inicio, presentada_en__lt=fin)
            & ~Exists(guardada.filter(hecho=PRESENTADA))
        )
        | (
            Q(estado__in=CERRADAS, atendida_en__gte=inicio, atendida_en__lt=fin)
            & ~Exists(guardada.filter(hecho=ATENDIDA))
        )
    )


def entregas_del_mes(rango) -> list[tuple[str, bytes]]:
    """The releases dated in `rango` (start, end), as (date, JSON) in the order of their facts,
    for a month's package: a release already published goes in as the text kept then, never
    parsed and written again (a year-end month holds thousands: its events, their requests and
    their releases read, parsed and written took ~0.5 s and ~50 MB of a worker); the rest, of
    events and of requests without history alike, are worked out and kept, as publicadas()
    does. Once published, a month reads its releases and nothing of the requests."""
    inicio, fin = rango
    consulta = eventos().filter(ocurrido_en__gte=inicio, ocurrido_en__lt=fin)
    filas = [
        (orden(ocurrido_en, numero), fecha_iso(fecha or ocurrido_en), texto.encode())
        for ocurrido_en, numero, fecha, texto in consulta.filter(
            entrega_ocds__isnull=False
        ).values_list("ocurrido_en", "numero", "entrega_ocds__fecha", "entrega_ocds__entrega")
    ]
    guardados = set()
    for solicitud_id, hecho, ocurrido_en, fecha, texto in EntregaOCDSHistorica.objects.filter(
        ocurrido_en__gte=inicio, ocurrido_en__lt=fin
    ).values_list("solicitud_id", "hecho", "ocurrido_en", "fecha", "entrega"):
        guardados.add((solicitud_id, hecho))
        filas.append((orden(ocurrido_en, hecho), fecha_iso(fecha), texto.encode()))
    nuevos = sorted(
        (
            h
            for h in hechos_de(
                consulta.filter(entrega_ocds__isnull=True),
                _historicas_sin_guardar(inicio, fin),
                rango,
            )
            # A request presented this month and attended in it too, one of the two kept.
            if isinstance(h, EventoAuditoria) or (h.solicitud_id, h.numero) not in guardados
        ),
        key=lambda h: orden(h.ocurrido_en, h.numero),
    )
    # In slices: a month first published (after an upgrade, a whole year-end month) holds
    # thousands, and their items, decisions and releases at once took ~100 MB of a worker.
    for inicio in range(0, len(nuevos), PUBLICAR_DE_UNA_VEZ):
        trozo = nuevos[inicio : inicio + PUBLICAR_DE_UNA_VEZ]
        for hecho, entrega in zip(trozo, _publicadas(trozo, ninguna_guardada=True), strict=True):
            filas.append(
                (orden(hecho.ocurrido_en, hecho.numero), entrega["date"], _texto(entrega).encode())
            )
    filas.sort(key=lambda fila: fila[0])
    return [(fecha, texto) for _, fecha, texto in filas]


_UN_SEGUNDO = datetime.timedelta(seconds=1)


def _fechas(hechos: list) -> dict[tuple, datetime.datetime]:
    """The date of each fact's release, by (request, number): the fact's instant to the
    second or, when an earlier release of the same ocid has that second or a later one (two
    events within one second), a second after it. Worked out from every fact of the ocid in
    the order they happened, not from what is kept, so a release gets the same date whichever
    month or record publishes it first. One query: the events of the requests with events."""
    momentos = defaultdict(dict)
    con_eventos = {h.solicitud_id for h in hechos if isinstance(h, EventoAuditoria)}
    if con_eventos:
        for solicitud_id, numero, momento in (
            eventos()
            .filter(solicitud_id__in=con_eventos)
            .values_list("solicitud_id", "numero", "ocurrido_en")
        ):
            momentos[solicitud_id][numero] = momento
    # A request without history has no events (sin_historia): its facts are its dates.
    for h in hechos:
        if not isinstance(h, EventoAuditoria):
            for hecho in hechos_sin_historia(h.solicitud):
                momentos[h.solicitud_id][hecho.numero] = hecho.ocurrido_en
    fechas = {}
    for solicitud_id, de_la_solicitud in momentos.items():
        anterior = None
        for numero, momento in sorted(de_la_solicitud.items(), key=lambda p: orden(p[1], p[0])):
            fecha = timezone.localtime(momento).replace(microsecond=0)
            if anterior is not None and fecha <= anterior:
                fecha = anterior + _UN_SEGUNDO
            fechas[solicitud_id, numero] = anterior = fecha
    return fechas


def _clave(hecho) -> tuple:
    if isinstance(hecho, EventoAuditoria):
        return ("evento", hecho.pk)
    return ("historica", hecho.solicitud_id, hecho.numero)


def _guardadas(hechos: list) -> dict[tuple, str]:
    """The releases of these facts already published, as kept, by _clave. Two queries."""
    eventos_ = [h.pk for h in hechos if isinstance(h, EventoAuditoria)]
    historicas = {h.solicitud_id for h in hechos if not isinstance(h, EventoAuditoria)}
    guardadas = {}
    if eventos_:
        guardadas |= {
            ("evento", evento_id): texto
            for evento_id, texto in EntregaOCDS.objects.filter(evento_id__in=eventos_).values_list(
                "evento_id", "entrega"
            )
        }
    if historicas:
        guardadas |= {
            ("historica", solicitud_id, hecho): texto
            for solicitud_id, hecho, texto in EntregaOCDSHistorica.objects.filter(
                solicitud_id__in=historicas
            ).values_list("solicitud_id", "hecho", "entrega")
        }
    return guardadas


# Kept releases read and, when masked again they change, written back, this many at a time.
ENMASCARAR_DE_UNA_VEZ = 500


def entregas_enmascarar() -> int:
    """Every kept release with the text people typed masked again by today's predicate
    (entregas.enmascarar), written back only when that changes it; how many changed.

    A release is kept as first published, and the standard wants it immutable; but one kept
    before the detector recognised a form of a person's data (issue 77: «GATA7SOSO3SD1» as a
    contract's supplier, published verbatim in its month's package) would be served with it
    for ever. Personal data is not published: such a release is corrected in place, as the
    masked text entrega_de would write today. Run after each migration (publico.apps), so a
    new detector reaches what was published before it; idempotent."""
    cambiadas = 0
    for modelo in (EntregaOCDS, EntregaOCDSHistorica):
        ultima = None
        while True:
            filas = modelo.objects.order_by("pk")
            if ultima is not None:
                filas = filas.filter(pk__gt=ultima)
            filas = list(filas.values_list("pk", "entrega")[:ENMASCARAR_DE_UNA_VEZ])
            if not filas:
                break
            ultima = filas[-1][0]
            nuevas = []
            for pk, texto in filas:
                guardada = json.loads(texto)
                if (enmascarada := enmascarar(guardada)) != guardada:
                    nuevas.append(modelo(pk=pk, entrega=_texto(enmascarada)))
            modelo.objects.bulk_update(nuevas, ["entrega"])
            cambiadas += len(nuevas)
    return cambiadas


def _publicadas(hechos: list, *, ninguna_guardada=False) -> list[dict]:
    """Each fact's release as it was first published (EntregaOCDS for an event,
    EntregaOCDSHistorica for a fact of a request without history), and those not yet
    published worked out now and kept. ninguna_guardada: the caller chose the facts with no
    release kept."""
    guardadas = {} if ninguna_guardada else _guardadas(hechos)
    nuevas = [h for h in hechos if _clave(h) not in guardadas]
    ctx = Contexto(nuevas) if nuevas else None
    fechas = _fechas(nuevas) if nuevas else {}
    lista, de_eventos, historicas, ahora = [], [], [], timezone.now()
    for hecho in hechos:
        if (guardada := guardadas.get(_clave(hecho))) is not None:
            lista.append(json.loads(guardada))
            continue
        fecha = fechas[hecho.solicitud_id, hecho.numero]
        entrega = entrega_de(hecho, ctx, fecha)
        lista.append(entrega)
        comun = {"entrega": _texto(entrega), "fecha": fecha, "publicada_en": ahora}
        if isinstance(hecho, EventoAuditoria):
            de_eventos.append(EntregaOCDS(evento_id=hecho.pk, **comun))
        else:
            historicas.append(
                EntregaOCDSHistorica(
                    solicitud_id=hecho.solicitud_id,
                    hecho=hecho.numero,
                    ocurrido_en=hecho.ocurrido_en,
                    **comun,
                )
            )
    # Two first readers at once: the first one's stays (the other's is the same release).
    EntregaOCDS.objects.bulk_create(de_eventos, ignore_conflicts=True)
    EntregaOCDSHistorica.objects.bulk_create(historicas, ignore_conflicts=True)
    return lista
