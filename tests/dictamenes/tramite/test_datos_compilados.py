"""The request page's own rows read by queries compiled once (acciones._datos_de with the
page's reviews) are the rows Django's prefetch_related reads (without them): the same items,
each with the same opinions, requirements and quotes (with their file's hash) in the same
order, each pointing back at its owner; the same questions and dictámenes."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from dictamenes.models import Anexo, Cotizacion, RevisionArea, Solicitud
from dictamenes.tramite.selectors import acciones
from tests.dictamenes import flujo_utils as fu

pytestmark = pytest.mark.django_db


def _resumen(partidas, peticiones, dictamenes) -> list:
    return [
        [
            (
                p.pk,
                p.solicitud_id,
                p.perfil.categoria.area.clave,
                [(o.pk, o.partida is p) for o in p.opiniones.all()],
                [(r.pk, r.perfil is p.perfil) for r in p.perfil.requisitos.all()],
                [(c.pk, c.anexo_sha256, c.partida is p) for c in p.cotizaciones.all()],
                p.declaraciones,
            )
            for p in partidas
        ],
        [(q.pk, q.area.clave, q.pedida_por_id) for q in peticiones],
        [(d.pk, d.sustituto_folio, [c.pk for c in d.contratos.all()]) for d in dictamenes],
    ]


def test_las_filas_compiladas_son_las_de_prefetch_related(demo):
    dictamen = fu.firmar(fu.en_firma(areas=("computo", "redes")))
    # Two quotes of the first item with their files (the hash read in the same query), given
    # in the order of neither their price nor their id.
    partida = dictamen.solicitud.partidas.first()
    hoy = timezone.localdate()
    for i, (proveedor, precio) in enumerate((("Dos, S.C.", "160"), ("Uno, S.A.", "150"))):
        anexo = Anexo.objects.create(
            solicitud=dictamen.solicitud,
            tipo="cotizacion",
            archivo=f"expedientes/cotizacion-{i}.pdf",
            nombre=f"cotizacion-{i}.pdf",
            content_type="application/pdf",
            tamano=100,
            sha256=str(i) * 64,
            subido_por=fu.usuario("requirente.sh"),
        )
        Cotizacion.objects.create(
            partida=partida,
            proveedor=proveedor,
            precio_unitario=Decimal(precio),
            fecha=hoy - datetime.timedelta(days=10),
            vigencia=hoy + datetime.timedelta(days=20),
            anexo=anexo,
        )
    vistas = set()
    for solicitud in Solicitud.objects.all():
        revisiones = list(RevisionArea.objects.filter(solicitud=solicitud))
        compiladas = acciones._datos_de(solicitud=solicitud, revisiones=revisiones)
        assert _resumen(*compiladas) == _resumen(
            *acciones._datos_de(solicitud=solicitud, revisiones=None)
        ), solicitud.folio
        for partida in compiladas[0]:
            for nombre in ("opiniones", "cotizaciones"):
                if getattr(partida, nombre).all():
                    vistas.add(nombre)
        if compiladas[2]:
            vistas.add("dictamenes")
    assert vistas == {"opiniones", "cotizaciones", "dictamenes"}  # each kind of row was seen
