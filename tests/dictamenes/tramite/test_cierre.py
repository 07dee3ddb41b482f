"""Closing a request early, through the one door: the agency withdraws it (desistimiento) or
the Dirección General cancels it (cancelación), with a reason in the chain. Its process ends
with it: no step is left open in any inbox or queue, nothing waits on a timer."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from dictamenes import exceptions
from dictamenes.comun import auditoria
from dictamenes.models import Aviso, EventoAuditoria, Solicitud
from dictamenes.roles import Rol
from dictamenes.tramite.services import cierre, etapas
from tests.dictamenes.flujo_utils import (
    admitida,
    borrador,
    detalle,
    doble_rol,
    en_firma,
    firmar,
    presentada,
    revisada,
    revisar,
    usuario,
)

pytestmark = pytest.mark.django_db

MOTIVO = "La dependencia consiguió el equipo por donación del gobierno federal."
ABIERTAS = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED, STATUS.SCHEDULED)


def en_etapa(etapa):
    if etapa == "admision":
        return presentada(areas=("computo", "redes"))
    if etapa == "prevenida":
        solicitud = presentada()
        etapas.admision_resolver(
            solicitud=solicitud, usuario=usuario("mesa"), admitir=False, faltantes="La cotización."
        )
        solicitud.refresh_from_db()
        return solicitud
    if etapa == "revision_tecnica":
        # One area done, the other open, and the join of the reviews waiting.
        solicitud = admitida(areas=("computo", "redes"))
        revisar(solicitud, "computo")
        return solicitud
    if etapa == "revision_estrategica":
        return revisada()
    return en_firma()


def abiertas(solicitud):
    return Task.objects.filter(process=solicitud.proceso, status__in=ABIERTAS)


ETAPAS = ["admision", "prevenida", "revision_tecnica", "revision_estrategica", "firma"]


@pytest.mark.parametrize("etapa", ETAPAS)
def test_el_requirente_desiste_en_cualquier_etapa_y_el_proceso_termina(demo, etapa):
    solicitud = en_etapa(etapa)
    assert solicitud.estado == etapa
    assert abiertas(solicitud).exists()

    cierre.solicitud_desistir(solicitud=solicitud, usuario=usuario("requirente.sh"), motivo=MOTIVO)

    solicitud.refresh_from_db()
    assert solicitud.estado == Solicitud.Estado.DESISTIDA
    assert solicitud.atendida_en is not None and solicitud.dias_habiles_atencion is not None
    evento = solicitud.eventos.order_by("-numero").first()
    assert (evento.tipo, evento.usuario, evento.motivo) == (
        "desistimiento",
        usuario("requirente.sh"),
        MOTIVO,
    )
    assert evento.datos["de"] == etapa and evento.datos["a"] == "desistida"
    # Nothing left open: human steps, the join of the reviews, the deadline's timer.
    assert not abiertas(solicitud).exists()
    solicitud.proceso.refresh_from_db()
    assert solicitud.proceso.status == PROCESS.CANCELED
    assert auditoria.cadena_verificar().roto_en is None


def test_desistida_sale_de_las_bandejas_y_las_colas(demo, como):
    solicitud = presentada(titulo="Equipo que ya no se necesita")
    cola = reverse("workflow:queue")
    assert "Equipo que ya no se necesita" in como("mesa").get(cola).content.decode()
    cierre.solicitud_desistir(solicitud=solicitud, usuario=usuario("requirente.sh"), motivo=MOTIVO)
    for persona in ("mesa", "revisor.computo", "estrategico", "firmante"):
        c = como(persona)
        for lista in (cola, reverse("workflow:inbox")):
            assert "Equipo que ya no se necesita" not in c.get(lista).content.decode()


def test_quien_tenia_el_paso_lo_ve_cancelado_en_sus_concluidas(demo, como):
    from dictamenes.tramite.services import tareas

    solicitud = admitida(titulo="Equipo retirado")
    tarea = abiertas(solicitud).get(flow_task_type="HUMAN")
    tareas.tarea_tomar(tarea=tarea, usuario=usuario("revisor.computo"))
    cierre.solicitud_desistir(solicitud=solicitud, usuario=usuario("requirente.sh"), motivo=MOTIVO)
    html = como("revisor.computo").get(reverse("workflow:archive")).content.decode()
    fila = html[html.index(solicitud.folio) :]
    fila = fila[: fila.index("</tr>")]
    assert "cancelada al cerrarse la solicitud" in fila


@pytest.mark.parametrize(
    ("estado", "preparar"),
    [
        ("borrador", lambda: borrador()),
        ("dictaminada", lambda: firmar(en_firma()).solicitud),
        (
            "desistida",
            lambda: cierre.solicitud_desistir(
                solicitud=presentada(), usuario=usuario("requirente.sh"), motivo=MOTIVO
            ),
        ),
    ],
)
def test_no_se_desiste_antes_de_presentar_ni_despues_de_concluir(demo, estado, preparar):
    solicitud = preparar()
    solicitud.refresh_from_db()
    eventos = EventoAuditoria.objects.count()
    with pytest.raises(ValidationError) as error:
        cierre.solicitud_desistir(
            solicitud=solicitud, usuario=usuario("requirente.sh"), motivo=MOTIVO
        )
    assert error.value.messages == [
        str(exceptions.ERROR_CIERRE_NO_DISPONIBLE) % {"estado": Solicitud.Estado(estado).label}
    ]
    solicitud.refresh_from_db()
    assert solicitud.estado == estado and EventoAuditoria.objects.count() == eventos


def test_sin_motivo_no_se_cierra_y_nadie_ajeno_desiste(demo):
    solicitud = admitida()
    with pytest.raises(ValidationError, match="Escriba el motivo del cierre"):
        cierre.solicitud_desistir(
            solicitud=solicitud, usuario=usuario("requirente.sh"), motivo="   "
        )
    for persona in ("requirente.rc", "mesa", "estrategico", "auditor"):
        with pytest.raises(
            PermissionDenied, match=re.escape(str(exceptions.ERROR_NO_ES_DE_SU_ENTE))
        ):
            cierre.solicitud_desistir(solicitud=solicitud, usuario=usuario(persona), motivo=MOTIVO)
    solicitud.refresh_from_db()
    assert solicitud.estado == "revision_tecnica" and abiertas(solicitud).exists()


def test_la_direccion_general_cancela_y_avisa_a_la_dependencia(demo):
    solicitud = admitida(titulo="Servidores duplicados")
    cierre.solicitud_cancelar(
        solicitud=solicitud,
        usuario=usuario("estrategico"),
        motivo="Duplica el contrato marco de centro de datos vigente.",
    )
    solicitud.refresh_from_db()
    assert solicitud.estado == Solicitud.Estado.CANCELADA
    evento = solicitud.eventos.order_by("-numero").first()
    assert evento.tipo == "cancelacion_solicitud" and evento.usuario == usuario("estrategico")
    assert evento.datos["pasos_cancelados"] == ["Revisión técnica: Equipo de cómputo e impresión"]
    assert not abiertas(solicitud).exists()
    aviso = Aviso.objects.get(asunto=f"Solicitud {solicitud.folio} cancelada")
    assert usuario("requirente.sh").email in aviso.destinatarios
    assert "Duplica el contrato marco" in aviso.mensaje


def test_cancelar_solicitud_es_solo_de_la_direccion_general_y_no_de_quien_reviso(demo):
    solicitud = admitida(areas=("redes",))
    for persona in ("mesa", "firmante", "revisor.redes", "auditor", "requirente.sh"):
        with pytest.raises(PermissionDenied, match=re.escape(str(exceptions.ERROR_NO_CANCELA))):
            cierre.solicitud_cancelar(
                solicitud=solicitud,
                usuario=usuario(persona),
                motivo="Se canceló el programa de compras.",
            )
    from dictamenes.models import Area

    doble = doble_rol(
        Rol.REVISOR_TECNICO, Rol.REVISOR_ESTRATEGICO, areas=[Area.objects.get(clave="redes")]
    )
    revisar(solicitud, "redes", revisor=doble)
    with pytest.raises(PermissionDenied, match=re.escape(str(exceptions.ERROR_CANCELA_REVISOR))):
        cierre.solicitud_cancelar(
            solicitud=solicitud, usuario=doble, motivo="Se canceló el programa de compras."
        )
    solicitud.refresh_from_db()
    assert solicitud.estado == "revision_estrategica"


def test_cerrada_no_responde_peticiones_ni_revive_por_viewflow(demo, client):
    area = "computo"
    solicitud = admitida(areas=(area,))
    from dictamenes.models import Area

    peticion = etapas.informacion_pedir(
        solicitud=solicitud,
        usuario=usuario("revisor.computo"),
        area=Area.objects.get(clave=area),
        pregunta="¿Cuántos equipos?",
    )
    cierre.solicitud_desistir(solicitud=solicitud, usuario=usuario("requirente.sh"), motivo=MOTIVO)
    with pytest.raises(ValidationError):
        etapas.informacion_responder(
            peticion=peticion, usuario=usuario("requirente.sh"), respuesta="Diez."
        )
    # A superuser cannot bring a cancelled step back with viewflow's revive.
    client.force_login(
        get_user_model().objects.create_superuser("raiz", "raiz@demo.invalid", "x" * 14)
    )
    cancelada = Task.objects.get(
        process=solicitud.proceso, flow_task_type="HUMAN", status="CANCELED"
    )
    revive = cancelada.flow_task.reverse("revive", args=[solicitud.proceso.pk, cancelada.pk])
    assert client.post(revive).status_code == 403
    assert not abiertas(solicitud).exists()


# --- The request's page ------------------------------------------------------------------------


def test_desistir_desde_la_pagina_con_motivo_y_confirmacion(demo, como):
    solicitud = admitida()
    c = como("requirente.sh")
    html = c.get(detalle(solicitud)).content.decode()
    assert "Desistir de la solicitud" in html and "Cancelar la solicitud" not in html
    url = reverse("solicitudes:desistir", args=[solicitud.pk])

    sin_confirmar = c.post(url, {"desistir-motivo": MOTIVO})
    assert sin_confirmar.status_code == 400
    assert "Confirme que desea cerrar la solicitud." in sin_confirmar.content.decode()
    solicitud.refresh_from_db()
    assert solicitud.estado == "revision_tecnica"

    r = c.post(url, {"desistir-motivo": MOTIVO, "desistir-confirmar": "on"})
    assert r.status_code == 302 and r.url == detalle(solicitud)
    html = c.get(detalle(solicitud)).content.decode()
    assert 'id="estado-solicitud">Desistida<' in html
    assert "Desistimiento: la dependencia retiró la solicitud" in html  # the stepper
    assert "la dependencia desistió de la solicitud, que se cerró sin dictamen" in html
    assert "Su dependencia desistió de esta solicitud el" in html  # what comes next
    assert MOTIVO in html
    assert "Desistir de la solicitud" not in html and "Pasos en curso" not in html


def test_desistir_es_solo_de_su_dependencia_en_la_pagina(demo, como):
    solicitud = admitida()
    url = reverse("solicitudes:desistir", args=[solicitud.pk])
    datos = {"desistir-motivo": MOTIVO, "desistir-confirmar": "on"}
    assert como("requirente.rc").post(url, datos).status_code == 404
    r = como("mesa").post(url, datos)
    assert r.status_code == 403
    assert str(exceptions.ERROR_NO_ES_DE_SU_ENTE) in r.content.decode()
    assert "Desistir de la solicitud" not in como("mesa").get(detalle(solicitud)).content.decode()
    assert como("requirente.sh").get(url).status_code == 405
    solicitud.refresh_from_db()
    assert solicitud.estado == "revision_tecnica"


def test_la_direccion_general_cancela_desde_la_pagina(demo, como):
    solicitud = presentada()
    c = como("estrategico")
    assert "Cancelar la solicitud" in c.get(detalle(solicitud)).content.decode()
    for persona in ("mesa", "firmante", "auditor", "revisor.computo"):
        html = como(persona).get(detalle(solicitud)).content.decode()
        assert "Cancelar la solicitud" not in html
    url = reverse("solicitudes:cancelar_solicitud", args=[solicitud.pk])
    datos = {"cancelar_solicitud-motivo": "Duplica otra.", "cancelar_solicitud-confirmar": "on"}
    r = como("mesa").post(url, datos)
    assert r.status_code == 403 and str(exceptions.ERROR_NO_CANCELA) in r.content.decode()
    r = como("estrategico").post(url, datos)
    assert r.status_code == 302
    html = como("requirente.sh").get(detalle(solicitud)).content.decode()
    assert 'id="estado-solicitud">Cancelada<' in html
    assert "La Subsecretaría de Gobierno Digital canceló esta solicitud el" in html
    assert "Duplica otra." in html
    assert "Cancelación por la Subsecretaría de Gobierno Digital" in html


@pytest.mark.parametrize("estado", ["desistida", "cancelada"])
def test_la_lista_filtra_las_cerradas(demo, como, estado):
    solicitud = presentada(titulo="Para cerrar")
    if estado == "desistida":
        cierre.solicitud_desistir(
            solicitud=solicitud, usuario=usuario("requirente.sh"), motivo=MOTIVO
        )
    else:
        cierre.solicitud_cancelar(
            solicitud=solicitud,
            usuario=usuario("estrategico"),
            motivo="Se canceló el programa de compras.",
        )
    presentada(titulo="Sigue en trámite")
    html = como("auditor").get(reverse("solicitudes:lista"), {"estado": estado}).content.decode()
    assert "Para cerrar" in html and "Sigue en trámite" not in html
    assert f'<option value="{estado}" selected' in html


@pytest.mark.django_db(transaction=True)
def test_desistir_y_admitir_a_la_vez_la_solicitud_queda_cerrada_y_sin_pasos(demo):
    """On PostgreSQL, the agency desists while the mesa admits, at the same instant. Both lock
    the request: if the desistimiento goes first the admission is refused; if the admission
    goes first, the desistimiento then closes the admitted request. Either way it ends
    desistida with no step open anywhere, never half of each."""
    from tests.backends.paralelo import en_paralelo
    from tests.backends.plugin import require_postgres

    require_postgres()
    solicitud = presentada()

    def actuar(quien):
        if quien == "requirente.sh":
            return cierre.solicitud_desistir(
                solicitud=solicitud, usuario=usuario(quien), motivo=MOTIVO
            )
        return etapas.admision_resolver(solicitud=solicitud, usuario=usuario(quien), admitir=True)

    resultados, errores = en_paralelo(actuar, ["requirente.sh", "mesa"])
    assert len(resultados) + len(errores) == 2
    for error in errores:  # only the admission may come too late
        assert isinstance(error, ValidationError)
        assert error.messages == [
            str(exceptions.ERROR_PASO_NO_DISPONIBLE) % {"estado": "Desistida"}
        ]
    solicitud.refresh_from_db()
    assert solicitud.estado == Solicitud.Estado.DESISTIDA
    assert not abiertas(solicitud).exists()
    assert auditoria.cadena_verificar().roto_en is None


def _cierre_en(respuesta) -> tuple[str, bool]:
    """The page's closing section (without the per-response CSRF token), and whether its
    fields were rendered for this response."""
    html = respuesta.content.decode()
    seccion = html[html.index('id="cierre"') : html.index("</section>", html.index('id="cierre"'))]
    seccion = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "csrf", seccion)
    return seccion, "solicitudes/_cierre_campos.html" in {t.name for t in respuesta.templates}


def test_los_campos_del_cierre_se_pintan_una_vez_y_con_sus_errores_cada_vez(demo, como):
    """A fresh closing form reads the same on every visit: its fields are rendered once per
    closing and language. A refused one is rendered with its errors and what was typed, and
    each closing keeps its own fields."""
    solicitud = admitida()
    c = como("requirente.sh")
    seccion, pintados = _cierre_en(c.get(detalle(solicitud)))
    assert 'name="desistir-motivo"' in seccion and pintados
    assert _cierre_en(c.get(detalle(solicitud))) == (seccion, False)

    url = reverse("solicitudes:desistir", args=[solicitud.pk])
    rechazado, pintados = _cierre_en(c.post(url, {"desistir-motivo": MOTIVO}))
    assert pintados and "Confirme que desea cerrar la solicitud." in rechazado
    assert MOTIVO in rechazado
    assert _cierre_en(c.get(detalle(solicitud))) == (seccion, False)

    cancelar, _ = _cierre_en(como("estrategico").get(detalle(solicitud)))
    assert 'name="cancelar_solicitud-motivo"' in cancelar
    assert 'name="desistir-motivo"' not in cancelar
