"""A refused POST on the request's page renders the page again, but does not read twice what
the refused service already read (issue 79): a refused presentation says what is missing from
the refusal itself, not from a second pass over the items, their quotes and the attachments."""

import html
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dictamenes import exceptions
from dictamenes.models import Solicitud
from dictamenes.tramite.services import solicitudes
from tests.dictamenes.flujo_utils import borrador, detalle, usuario

pytestmark = pytest.mark.django_db

# The tables the list of what is missing reads: the items, their quotes, the request's letter,
# the edition of the standards in force.
LO_QUE_FALTA = (
    'FROM "dictamenes_partida"',
    'FROM "dictamenes_cotizacion"',
    'FROM "dictamenes_anexo"',
    'FROM "estandares_publicacion"',
)


def _consultas(hacer):
    with CaptureQueriesContext(connection) as capturadas:
        resultado = hacer()
    return resultado, [q["sql"] for q in capturadas.captured_queries]


def _intento(solicitud):
    """The queries of the refused service alone, called as the view calls it."""
    requirente = usuario("requirente.sh")

    def presentar():
        with pytest.raises(solicitudes.FaltaParaPresentar), transaction.atomic():
            solicitudes.solicitud_presentar(solicitud=solicitud, usuario=requirente)

    return _consultas(presentar)[1]


def test_la_presentacion_rechazada_no_vuelve_a_leer_lo_que_falta(demo, como):
    # Items of $40,000.00 against $1,030,000.00 declared: presenting it is refused.
    solicitud = borrador(areas=("computo", "redes"))
    Solicitud.objects.filter(pk=solicitud.pk).update(monto_estimado=Decimal("1030000"))
    solicitud.refresh_from_db()
    c = como("requirente.sh")
    c.get(detalle(solicitud))  # the catalogues every page keeps, read once
    _r, pagina = _consultas(lambda: c.get(detalle(solicitud)))
    intento = _intento(solicitud)

    r, rechazada = _consultas(lambda: c.post(reverse("solicitudes:presentar", args=[solicitud.pk])))

    assert r.status_code == 400
    contenido = r.content.decode()
    no_cuadra = exceptions.ERROR_MONTO_NO_CUADRA % {
        "declarado": "$1,030,000.00",
        "partidas": "$40,000.00",
    }
    # The refusal in the banner, and again in the list of what is missing, as before.
    assert contenido.count(html.escape(str(no_cuadra))) == 2
    # What is missing was read once, by the service; the page took it from the refusal.
    del_servicio = [q for q in intento if any(tabla in q for tabla in LO_QUE_FALTA)]
    assert len(del_servicio) == len(LO_QUE_FALTA)
    for consulta in del_servicio:
        assert rechazada.count(consulta) == 1, consulta
    # The page after the refusal, past the service's own reads, costs less than from scratch.
    lecturas = [q for q in intento if "SAVEPOINT" not in q]
    assert len(rechazada) - len(lecturas) < len(pagina), (
        len(rechazada),
        len(lecturas),
        len(pagina),
    )
