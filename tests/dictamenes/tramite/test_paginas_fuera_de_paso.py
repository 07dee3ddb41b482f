"""The requester's pages that write a request refuse once it is past that step (issue 78,
item 5): «Nueva partida» opened on a signed request, a form with no save button. Every page
of the requester that writes a draft (its data, its items, their quotes) answers GET and POST
on a presented or concluded request by going back to the request with the reason, and writes
nothing. The pages of the solicitudes app that write for the requester, and why the others
are not here:

- editar, partida_nueva, partida, partida_eliminar, partida_cotizacion_agregar,
  partida_cotizacion_quitar: write the draft; guarded here (tramite.views.editable.
  fuera_de_su_paso), while the services refuse the same writes for the API and commands;
- anexo_subir: also open while an information request waits for its answer (its own rule in
  solicitudes.anexo_agregar): refused by the service, with its reason, tested below;
- partida_evaluar, partida_precio_en_vivo, via_prevista: answer what a form would give, and
  write nothing;
- presentar, subsanar, responder, desistir, encuesta, contrato, condicion_evidencia: steps of
  their own, refused by the flow or their services when their step is not open (their tests
  are beside those services)."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dictamenes import exceptions
from dictamenes.cotizaciones import services as cotizaciones
from dictamenes.models import Anexo, Cotizacion, EventoAuditoria, Partida, Solicitud
from dictamenes.tramite.services import etapas, solicitudes
from dictamenes.tramite.views.editable import PASO_PASADO_CERRADA, PASO_PASADO_EN_TRAMITE
from tests.dictamenes.flujo_utils import (
    PDF_MINIMO,
    borrador,
    decidir,
    detalle,
    firmar,
    revisar,
    usuario,
)

pytestmark = pytest.mark.django_db

REQUIRENTE = "requirente.sh"


def _pdf(nombre):
    return SimpleUploadedFile(nombre, PDF_MINIMO, "application/pdf")


def _con_cotizacion():
    """A draft with its item quoted once: each page has something to change or remove."""
    solicitud = borrador()
    cotizaciones.cotizacion_agregar(
        partida=solicitud.partidas.get(),
        usuario=usuario(REQUIRENTE),
        proveedor="Proveedora del Noroeste, S.A. de C.V.",
        precio_unitario=Decimal("10000.00"),
        fecha=timezone.localdate() - datetime.timedelta(days=3),
        vigencia=timezone.localdate() + datetime.timedelta(days=30),
        archivo=_pdf("cotizacion.pdf"),
    )
    return solicitud


def _presentada():
    solicitud = _con_cotizacion()
    return solicitudes.solicitud_presentar(solicitud=solicitud, usuario=usuario(REQUIRENTE))


def _dictaminada():
    solicitud = _presentada()
    etapas.admision_resolver(solicitud=solicitud, usuario=usuario("mesa"), admitir=True)
    solicitud.refresh_from_db()
    revisar(solicitud, "computo")
    solicitud.refresh_from_db()
    firmar(decidir(solicitud))
    solicitud.refresh_from_db()
    return solicitud


def _foto(solicitud) -> tuple:
    """Everything these pages could write, read straight from the tables."""
    return (
        Solicitud.objects.filter(pk=solicitud.pk).values().get(),
        list(Partida.objects.filter(solicitud=solicitud).order_by("pk").values()),
        list(Cotizacion.objects.filter(partida__solicitud=solicitud).order_by("pk").values()),
        Anexo.objects.filter(solicitud=solicitud).count(),
        EventoAuditoria.objects.filter(solicitud=solicitud).count(),
    )


def _paginas(solicitud) -> list[tuple[str, str, dict]]:
    partida = solicitud.partidas.get()
    cotizacion = Cotizacion.objects.get(partida=partida)
    datos_partida = {
        "guardar": "1",
        "perfil": partida.perfil_id,
        "descripcion": "Cambiada después de presentarla",
        "cantidad": 3,
        "precio_unitario": "9000.00",
        "capitulo": "5000",
        "partida_especifica": "51501",
        "version": partida.version,
    }
    return [
        ("get", reverse("solicitudes:editar", args=[solicitud.pk]), {}),
        (
            "post",
            reverse("solicitudes:editar", args=[solicitud.pk]),
            {
                "tipo_operacion": "adquisicion",
                "titulo": "Título cambiado después de presentarla",
                "justificacion": "Otra.",
                "alineacion": "Otra.",
                "monto_estimado": "1.00",
                "ejercicio": solicitud.ejercicio,
                "version": solicitud.version,
            },
        ),
        ("get", reverse("solicitudes:partida_nueva", args=[solicitud.pk]), {}),
        ("post", reverse("solicitudes:partida_nueva", args=[solicitud.pk]), datos_partida),
        ("get", reverse("solicitudes:partida", args=[solicitud.pk, partida.pk]), {}),
        ("post", reverse("solicitudes:partida", args=[solicitud.pk, partida.pk]), datos_partida),
        ("post", reverse("solicitudes:partida_eliminar", args=[solicitud.pk, partida.pk]), {}),
        (
            "post",
            reverse("solicitudes:partida_cotizacion_agregar", args=[solicitud.pk, partida.pk]),
            {
                "proveedor": "Otra proveedora, S.A. de C.V.",
                "precio_unitario": "9500.00",
                "fecha": f"{timezone.localdate() - datetime.timedelta(days=2):%Y-%m-%d}",
                "vigencia": f"{timezone.localdate() + datetime.timedelta(days=20):%Y-%m-%d}",
                "archivo": _pdf("otra.pdf"),
            },
        ),
        (
            "post",
            reverse("solicitudes:partida_cotizacion_quitar", args=[solicitud.pk, partida.pk]),
            {"cotizacion": cotizacion.pk},
        ),
    ]


@pytest.mark.parametrize(
    ("preparar", "motivo", "estado"),
    [
        (_presentada, PASO_PASADO_EN_TRAMITE, "En admisión"),
        (_dictaminada, PASO_PASADO_CERRADA, "Dictaminada"),
    ],
    ids=["presentada", "dictaminada"],
)
def test_las_paginas_que_escriben_el_borrador_se_niegan_pasado_su_paso(
    demo, como, preparar, motivo, estado
):
    solicitud = preparar()
    assert solicitud.get_estado_display() == estado
    c = como(REQUIRENTE)
    antes = _foto(solicitud)
    razon = str(motivo) % {"estado": estado}
    for metodo, url, datos in _paginas(solicitud):
        r = getattr(c, metodo)(url, datos)
        assert (metodo, url, r.status_code, r.headers.get("Location")) == (
            metodo,
            url,
            302,
            detalle(solicitud),
        )
        pagina = c.get(r.headers["Location"]).content.decode()
        assert razon in pagina, (metodo, url)
        assert _foto(solicitud) == antes, (metodo, url)


def test_el_anexo_de_una_solicitud_presentada_se_niega_con_su_razon(demo, como):
    """Its own rule (open while an information request waits): the service says why."""
    solicitud = _presentada()
    antes = _foto(solicitud)
    r = como(REQUIRENTE).post(
        reverse("solicitudes:anexo_subir", args=[solicitud.pk]),
        {"tipo": "anexo_tecnico", "archivo": _pdf("anexo.pdf")},
    )
    assert r.status_code == 400
    assert str(exceptions.ERROR_NO_EDITABLE) in r.content.decode()
    assert _foto(solicitud) == antes


def test_en_borrador_las_paginas_abren(demo, como):
    """The guard keeps a draft's pages open: the same GETs answer 200 on a draft."""
    solicitud = _con_cotizacion()
    c = como(REQUIRENTE)
    for metodo, url, _datos in _paginas(solicitud):
        if metodo == "get":
            assert (url, c.get(url).status_code) == (url, 200)
