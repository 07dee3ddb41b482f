"""Issue 92, item 6: issuing a dictamen writes the prices observed under it (and the references
of their profiles) from the items it read to seal and print the dictamen, not from a second
read of them. What it writes is what a fresh read of the request writes, and an item's decision
changed after the strategic decision and before the signature is what both print and price."""

import hashlib
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dictamenes.emision.services import firma
from dictamenes.models import DecisionPartida, PrecioObservado, ReferenciaPrecio
from dictamenes.precios import reglas
from dictamenes.precios import services as precios
from tests.dictamenes.flujo_utils import en_firma, firmar

pytestmark = pytest.mark.django_db


def _observaciones(solicitud) -> list[dict]:
    campos = [f.attname for f in PrecioObservado._meta.concrete_fields if f.attname != "id"]
    return sorted(
        PrecioObservado.objects.filter(solicitud=solicitud).values(*campos),
        key=lambda o: o["partida_id"],
    )


def _referencias() -> list[dict]:
    campos = [f.attname for f in ReferenciaPrecio._meta.concrete_fields if f.attname != "id"]
    return sorted(
        ReferenciaPrecio.objects.values(*campos),
        key=lambda r: (r["categoria_clave"], r["perfil_clave"], r["unidad"]),
    )


def test_la_emision_escribe_los_precios_de_las_partidas_como_estan_al_firmar(demo):
    solicitud = en_firma(areas=("computo", "redes"))
    cambiada, igual = solicitud.partidas.order_by("pk")
    # Between the decision and the signature the first item's decision changes (one unit at
    # $9,000.00 instead of two at $10,000.00): the dictamen prints it, and prices it.
    DecisionPartida.objects.filter(partida=cambiada).update(
        resultado=DecisionPartida.Resultado.REDUCIDA,
        cantidad_aprobada=1,
        monto_aprobado=Decimal("9000.00"),
    )
    with CaptureQueriesContext(connection) as consultas:
        dictamen = firmar(solicitud)
    emitidas, referencias = _observaciones(solicitud), _referencias()

    por_partida = {o["partida_id"]: o for o in emitidas}
    assert por_partida[cambiada.pk]["cantidad"] == 1
    assert por_partida[cambiada.pk]["precio"] == reglas.normalizar(
        Decimal("9000.00"), cambiada.unidad, cambiada.meses
    )
    assert por_partida[igual.pk]["cantidad"] == 2
    assert por_partida[igual.pk]["precio"] == reglas.normalizar(
        Decimal("10000.00"), igual.unidad, igual.meses
    )
    claves = {(o["categoria_clave"], o["perfil_clave"], o["unidad"]) for o in emitidas}
    assert {(r["categoria_clave"], r["perfil_clave"], r["unidad"]) for r in referencias} >= claves
    # What the dictamen sealed (and its PDF prints) is the changed decision too.
    contenido = firma.contenido_canonico(
        solicitud=solicitud,
        resultado=dictamen.resultado,
        condiciones=dictamen.condiciones,
        motivos=dictamen.motivos,
        vigencia_hasta=dictamen.vigencia_hasta,
    )
    assert hashlib.sha256(contenido).hexdigest() == dictamen.contenido_sha256
    assert b'"monto_aprobado":"9000.00"' in contenido

    # The items were read once, with their decisions, to seal, print and price the dictamen.
    sql = [q["sql"] for q in consultas.captured_queries]
    assert len([q for q in sql if 'FROM "dictamenes_partida"' in q]) == 1, sql

    # A fresh read of the request (what a contract or a rectification does) writes the same
    # observations and references.
    precios.observaciones_de_solicitud(solicitud_id=solicitud.pk)
    assert _observaciones(solicitud) == emitidas
    assert _referencias() == referencias
