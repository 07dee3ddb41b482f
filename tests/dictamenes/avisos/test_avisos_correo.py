"""E-mails that lead to the action (issue 34, item 2). For each notice: what it says (subject,
the facts the reader needs: result, deadlines, conditions) and where it links, an exact
absolute address that, opened by the person who receives it, answers 200 at the block where
they act. Both parts of the e-mail (text and HTML) carry that link, and a retry sends the
e-mail the decision wrote."""

import re

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db.models import Max
from django.test import Client
from django.utils import formats, timezone

from dictamenes.avisos import services as avisos
from dictamenes.emision.services import rectificacion
from dictamenes.encuestas import services as encuestas
from dictamenes.models import Area, Aviso, CambioPendiente
from dictamenes.personas.services import control_dual as cambios
from dictamenes.seguimiento.services import condiciones
from dictamenes.tramite.selectors.plazos import vencimiento_de
from dictamenes.tramite.selectors.tareas import tareas_abiertas
from dictamenes.tramite.services import etapas
from tests.dictamenes.flujo_utils import (
    PDF_MINIMO,
    admitida,
    credencial,
    en_firma,
    firmar,
    presentada,
    proponer,
    usuario,
)

pytestmark = pytest.mark.django_db

BASE = "https://dictamenes.sonora.gob.mx"
REQUIRENTES_SH = ["requirente.sh@demo.invalid"]

CONDICIONES = (
    "1. Seguridad informática: entregar la matriz de riesgos del firewall.\n"
    "- redes: acreditar el enlace redundante con el proveedor."
)


@pytest.fixture(autouse=True)
def url_publica(settings):
    settings.DICTAMENES_URL_PUBLICA = BASE + "/"


@pytest.fixture
def marca(demo):
    """Only the avisos a test causes (the demo leaves some in the outbox)."""
    return Aviso.objects.aggregate(m=Max("pk"))["m"] or 0


def aviso(marca, asunto: str) -> Aviso:
    """The one aviso with this subject since `marca`, checked for what every aviso owes its
    reader: an absolute link, in the text and as the HTML button, and why they receive it."""
    [encontrado] = Aviso.objects.filter(pk__gt=marca, asunto=asunto)
    assert encontrado.enlace.startswith(BASE + "/")
    assert f"\n{encontrado.enlace}\n" in encontrado.mensaje
    assert f'<a href="{encontrado.enlace}" style="display:inline-block' in encontrado.html
    assert "Recibe este aviso porque" in encontrado.mensaje
    assert "Recibe este aviso porque" in encontrado.html
    return encontrado


def abrir(quien: str, enlace: str) -> str:
    """Open the e-mail's link as its reader: 200, and the anchor is on the page."""
    ruta, _, ancla = enlace.removeprefix(BASE).partition("#")
    cliente = Client()
    cliente.force_login(usuario(quien))
    respuesta = cliente.get(ruta)
    assert respuesta.status_code == 200
    html = respuesta.content.decode()
    if ancla:
        assert f'id="{ancla}"' in html
    return html


def fecha(valor) -> str:
    return formats.date_format(valor, "d/m/Y")


# --- Every notice --------------------------------------------------------------------------


