"""Conditions as obligations (issue 21, item 2): each condition of a favorable condicionado
dictamen is tracked with a due date in business days; the agency uploads evidence, the area
that proposed it verifies it or rejects it with a reason, every step audited; overdue ones
show a red light to the Subsecretaría; the indicators give the share met on time."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html

from dictamenes.comun import archivos
from dictamenes.models import Aviso, Condicion, EventoAuditoria
from dictamenes.organizacion.selectors import textos
from dictamenes.organizacion.selectors.calendario import dias_habiles_entre, sumar_dias_habiles
from dictamenes.organizacion.services import textos as textos_servicio
from dictamenes.seguimiento.selectors import condiciones as lecturas
from dictamenes.seguimiento.services import condiciones
from estandares.motivos import ERROR_MOTIVO as ERROR_MOTIVO_DE_LA_REGLA
from estandares.motivos import PARAMETROS
from tests.conftest import entrar
from tests.dictamenes.flujo_utils import PDF_MINIMO, en_firma, firmar, usuario
from tests.por_modulo import de_nuevo, por_modulo

pytestmark = pytest.mark.django_db

CONDICIONES = (
    "1. Seguridad informática: entregar la matriz de riesgos del firewall.\n"
    "2. Presentar el programa de capacitación del personal.\n"
    "\n"
    "- redes: acreditar el enlace redundante con el proveedor."
)


dictamen_del_modulo = por_modulo(
    lambda: firmar(
        en_firma(
            areas=("redes", "seguridad"),
            resultado="condicionado",
            condiciones=CONDICIONES,
        )
    )
)


@pytest.fixture
def dictamen(demo, dictamen_del_modulo):
    return de_nuevo(dictamen_del_modulo)


def evidencia(nombre="matriz.pdf", contenido=PDF_MINIMO):
    return SimpleUploadedFile(nombre, contenido, content_type="application/pdf")


def condicion(dictamen, numero) -> Condicion:
    return dictamen.obligaciones.get(numero=numero)


def subir(c, quien="requirente.sh", **kwargs):
    return condiciones.condicion_evidencia_subir(
        condicion=c, usuario=usuario(quien), archivo=kwargs.pop("archivo", evidencia()), **kwargs
    )


def test_cada_condicion_es_una_obligacion_con_su_area_y_su_plazo_habil(dictamen):
    filas = list(dictamen.obligaciones.select_related("area").order_by("numero"))
    assert [(c.texto, c.area.clave if c.area else None) for c in filas] == [
        ("Entregar la matriz de riesgos del firewall.", "seguridad"),
        # Two areas reviewed it and the line names none: the Dirección General verifies it.
        ("Presentar el programa de capacitación del personal.", None),
        ("Acreditar el enlace redundante con el proveedor.", "redes"),
    ]
    emitido = timezone.localdate(dictamen.emitido_en)
    assert {c.vence for c in filas} == {sumar_dias_habiles(desde=emitido, dias=20)}
    assert {c.estado for c in filas} == {Condicion.Estado.PENDIENTE}
    evento = EventoAuditoria.objects.get(tipo="condiciones_creadas")
    assert evento.solicitud_id == dictamen.solicitud_id
    assert [c["area"] for c in evento.datos["condiciones"]] == ["seguridad", None, "redes"]


def test_con_una_sola_area_revisora_la_condicion_es_de_esa_area(demo):
    # The deadline is the institution's texts' (issue 35): a version with 5 days.
    vigentes = textos.textos_vigentes()
    datos = {c: getattr(vigentes, c) for c in textos_servicio.CAMPOS[:-1]}
    textos_servicio.textos_guardar(
        usuario=usuario("admin"), datos={**datos, "condicion_dias_habiles": 5}
    )
    d = firmar(en_firma(areas=("redes",), resultado="condicionado", condiciones="Acreditar X."))
    c = d.obligaciones.get()
    assert c.area.clave == "redes"
    assert c.vence == sumar_dias_habiles(desde=timezone.localdate(d.emitido_en), dias=5)


def test_un_dictamen_favorable_no_tiene_obligaciones(demo):
    d = firmar(en_firma(areas=("redes",)))
    assert not d.obligaciones.exists()
    assert not EventoAuditoria.objects.filter(tipo="condiciones_creadas").exists()


def test_ciclo_evidencia_rechazo_nueva_evidencia_y_verificacion_a_tiempo(dictamen):
    c = condicion(dictamen, 1)  # seguridad
    subir(c, nota="Matriz firmada por el titular.")
    c.refresh_from_db()
    assert c.estado == Condicion.Estado.EN_VERIFICACION
    aviso = Aviso.objects.get(asunto__startswith="Evidencia por verificar")
    assert usuario("revisor.seguridad").email in aviso.destinatarios
    assert usuario("revisor.redes").email not in aviso.destinatarios

    condiciones.condicion_rechazar(
        condicion=c, usuario=usuario("revisor.seguridad"), motivo="Falta la firma del titular."
    )
    c.refresh_from_db()
    assert (c.estado, c.motivo_rechazo) == (
        Condicion.Estado.RECHAZADA,
        "Falta la firma del titular.",
    )
    rechazo = Aviso.objects.get(asunto__startswith="Evidencia rechazada")
    assert usuario("requirente.sh").email in rechazo.destinatarios
    assert "Falta la firma del titular." in rechazo.mensaje

    subir(c, archivo=evidencia("matriz-firmada.pdf"))
    condiciones.condicion_verificar(condicion=c, usuario=usuario("revisor.seguridad"))
    c.refresh_from_db()
    assert c.estado == Condicion.Estado.CUMPLIDA
    assert c.a_tiempo is True
    assert c.verificada_por == usuario("revisor.seguridad")
    assert [e.nombre for e in c.evidencias.all()] == ["matriz.pdf", "matriz-firmada.pdf"]
    tipos = list(
        EventoAuditoria.objects.filter(tipo__startswith="condicion_")
        .order_by("numero")
        .values_list("tipo", "datos__a")
    )
    assert tipos == [
        ("condicion_evidencia", "verificacion"),
        ("condicion_rechazada", "rechazada"),
        ("condicion_evidencia", "verificacion"),
        ("condicion_cumplida", "cumplida"),
    ]
    # Verified once and for all.
    with pytest.raises(ValidationError) as exc:
        subir(c)
    assert exc.value.messages == [str(condiciones.ERROR_YA_CUMPLIDA)]
    with pytest.raises(ValidationError) as exc:
        condiciones.condicion_verificar(condicion=c, usuario=usuario("revisor.seguridad"))
    assert exc.value.messages == [str(condiciones.ERROR_YA_CUMPLIDA)]


@pytest.mark.parametrize(
    ("numero", "quien", "mensaje"),
    [
        (1, "revisor.redes", condiciones.ERROR_NO_VERIFICA % {"area": "Seguridad informática"}),
        (1, "estrategico", condiciones.ERROR_NO_VERIFICA % {"area": "Seguridad informática"}),
        (1, "requirente.sh", None),
        (1, "auditor", None),
        (
            2,
            "revisor.seguridad",
            condiciones.ERROR_NO_VERIFICA_DG % {"unidad": "la Dirección General"},
        ),
    ],
)
def test_solo_el_area_que_la_propuso_verifica(dictamen, numero, quien, mensaje):
    c = condicion(dictamen, numero)
    subir(c)
    with pytest.raises(PermissionDenied) as exc:
        condiciones.condicion_verificar(condicion=c, usuario=usuario(quien))
    if mensaje is not None:
        assert str(exc.value) == str(mensaje)
    c.refresh_from_db()
    assert c.estado == Condicion.Estado.EN_VERIFICACION


def test_la_condicion_sin_area_la_verifica_la_direccion_general(dictamen):
    c = condicion(dictamen, 2)
    subir(c)
    condiciones.condicion_verificar(condicion=c, usuario=usuario("estrategico"))
    c.refresh_from_db()
    assert c.estado == Condicion.Estado.CUMPLIDA


@pytest.mark.parametrize("quien", ["requirente.rc", "revisor.seguridad", "mesa"])
def test_solo_el_ente_sube_evidencia(dictamen, quien):
    with pytest.raises(PermissionDenied):
        subir(condicion(dictamen, 1), quien=quien)
    assert not condicion(dictamen, 1).evidencias.exists()


def test_mientras_se_verifica_no_se_sube_otra_ni_se_rechaza_sin_motivo(dictamen):
    c = condicion(dictamen, 1)
    subir(c)
    with pytest.raises(ValidationError) as exc:
        subir(c)
    assert exc.value.messages == [str(condiciones.ERROR_EN_VERIFICACION)]
    with pytest.raises(ValidationError) as exc:
        condiciones.condicion_rechazar(
            condicion=c, usuario=usuario("revisor.seguridad"), motivo=" "
        )
    assert exc.value.messages == [str(condiciones.ERROR_MOTIVO)]
    with pytest.raises(ValidationError) as exc:
        condiciones.condicion_verificar(
            condicion=condicion(dictamen, 3), usuario=usuario("revisor.redes")
        )
    assert exc.value.messages == [str(condiciones.ERROR_SIN_EVIDENCIA)]


def test_un_archivo_que_no_es_lo_que_dice_se_rechaza(dictamen):
    c = condicion(dictamen, 1)
    with pytest.raises(ValidationError) as exc:
        subir(c, archivo=evidencia("matriz.pdf", b"MZ\x90\x00 ejecutable"))
    assert exc.value.messages == [str(archivos.ERROR_TIPO)]
    c.refresh_from_db()
    assert c.estado == Condicion.Estado.PENDIENTE
    assert not c.evidencias.exists()
    assert not EventoAuditoria.objects.filter(tipo="condicion_evidencia").exists()


def habiles_antes(fecha, dias):
    """The day `dias` business days before `fecha`."""
    dia = fecha
    while dias_habiles_entre(inicio=dia, fin=fecha) < dias:
        dia -= datetime.timedelta(days=1)
    return dia


def ir_a(time_machine, dia):
    mediodia = datetime.datetime.combine(dia, datetime.time(12))
    time_machine.move_to(timezone.make_aware(mediodia), tick=False)


def test_vencida_sin_cumplir_se_pone_en_rojo_y_cumplirla_tarde_no_cuenta_a_tiempo(
    dictamen, time_machine
):
    c = condicion(dictamen, 3)
    assert lecturas.cumplimiento()["exigibles"] == 0
    filas = {f.condicion.numero: f.semaforo for f in lecturas.condiciones_por_cumplir()}
    assert filas == {1: "verde", 2: "verde", 3: "verde"}

    # Three business days before the due date: amber (within DJANGO_CONDICION_DIAS_AVISO, 5).
    ir_a(time_machine, habiles_antes(c.vence, 3))
    assert {f.semaforo for f in lecturas.condiciones_por_cumplir()} == {"amarillo"}
    ir_a(time_machine, habiles_antes(c.vence, 6))
    assert {f.semaforo for f in lecturas.condiciones_por_cumplir()} == {"verde"}

    # The day after it falls due, nothing met: red, and overdue in the indicator.
    despues = c.vence + datetime.timedelta(days=1)
    ir_a(time_machine, despues)
    assert {f.semaforo for f in lecturas.condiciones_por_cumplir()} == {"rojo"}
    cifras = lecturas.cumplimiento()
    assert (cifras["exigibles"], cifras["vencidas"], cifras["a_tiempo"]) == (3, 3, 0)
    assert cifras["pct_a_tiempo"] == 0.0

    # Met late: no longer on the list, met but not on time.
    subir(c)
    condiciones.condicion_verificar(condicion=c, usuario=usuario("revisor.redes"))
    c.refresh_from_db()
    assert (c.estado, c.a_tiempo) == (Condicion.Estado.CUMPLIDA, False)
    assert 3 not in {f.condicion.numero for f in lecturas.condiciones_por_cumplir()}
    cifras = lecturas.cumplimiento()
    assert (cifras["exigibles"], cifras["vencidas"], cifras["a_tiempo"]) == (3, 2, 0)


# --- Through the pages ------------------------------------------------------------------------


def test_el_ente_presenta_y_el_area_verifica_desde_la_pagina_de_la_solicitud(dictamen, client):
    solicitud, c = dictamen.solicitud, condicion(dictamen, 1)
    detalle = reverse("solicitudes:detalle", args=[solicitud.pk])
    entrar(client, "requirente.sh")
    html = client.get(detalle).content.decode()
    assert "Condiciones del dictamen" in html
    assert "Entregar la matriz de riesgos del firewall." in html
    assert "Presentar evidencia de la condición 1" in html
    assert "Verificar la evidencia" not in html
    respuesta = client.post(
        reverse("solicitudes:condicion_evidencia", args=[solicitud.pk, c.pk]),
        {"condicion-archivo": evidencia(), "condicion-nota": "Firmada."},
        follow=True,
    )
    html = respuesta.content.decode()
    assert "Evidencia de la condición 1 presentada; el área la verificará." in html
    assert "Evidencia en verificación" in html
    evidencia_pk = c.evidencias.get().pk
    descarga = client.get(
        reverse("solicitudes:condicion_evidencia_descargar", args=[solicitud.pk, evidencia_pk])
    )
    assert b"".join(descarga.streaming_content) == PDF_MINIMO
    client.logout()

    # Another area's reviewer sees the conditions but has no form, and is refused by the door.
    entrar(client, "revisor.redes")
    assert "Verificar la evidencia de la condición 1" not in client.get(detalle).content.decode()
    url = reverse("solicitudes:condicion_verificar", args=[solicitud.pk, c.pk])
    negado = client.post(url, {"verificar-accion": "verificar"})
    assert negado.status_code == 403
    assert "Solo quienes revisan el área de Seguridad informática" in negado.content.decode()
    client.logout()

    entrar(client, "revisor.seguridad")
    assert "Verificar la evidencia de la condición 1" in client.get(detalle).content.decode()
    sin_motivo = client.post(url, {"verificar-accion": "rechazar"})
    assert sin_motivo.status_code == 400
    assert str(condiciones.ERROR_MOTIVO) in sin_motivo.content.decode()
    # A reason that says nothing: refused beside its field, what was typed kept (issue 93).
    corto = client.post(url, {"verificar-accion": "rechazar", "verificar-motivo": "Mal, no."})
    assert corto.status_code == 400
    html = corto.content.decode()
    assert f'aria-describedby="motivo-{c.pk}-error">Mal, no.</textarea>' in html
    # Beside that field, not only in the page's message.
    (error,) = lxml_html.fromstring(html).xpath(f"//span[@id='motivo-{c.pk}-error']")
    assert " ".join(error.text_content().split()) == str(ERROR_MOTIVO_DE_LA_REGLA % PARAMETROS)
    hecho = client.post(url, {"verificar-accion": "verificar"}, follow=True)
    assert "Condición 1 verificada como cumplida." in hecho.content.decode()
    assert "Cumplida a tiempo" in hecho.content.decode()
    otra_vez = client.post(url, {"verificar-accion": "verificar"})
    assert otra_vez.status_code == 400
    assert str(condiciones.ERROR_YA_CUMPLIDA) in otra_vez.content.decode()


def test_una_evidencia_mala_se_rechaza_en_espanol(dictamen, client):
    c = condicion(dictamen, 1)
    url = reverse("solicitudes:condicion_evidencia", args=[dictamen.solicitud_id, c.pk])
    entrar(client, "requirente.sh")
    vacia = client.post(url, {})
    assert vacia.status_code == 400
    assert str(condiciones.ERROR_SIN_ARCHIVO) in vacia.content.decode()
    exe = client.post(url, {"condicion-archivo": evidencia("x.pdf", b"MZ\x90\x00")})
    assert exe.status_code == 400
    assert "Solo se aceptan PDF y documentos de oficina" in exe.content.decode()
    assert not c.evidencias.exists()


def test_otro_ente_no_ve_ni_toca_las_condiciones(dictamen, client):
    c = condicion(dictamen, 1)
    entrar(client, "requirente.rc")
    pk = dictamen.solicitud_id
    assert client.get(reverse("solicitudes:detalle", args=[pk])).status_code == 404
    url = reverse("solicitudes:condicion_evidencia", args=[pk, c.pk])
    assert client.post(url, {"condicion-archivo": evidencia()}).status_code == 404
    assert not c.evidencias.exists()


def test_la_subsecretaria_ve_el_semaforo_y_el_indicador(dictamen, client, time_machine):
    lista = reverse("planeacion:condiciones")
    entrar(client, "requirente.sh")
    assert client.get(lista).status_code == 403
    client.logout()
    subir(condicion(dictamen, 3))
    condiciones.condicion_verificar(
        condicion=condicion(dictamen, 3), usuario=usuario("revisor.redes")
    )
    ir_a(time_machine, condicion(dictamen, 1).vence + datetime.timedelta(days=1))
    entrar(client, "auditor")
    html = client.get(lista).content.decode()
    assert "2 condiciones vencidas sin cumplir" in html
    assert html.count('semaforo--rojo">Vencida') == 2
    assert "Acreditar el enlace redundante" not in html  # met: off the list
    indicadores = client.get(reverse("indicadores")).content.decode()
    assert "Condiciones cumplidas a tiempo" in indicadores
    assert "33.3 % (1 de 3)" in indicadores
    client.logout()
    # The agency reads the same on its request's page.
    client.force_login(usuario("requirente.sh"))
    detalle = client.get(reverse("solicitudes:detalle", args=[dictamen.solicitud_id]))
    html = detalle.content.decode()
    assert html.count("semaforo--rojo") == 2 and html.count("· vencida") == 2
    assert "Cumplida a tiempo" in html


def _consultas_del_detalle(client, n) -> int:
    texto = "\n".join(
        f"{'Redes' if i % 2 else 'Seguridad informática'}: paso {i}." for i in range(n)
    )
    d = firmar(en_firma(areas=("redes", "seguridad"), resultado="condicionado", condiciones=texto))
    url = reverse("solicitudes:detalle", args=[d.solicitud_id])
    client.get(url)  # the caches (calendar, catalogues) warm
    with CaptureQueriesContext(connection) as consultas:
        assert client.get(url).status_code == 200
    return len(consultas)


@pytest.mark.parametrize("quien", ["revisor.seguridad", "requirente.sh"])
def test_el_bloque_de_condiciones_cuesta_lo_mismo_con_dos_que_con_ocho(demo, client, quien):
    client.force_login(usuario(quien))
    # A first request of the same agency and categories, so that both measured ones have
    # related requests (a possible split purchase, issue 48, is read in one query).
    _consultas_del_detalle(client, 1)
    assert _consultas_del_detalle(client, 2) == _consultas_del_detalle(client, 8)


def test_a_quien_no_le_toca_se_le_dice_por_que_y_no_que_adjunte_un_archivo(dictamen, client):
    c = condicion(dictamen, 1)
    client.force_login(usuario("mesa"))
    url = reverse("solicitudes:condicion_evidencia", args=[dictamen.solicitud_id, c.pk])
    respuesta = client.post(url, {})
    assert respuesta.status_code == 403
    assert "Esta solicitud no es de su dependencia." in respuesta.content.decode()
    assert str(condiciones.ERROR_SIN_ARCHIVO) not in respuesta.content.decode()