def test_el_correo_va_en_html_con_su_alternativa_de_texto_y_ambas_llevan_el_enlace(
    marca, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        solicitud = presentada()
    registrado = aviso(marca, f"Nueva tarea: Admisión · {solicitud.folio}")
    [correo] = [m for m in mail.outbox if m.subject.endswith(registrado.asunto)]
    assert isinstance(correo, EmailMultiAlternatives)
    assert correo.subject == f"[Dictámenes TIC] Nueva tarea: Admisión · {solicitud.folio}"
    assert correo.body == registrado.mensaje
    [(html, tipo)] = correo.alternatives
    assert tipo == "text/html" and html == registrado.html
    enlace = f"{BASE}/solicitudes/{solicitud.pk}/#acciones"
    assert enlace in correo.body and f'href="{enlace}"' in html
    # The site's identity, in es-MX.
    assert '<html lang="es-MX">' in html
    assert "Dictámenes TIC" in html and "Subsecretaría de Gobierno Digital" in html
    assert correo.body.startswith("Dictámenes TIC · Subsecretaría de Gobierno Digital\n")


def test_un_enlace_relativo_no_se_encola(marca):
    with pytest.raises(ValueError, match="debe ser absoluto"):
        avisos.aviso_encolar(
            asunto="Prueba",
            mensaje="Texto.",
            destinatarios=["alguien@demo.invalid"],
            enlace="/solicitudes/1/#acciones",
            accion="Ver",
            motivo="Prueba.",
        )
    assert not Aviso.objects.filter(pk__gt=marca).exists()


def test_el_reintento_envia_el_mismo_correo(marca, django_capture_on_commit_callbacks, monkeypatch):
    def falla(**kwargs):
        raise ConnectionRefusedError("SMTP caído")

    monkeypatch.setattr(avisos, "correo_enviar", falla)
    with django_capture_on_commit_callbacks(execute=True):
        solicitud = presentada()
    registrado = aviso(marca, f"Nueva tarea: Admisión · {solicitud.folio}")
    assert registrado.enviado_en is None and registrado.intentos == 1
    monkeypatch.undo()
    mail.outbox.clear()
    avisos.avisos_pendientes_enviar()
    [correo] = [m for m in mail.outbox if m.subject.endswith(registrado.asunto)]
    assert correo.body == registrado.mensaje
    assert correo.alternatives[0][0] == registrado.html


# --- Each event ---------------------------------------------------------------------------


def test_nueva_tarea_a_quien_puede_tomarla_con_su_vencimiento(marca):
    solicitud = presentada()
    tarea = aviso(marca, f"Nueva tarea: Admisión · {solicitud.folio}")
    assert tarea.destinatarios == ["mesa@demo.invalid"]
    abierta = next(t for t in tareas_abiertas(solicitud=solicitud) if (t.data or {}).get("vence"))
    dia = timezone.localtime(vencimiento_de(tarea=abierta))
    assert f"Vence el {dia:%d/%m/%Y}." in tarea.mensaje
    assert tarea.enlace == f"{BASE}/solicitudes/{solicitud.pk}/#acciones"
    assert "Atender «Admisión»" in tarea.html
    pagina = abrir("mesa", tarea.enlace)
    assert f'action="/solicitudes/{solicitud.pk}/admision/"' in pagina


def test_la_prevencion_dice_que_falta_y_hasta_cuando_y_lleva_a_subsanar(marca):
    solicitud = presentada()
    etapas.admision_resolver(
        solicitud=solicitud,
        usuario=usuario("mesa"),
        admitir=False,
        faltantes="El anexo técnico firmado.",
    )
    solicitud.refresh_from_db()
    vence = f"{timezone.localtime(solicitud.proceso.subsanar_vence):%d/%m/%Y}"
    prevencion = aviso(marca, f"Prevención de la solicitud {solicitud.folio}")
    assert prevencion.destinatarios == REQUIRENTES_SH
    assert "Falta:\nEl anexo técnico firmado." in prevencion.mensaje
    # The deadline once (issue 47: the paragraph and the details both gave it).
    assert "Subsánela dentro del plazo de abajo; si no, se desechará sin dictamen." in (
        prevencion.mensaje
    )
    assert f"- Plazo para subsanar: {vence}\n" in prevencion.mensaje
    assert prevencion.mensaje.count(vence) == 1
    assert prevencion.html.count(vence) == 1
    assert prevencion.enlace == f"{BASE}/solicitudes/{solicitud.pk}/#acciones"
    pagina = abrir("requirente.sh", prevencion.enlace)
    assert f'action="/solicitudes/{solicitud.pk}/subsanar/"' in pagina


def test_al_presentar_el_requirente_recibe_su_acuse(marca, django_capture_on_commit_callbacks):
    """Issue 47: nothing told the agency its request had arrived. The acuse goes in the
    outbox with the presentation: the folio, when, what was asked, and what comes next."""
    with django_capture_on_commit_callbacks(execute=True):
        solicitud = presentada()
    acuse = aviso(marca, f"Acuse de recibo de la solicitud {solicitud.folio}")
    assert acuse.destinatarios == REQUIRENTES_SH
    recibida = timezone.localtime(solicitud.presentada_en)
    assert f"recibió la solicitud {solicitud.folio} «{solicitud.titulo}»" in acuse.mensaje
    assert f"- Recibida el: {recibida:%d/%m/%Y a las %H:%M}\n" in acuse.mensaje
    assert f"- Partidas: {solicitud.partidas.count()}\n" in acuse.mensaje
    # The figure it gives is named for what it is (issue 78): not «monto estimado».
    assert "- Suma de las partidas: $20,000.00\n" in acuse.mensaje
    assert "si falta algo, le enviará una prevención" in acuse.mensaje
    assert acuse.enlace == f"{BASE}/solicitudes/{solicitud.pk}/#t-historial"
    [correo] = [
        c
        for c in mail.outbox
        if c.subject.endswith(f"Acuse de recibo de la solicitud {solicitud.folio}")
    ]
    assert correo.to == REQUIRENTES_SH


def test_la_peticion_de_informacion_y_su_respuesta_llevan_a_quien_debe_actuar(marca):
    solicitud = admitida()
    computo = Area.objects.get(clave="computo")
    peticion = etapas.informacion_pedir(
        solicitud=solicitud,
        usuario=usuario("revisor.computo"),
        area=computo,
        pregunta="¿Cuántas ventanillas atienden?",
    )
    pedida = aviso(marca, f"Se pide información sobre la solicitud {solicitud.folio}")
    assert pedida.destinatarios == REQUIRENTES_SH
    assert "¿Cuántas ventanillas atienden?" in pedida.mensaje
    assert pedida.enlace == f"{BASE}/solicitudes/{solicitud.pk}/#acciones"
    pagina = abrir("requirente.sh", pedida.enlace)
    assert f'action="/solicitudes/{solicitud.pk}/peticiones/{peticion.pk}/responder/"' in pagina

    etapas.informacion_responder(
        peticion=peticion, usuario=usuario("requirente.sh"), respuesta="Doce ventanillas."
    )
    respuesta = aviso(marca, f"Respondieron su petición de información · {solicitud.folio}")
    assert respuesta.destinatarios == ["revisor.computo@demo.invalid"]
    assert "Respuesta: Doce ventanillas." in respuesta.mensaje
    assert respuesta.enlace == f"{BASE}/solicitudes/{solicitud.pk}/#acciones"
    pagina = abrir("revisor.computo", respuesta.enlace)
    assert f'action="/solicitudes/{solicitud.pk}/revision/computo/"' in pagina


@pytest.fixture
def condicionado(demo):
    return firmar(
        en_firma(areas=("redes", "seguridad"), resultado="condicionado", condiciones=CONDICIONES)
    )


def test_el_dictamen_da_resultado_condiciones_con_plazo_y_lleva_a_la_solicitud(marca):
    dictamen = firmar(
        en_firma(areas=("redes", "seguridad"), resultado="condicionado", condiciones=CONDICIONES)
    )
    solicitud = dictamen.solicitud
    emitido = aviso(marca, f"Dictamen {dictamen.folio} emitido para la solicitud {solicitud.folio}")
    assert emitido.destinatarios == REQUIRENTES_SH
    assert "tiene dictamen FAVORABLE CONDICIONADO." in emitido.mensaje
    assert "- Resultado: Favorable condicionado\n" in emitido.mensaje
    assert f"- Vigente hasta: {fecha(dictamen.vigencia_hasta)}\n" in emitido.mensaje
    c1, c2 = dictamen.obligaciones.order_by("numero")
    seguridad, redes = Area.objects.get(clave="seguridad"), Area.objects.get(clave="redes")
    assert (
        f"- Condición 1 · vence el {fecha(c1.vence)}: Entregar la matriz de riesgos del "
        f"firewall. (la verifica: {seguridad.nombre})\n" in emitido.mensaje
    )
    assert (
        f"- Condición 2 · vence el {fecha(c2.vence)}: Acreditar el enlace redundante con el "
        f"proveedor. (la verifica: {redes.nombre})\n" in emitido.mensaje
    )
    assert f"Condición 1 · vence el {fecha(c1.vence)}</th>" in emitido.html
    # First the request, where evidence and contracts are recorded; verification second.
    assert emitido.enlace == f"{BASE}/solicitudes/{solicitud.pk}/#condiciones"
    verificar = f"{BASE}/verificar/{dictamen.folio}/"
    assert emitido.mensaje.index(emitido.enlace) < emitido.mensaje.index(verificar)
    assert f'href="{verificar}"' in emitido.html
    pagina = abrir("requirente.sh", emitido.enlace)
    assert f'action="/solicitudes/{solicitud.pk}/condiciones/{c1.pk}/evidencia/"' in pagina


def test_el_dictamen_favorable_lleva_a_registrar_el_contrato(marca):
    dictamen = firmar(en_firma())
    solicitud = dictamen.solicitud
    emitido = aviso(marca, f"Dictamen {dictamen.folio} emitido para la solicitud {solicitud.folio}")
    assert "tiene dictamen FAVORABLE." in emitido.mensaje
    assert "Condición" not in emitido.mensaje
    assert emitido.enlace == f"{BASE}/solicitudes/{solicitud.pk}/#t-dictamen"
    pagina = abrir("requirente.sh", emitido.enlace)
    assert 'id="registrar-contrato"' in pagina


def test_el_no_favorable_no_da_vigencia(marca):
    dictamen = firmar(en_firma(resultado="no_favorable", motivos="No se justifica."))
    emitido = aviso(
        marca, f"Dictamen {dictamen.folio} emitido para la solicitud {dictamen.solicitud.folio}"
    )
    assert "tiene dictamen NO FAVORABLE." in emitido.mensaje
    assert "Vigente hasta" not in emitido.mensaje
    assert emitido.enlace == f"{BASE}/solicitudes/{dictamen.solicitud_id}/#t-dictamen"
    abrir("requirente.sh", emitido.enlace)


def test_la_encuesta_lleva_a_su_formulario(marca):
    dictamen = firmar(en_firma())
    solicitud = dictamen.solicitud
    invitacion = aviso(marca, f"¿Cómo le atendimos? Solicitud {solicitud.folio}")
    assert invitacion.destinatarios == REQUIRENTES_SH
    assert invitacion.enlace == encuestas.url_encuesta(solicitud=solicitud)
    assert invitacion.enlace == f"{BASE}/solicitudes/{solicitud.pk}/encuesta/"
    pagina = abrir("requirente.sh", invitacion.enlace)
    assert '<form method="post" class="formulario"' in pagina


def _subir(condicion):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return condiciones.condicion_evidencia_subir(
        condicion=condicion,
        usuario=usuario("requirente.sh"),
        archivo=SimpleUploadedFile("matriz.pdf", PDF_MINIMO, content_type="application/pdf"),
    )


def test_evidencia_rechazo_y_verificacion_avisan_a_quien_sigue(condicionado, marca):
    c1 = condicionado.obligaciones.get(numero=1)
    solicitud = condicionado.solicitud
    enlace = f"{BASE}/solicitudes/{solicitud.pk}/#condicion-1"

    _subir(c1)
    por_verificar = aviso(
        marca, f"Evidencia por verificar: condición 1 del dictamen {condicionado.folio}"
    )
    assert por_verificar.destinatarios == ["revisor.seguridad@demo.invalid"]
    assert "- Evidencia: matriz.pdf\n" in por_verificar.mensaje
    assert f"- La condición vence el: {fecha(c1.vence)}\n" in por_verificar.mensaje
    assert por_verificar.enlace == enlace
    pagina = abrir("revisor.seguridad", enlace)
    assert f'action="/solicitudes/{solicitud.pk}/condiciones/{c1.pk}/verificar/"' in pagina

    condiciones.condicion_rechazar(
        condicion=c1, usuario=usuario("revisor.seguridad"), motivo="La matriz no tiene firmas."
    )
    rechazo = aviso(marca, f"Evidencia rechazada: condición 1 del dictamen {condicionado.folio}")
    assert rechazo.destinatarios == REQUIRENTES_SH
    assert "Motivo: La matriz no tiene firmas." in rechazo.mensaje
    assert f"- La condición vence el: {fecha(c1.vence)}\n" in rechazo.mensaje
    assert rechazo.enlace == enlace
    pagina = abrir("requirente.sh", enlace)
    assert f'action="/solicitudes/{solicitud.pk}/condiciones/{c1.pk}/evidencia/"' in pagina

    _subir(c1)
    condiciones.condicion_verificar(condicion=c1, usuario=usuario("revisor.seguridad"))
    cumplida = aviso(marca, f"Condición 1 del dictamen {condicionado.folio} cumplida")
    assert cumplida.destinatarios == REQUIRENTES_SH
    assert "la condición está cumplida a tiempo." in cumplida.mensaje
    assert cumplida.enlace == enlace
    pagina = abrir("requirente.sh", enlace)
    fila = pagina[pagina.index('id="condicion-1"') :]
    assert "Cumplida a tiempo" in fila[: fila.index("</tr>")]


def test_cancelacion_y_rectificacion_del_dictamen(marca):
    dictamen = firmar(en_firma())
    solicitud = dictamen.solicitud
    proponer(dictamen, resultado="condicionado", condiciones="Acreditar la garantía.")
    propuesta = aviso(marca, f"Rectificación por firmar: dictamen {dictamen.folio}")
    assert propuesta.destinatarios == ["firmante@demo.invalid"]
    assert propuesta.enlace == f"{BASE}/solicitudes/{solicitud.pk}/#propuesta-rectificacion"
    abrir("firmante", propuesta.enlace)

    evento = solicitud.eventos.filter(tipo="propuesta_rectificacion").latest("numero")
    nuevo = rectificacion.dictamen_rectificar(
        dictamen=dictamen, usuario=usuario("firmante"), credencial=credencial(), propuesta=evento.pk
    )
    rectificado = aviso(marca, f"Dictamen {dictamen.folio} rectificado por el {nuevo.folio}")
    assert rectificado.destinatarios == REQUIRENTES_SH
    condicion = nuevo.obligaciones.get()
    assert (
        f"- Condición 1 · vence el {fecha(condicion.vence)}: Acreditar la garantía."
        in rectificado.mensaje
    )
    assert rectificado.enlace == f"{BASE}/solicitudes/{solicitud.pk}/#condiciones"
    abrir("requirente.sh", rectificado.enlace)

    rectificacion.dictamen_cancelar(
        dictamen=nuevo,
        usuario=usuario("firmante"),
        credencial=credencial(),
        motivo="El ente desistió de la compra.",
    )
    cancelado = aviso(marca, f"Dictamen {nuevo.folio} cancelado")
    assert cancelado.destinatarios == REQUIRENTES_SH
    assert "Motivo: El ente desistió de la compra." in cancelado.mensaje
    assert cancelado.enlace == f"{BASE}/solicitudes/{solicitud.pk}/#t-dictamen"
    assert f"{BASE}/verificar/{nuevo.folio}/" in cancelado.mensaje
    abrir("requirente.sh", cancelado.enlace)


def test_el_cambio_por_aprobar_avisa_a_la_otra_persona_administradora_y_su_resultado(marca):
    cambio = cambios.cambio_identidad_pedir(
        persona=usuario("auditor"),
        por=usuario("admin"),
        motivo="Oficio SGD/9/2026",
        email="auditora.nueva@demo.invalid",
    )
    por_aprobar = aviso(marca, "Cambio por aprobar: cuenta auditor")
    # Not who asked it, not the person it changes: they may not approve it.
    assert por_aprobar.destinatarios == ["admin2@demo.invalid"]
    assert "- Motivo: Oficio SGD/9/2026\n" in por_aprobar.mensaje
    assert por_aprobar.enlace == f"{BASE}/cuentas/cambios/#cambio-{cambio.pk}"
    pagina = abrir("admin2", por_aprobar.enlace)
    # Its row, to its buttons (its values are a table of their own, issue 59).
    fila = pagina[pagina.index(f'id="cambio-{cambio.pk}"') :]
    fila = fila[: fila.index("</tr>", fila.index('class="tabla__accion"'))]
    assert f'action="/cuentas/cambios/{cambio.pk}/"' in fila
    a_la_persona = aviso(marca, "Se pidió un cambio en su cuenta")
    assert a_la_persona.enlace == f"{BASE}/"

    cambios.cambio_rechazar(cambio=cambio, por=usuario("admin2"), motivo="No hay oficio.")
    assert CambioPendiente.objects.get(pk=cambio.pk).estado == "rechazado"
    resuelto = aviso(marca, "Cambio rechazado: cuenta auditor")
    assert resuelto.destinatarios == ["admin@demo.invalid"]
    assert "Motivo del rechazo: No hay oficio." in resuelto.mensaje
    assert resuelto.enlace == f"{BASE}/cuentas/cambios/#t-resueltos"
    abrir("admin", resuelto.enlace)


def test_ningun_aviso_del_tramite_lleva_un_enlace_relativo(condicionado):
    """Whatever the procedure queued (tasks, the dictamen, the survey...), the link is
    absolute and no body carries a bare path."""
    _subir(condicionado.obligaciones.get(numero=1))
    todos = list(Aviso.objects.filter(pk__gt=0))
    assert todos
    for registrado in todos:
        if not registrado.enlace:  # written before issue 34 (the demo's history)
            continue
        assert registrado.enlace.startswith(BASE + "/"), registrado.asunto
        assert not re.search(r"(?<![\w/.:])/(solicitudes|cuentas|planeacion)/", registrado.mensaje)


def test_la_tarea_reasignada_avisa_a_quien_ahora_la_tiene(marca):
    from dictamenes.models import Perfil
    from dictamenes.tramite.services import tareas
    from tests.dictamenes.flujo_utils import otra_mesa

    Perfil.objects.filter(usuario__username="mesa").update(es_jefe=True)
    otra = otra_mesa()
    solicitud = presentada()
    tarea = tareas_abiertas(solicitud=solicitud).get()
    tareas.tarea_reasignar(
        tarea=tarea, usuario=usuario("mesa"), nuevo=otra, motivo="Carga de trabajo"
    )
    asignada = aviso(marca, f"Tarea asignada: Admisión · {solicitud.folio}")
    assert asignada.destinatarios == ["mesa2@demo.invalid"]
    assert "Motivo: Carga de trabajo" in asignada.mensaje
    dia = timezone.localtime(vencimiento_de(tarea=tarea))
    assert f"Vence el {dia:%d/%m/%Y}." in asignada.mensaje
    assert asignada.enlace == f"{BASE}/solicitudes/{solicitud.pk}/#acciones"
    pagina = abrir("mesa2", asignada.enlace)
    assert f'action="/solicitudes/{solicitud.pk}/admision/"' in pagina


def test_la_tarea_liberada_al_retirar_un_rol_avisa_a_quienes_pueden_tomarla(marca):
    from dictamenes.personas.services import personas
    from dictamenes.roles import Rol
    from dictamenes.tramite.services import tareas
    from tests.dictamenes.flujo_utils import otra_mesa

    otra = otra_mesa()
    solicitud = presentada()
    tarea = tareas_abiertas(solicitud=solicitud).get()
    tareas.tarea_tomar(tarea=tarea, usuario=usuario("mesa"))
    from dictamenes.personas.services import control_dual

    pedido = personas.rol_retirar(
        usuario=usuario("mesa"),
        rol=Rol.MESA_CONTROL,
        por=usuario("admin"),
        motivo="Baja por cambio de puesto",
    )
    control_dual.cambio_aprobar(cambio=pedido, por=usuario("admin2"))
    liberada = aviso(marca, f"Tarea sin responsable: Admisión · {solicitud.folio}")
    # Not the person who lost the role: the others of the mesa.
    assert liberada.destinatarios == [otra.email]
    assert liberada.enlace == f"{BASE}/solicitudes/{solicitud.pk}/#acciones"
    pagina = abrir("mesa2", liberada.enlace)
    assert f'action="/solicitudes/{solicitud.pk}/tareas/{tarea.pk}/tomar/"' in pagina
