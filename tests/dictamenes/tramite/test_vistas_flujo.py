"""The procedure through the HTTP views, as each person would click it."""

import html
import re

import pytest
from django.urls import reverse

from dictamenes import exceptions
from dictamenes.emision.services import firma
from dictamenes.models import Area, Solicitud
from tests.dictamenes.flujo_utils import (
    PDF_MINIMO,
    admitida,
    archivos_efirma,
    campos_decision,
    detalle,
    otra_mesa,
    pdf_valido,
    perfil_de_area,
    persona,
    presentada,
    usuario,
)

pytestmark = pytest.mark.django_db
Estado = Solicitud.Estado


def test_recorrido_completo_por_http(demo, como):
    from django.core.files.uploadedfile import SimpleUploadedFile

    anio = __import__("django.utils.timezone", fromlist=["x"]).localdate().year
    # Requirente: draft, item with autoevaluación, attachment, present.
    c = como("requirente.sh")
    r = c.post(
        reverse("solicitudes:nueva"),
        {
            "tipo_operacion": "adquisicion",
            "titulo": "Switches para oficinas",
            "ejercicio": anio,
            "monto_estimado": "180000",
            "justificacion": "Red obsoleta.",
            "alineacion": "Eje 3",
        },
    )
    solicitud = Solicitud.objects.get(titulo="Switches para oficinas")
    assert r.status_code == 302 and r.url == detalle(solicitud)

    perfil = perfil_de_area("redes")
    url_partida = reverse("solicitudes:partida_nueva", args=[solicitud.pk])
    pagina = c.get(url_partida, {"perfil": perfil.pk})
    assert "Especificaciones (autoevaluación)" in pagina.content.decode()
    r = c.post(
        url_partida,
        {
            "perfil": perfil.pk,
            "descripcion": "Switch de acceso 48 puertos",
            "cantidad": "4",
            "precio_unitario": "45000",
            "capitulo": "5000",
            "partida_especifica": "51501",
            "guardar": "1",
        },
    )
    assert r.status_code == 302
    partida = solicitud.partidas.get()
    assert partida.veredicto == "no_cumple"  # nothing stated yet: mandatory requisitos fail

    r = c.post(
        reverse("solicitudes:anexo_subir", args=[solicitud.pk]),
        {
            "tipo": "oficio",
            "archivo": SimpleUploadedFile("oficio.pdf", PDF_MINIMO),
        },
    )
    assert r.status_code == 302
    r = c.post(reverse("solicitudes:presentar", args=[solicitud.pk]))
    assert r.status_code == 302
    solicitud.refresh_from_db()
    assert solicitud.folio.startswith(f"SOL-{anio}-")

    # Mesa: prevención; requirente corrects; mesa admits.
    c = como("mesa")
    assert "Admisión" in c.get(detalle(solicitud)).content.decode()
    r = c.post(
        reverse("solicitudes:admision", args=[solicitud.pk]),
        {"decision": "prevenir", "faltantes": "Falta la cotización."},
    )
    assert r.status_code == 302
    c = como("requirente.sh")
    pagina = c.get(detalle(solicitud)).content.decode()
    assert "Subsanar la prevención" in pagina and "Falta la cotización." in pagina
    c.post(reverse("solicitudes:subsanar", args=[solicitud.pk]), {"texto": "Se adjunta."})
    c = como("mesa")
    c.post(reverse("solicitudes:admision", args=[solicitud.pk]), {"decision": "admitir"})
    solicitud.refresh_from_db()
    assert solicitud.estado == Estado.REVISION_TECNICA

    # Área de redes: asks for information, the requirente answers, the area concludes.
    c = como("revisor.redes")
    c.post(
        reverse("solicitudes:pedir_informacion", args=[solicitud.pk, "redes"]),
        {"pet-redes-texto": "¿Requiere PoE?"},
    )
    c = como("requirente.sh")
    peticion = solicitud.peticiones.get()
    c.post(
        reverse("solicitudes:responder", args=[solicitud.pk, peticion.pk]),
        {"texto": "Sí procede la compra."},
    )
    c = como("revisor.redes")
    datos = {
        "redes-opinion": "favorable",
        "redes-observaciones": "Adecuado.",
        f"redes-p{partida.pk}_opinion": "Cumple con PoE.",
    }
    r = c.post(reverse("solicitudes:revision_area", args=[solicitud.pk, "redes"]), datos)
    assert r.status_code == 302, r.content.decode()[:500]
    solicitud.refresh_from_db()
    assert solicitud.estado == Estado.REVISION_ESTRATEGICA

    # Estratégico decides; firmante issues.
    c = como("estrategico")
    r = c.post(
        reverse("solicitudes:estrategica", args=[solicitud.pk]),
        campos_decision(
            solicitud,
            motivos="Procede: cumple los estándares.",
            condiciones="Consolidar con la compra de la SSP.",
        ),
    )
    assert r.status_code == 302
    c = como("firmante")
    assert "Firmar y emitir el dictamen" in c.get(detalle(solicitud)).content.decode()
    r = c.post(reverse("solicitudes:firma", args=[solicitud.pk]), archivos_efirma())
    assert r.status_code == 302
    solicitud.refresh_from_db()
    assert (solicitud.estado, solicitud.resultado) == (Estado.DICTAMINADA, "condicionado")
    # A double click on "firmar" is refused in Spanish and issues nothing more.
    r = c.post(reverse("solicitudes:firma", args=[solicitud.pk]), archivos_efirma())
    assert r.status_code == 400
    assert "no se firma dos veces" in r.content.decode()
    assert solicitud.dictamenes.count() == 1

    pagina = como("auditor").get(detalle(solicitud)).content.decode()
    for texto in (
        "Solicitud presentada con folio",
        "Prevención emitida",
        "Falta la cotización.",
        "pide información",
        "emitido: Favorable condicionado",
    ):
        assert texto in pagina


def test_devolucion_a_un_area_por_http(demo, como):
    solicitud = admitida(areas=("redes",))
    partida = solicitud.partidas.get()
    datos = {"redes-opinion": "favorable", f"redes-p{partida.pk}_opinion": "Bien."}
    como("revisor.redes").post(
        reverse("solicitudes:revision_area", args=[solicitud.pk, "redes"]), datos
    )
    r = como("estrategico").post(
        reverse("solicitudes:estrategica", args=[solicitud.pk]),
        {
            "accion": "devolver",
            "area": Area.objects.get(clave="redes").pk,
            "motivos": "Revise la garantía.",
        },
    )
    assert r.status_code == 302
    solicitud.refresh_from_db()
    assert solicitud.estado == Estado.REVISION_TECNICA
    pagina = como("revisor.redes").get(detalle(solicitud)).content.decode()
    assert "Revisión técnica: Redes y telecomunicaciones" in pagina


def test_ajuste_sin_motivo_por_http_se_rechaza_y_conserva_lo_escrito(demo, como):
    solicitud = admitida(areas=("computo",))
    partida = solicitud.partidas.get()
    r = como("revisor.computo").post(
        reverse("solicitudes:revision_area", args=[solicitud.pk, "computo"]),
        {
            "computo-opinion": "favorable",
            f"computo-p{partida.pk}_opinion": "Mi opinión escrita",
            f"computo-p{partida.pk}_ram_resultado": "cumple",
        },
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert "escriba el motivo" in html
    assert "Mi opinión escrita" in html


def aviso(respuesta) -> str:
    """What the person reads on the refused page: the error message, or the 404 page's text."""
    pagina = html.unescape(respuesta.content.decode())
    if respuesta.status_code == 404:
        return re.search(r"La dirección no existe[^<]*", pagina).group(0).strip()
    return " ".join(re.findall(r'<li class="mensaje mensaje--error">(.*?)</li>', pagina))


NO_EXISTE = (404, "La dirección no existe o no tiene acceso a ella.")
NO_ES_DE_SU_ENTE = (403, str(exceptions.ERROR_NO_ES_DE_SU_ENTE))
NO_ATIENDE_EL_PASO = (403, str(exceptions.ERROR_SIN_PERMISO_PASO))
NO_ES_FIRMANTE = (403, str(firma.ERROR_NO_FIRMANTE))
PASO_NO_DISPONIBLE = (
    400,
    str(exceptions.ERROR_PASO_NO_DISPONIBLE) % {"estado": Estado.ADMISION.label},
)
# What the Subsecretaría's staff get on a request waiting for admission that is not theirs to
# act on: the agency's own actions are refused as "not your agency", the steps of a role they
# lack as "not your role", and the later steps as "not available yet" (the state is checked
# before the role there).
RECHAZO_A_INTERNOS = {
    "presentar": NO_ES_DE_SU_ENTE,
    "subsanar": NO_ES_DE_SU_ENTE,
    "anexo_subir": NO_ES_DE_SU_ENTE,
    "admision": NO_ATIENDE_EL_PASO,
    "firma": NO_ES_FIRMANTE,
    "estrategica": PASO_NO_DISPONIBLE,
    "revision_area": PASO_NO_DISPONIBLE,
}


def rechazo_esperado(username, accion):
    if username == "requirente.rc":
        return NO_EXISTE  # another agency's request does not exist for them
    if username == "firmante" and accion == "firma":
        return PASO_NO_DISPONIBLE  # their role, but nothing to sign yet
    return RECHAZO_A_INTERNOS[accion]


@pytest.mark.parametrize(
    "username",
    ["requirente.rc", "mesa", "revisor.redes", "estrategico", "firmante", "auditor", "admin"],
)
def test_nadie_actua_sobre_lo_que_no_le_toca(demo, como, username):
    """Each role tries every action on another agency's request, at a step that is not
    theirs, with a well-formed form (so the rule refuses it, not a missing field): each gets
    one exact refusal in Spanish, and nothing changes."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    solicitud = presentada()  # Secretaría de Hacienda, waiting for admission
    partida = solicitud.partidas.get()
    c = como(username)
    acciones = {
        "presentar": ([solicitud.pk], dict),
        "subsanar": ([solicitud.pk], lambda: {"texto": "Ya corregí lo que faltaba."}),
        "estrategica": (
            [solicitud.pk],
            lambda: campos_decision(solicitud, motivos="Procede: cumple los estándares."),
        ),
        "firma": ([solicitud.pk], archivos_efirma),
        "anexo_subir": (
            [solicitud.pk],
            lambda: {
                "tipo": "oficio",
                "archivo": SimpleUploadedFile("oficio.pdf", pdf_valido(), "application/pdf"),
            },
        ),
        "revision_area": (
            [solicitud.pk, "computo"],
            lambda: {
                "computo-opinion": "favorable",
                "computo-observaciones": "Revisado.",
                f"computo-p{partida.pk}_opinion": "Cumple.",
            },
        ),
    }
    if username != "mesa":
        acciones["admision"] = ([solicitud.pk], lambda: {"decision": "admitir"})
    obtenidos, esperados = {}, {}
    for accion, (args, datos) in acciones.items():
        r = c.post(reverse(f"solicitudes:{accion}", args=args), datos())
        obtenidos[accion] = (r.status_code, aviso(r))
        esperados[accion] = rechazo_esperado(username, accion)
    assert obtenidos == esperados
    solicitud.refresh_from_db()
    assert solicitud.estado == Estado.ADMISION
    # The last events are the presentation and the track it was given (issue 36).
    assert list(solicitud.eventos.values_list("tipo", flat=True))[-2:] == ["presentacion", "via"]
    assert solicitud.anexos.count() == 1


def test_un_requirente_no_ve_solicitudes_de_otra_dependencia(demo, como):
    solicitud = presentada()
    c = como("requirente.rc")
    assert c.get(detalle(solicitud)).status_code == 404
    assert c.get(reverse("solicitudes:editar", args=[solicitud.pk])).status_code == 404
    anexo = solicitud.anexos.get()
    assert c.get(reverse("solicitudes:anexo", args=[solicitud.pk, anexo.pk])).status_code == 404
    assert solicitud.folio not in c.get(reverse("solicitudes:lista")).content.decode()
    # The own agency's requirente downloads the attachment, byte for byte.
    r = como("requirente.sh").get(reverse("solicitudes:anexo", args=[solicitud.pk, anexo.pk]))
    assert b"".join(r.streaming_content) == PDF_MINIMO


def test_anexo_que_miente_sobre_su_tipo_se_rechaza_sin_guardar_nada(demo, como):
    from django.core.files.uploadedfile import SimpleUploadedFile

    solicitud = presentada()
    solicitud_borrador = Solicitud.objects.create(
        ente=solicitud.ente,
        ejercicio=solicitud.ejercicio,
        tipo_operacion="adquisicion",
        titulo="Otra",
        justificacion="x",
        alineacion="x",
        monto_estimado=1,
        creada_por=usuario("requirente.sh"),
    )
    r = como("requirente.sh").post(
        reverse("solicitudes:anexo_subir", args=[solicitud_borrador.pk]),
        {"tipo": "oficio", "archivo": SimpleUploadedFile("oficio.pdf", b"MZ\x90\x00binario")},
    )
    assert r.status_code == 400
    assert "Solo se aceptan PDF y documentos de oficina" in r.content.decode()
    assert not solicitud_borrador.anexos.exists()


def consultas(cliente, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as capturadas:
        assert cliente.get(url).status_code == 200
    return len(capturadas)


def test_las_consultas_no_crecen_con_las_filas(demo, client):
    """Inbox, queue, request list and detail: the same number of queries with 5 and with 50
    requests in the system."""
    from viewflow.workflow.models import Task

    from tests.dictamenes.flujo_utils import borrador

    def poblar(hasta):
        while Solicitud.objects.count() < hasta:
            s = presentada(titulo=f"Solicitud {Solicitud.objects.count()}")
            # Half of them wait in the mesa's own inbox, the rest in the shared queue.
            if s.pk % 2:
                tarea = Task.objects.get(process_id=s.proceso.pk, status="NEW")
                tarea.flow_task.activation_class(tarea).assign(usuario("mesa"))

    poblar(5)
    base = Solicitud.objects.order_by("pk").first()
    paginas = [
        ("mesa", "/flujos/workflow/inbox/"),
        ("mesa", "/flujos/workflow/queue/"),
        ("mesa", reverse("solicitudes:lista")),
        ("mesa", detalle(base)),
        ("requirente.sh", reverse("solicitudes:lista")),
        ("requirente.sh", detalle(base)),
    ]
    antes = {}
    for username, url in paginas:
        client.force_login(usuario(username))
        consultas(client, url)  # warm caches (content types, permissions) first
        antes[(username, url)] = consultas(client, url)
    poblar(50)
    borrador(titulo="Borrador extra con partidas")
    for username, url in paginas:
        client.force_login(usuario(username))
        consultas(client, url)
        assert consultas(client, url) == antes[(username, url)], (username, url)


def test_la_jefatura_reasigna_desde_la_pagina(demo, como):
    from dictamenes.models import Perfil

    Perfil.objects.filter(usuario__username="mesa").update(es_jefe=True)
    otra = otra_mesa()
    solicitud = presentada()
    c = como("mesa")
    assert "Reasignar a" in c.get(detalle(solicitud)).content.decode()
    tarea = solicitud.proceso.task_set.get(status="NEW")
    r = c.post(
        reverse("solicitudes:reasignar", args=[solicitud.pk, tarea.pk]),
        {"persona": otra.pk, "motivo": "Vacaciones"},
    )
    assert r.status_code == 302
    tarea.refresh_from_db()
    assert tarea.owner == otra
    # Someone who is not a chief gets a 403 and nothing moves.
    r = como("mesa2").post(
        reverse("solicitudes:reasignar", args=[solicitud.pk, tarea.pk]),
        {"persona": usuario("mesa").pk},
    )
    assert r.status_code == 403
    tarea.refresh_from_db()
    assert tarea.owner == otra


def test_registrar_una_suplencia(demo, como):
    import datetime

    from dictamenes.roles import Rol

    persona(
        "redes2",
        nombre="Rosa",
        apellidos="Suplente",
        rfc="RSXX800101AB1",
        roles=[Rol.REVISOR_TECNICO],
        areas=[Area.objects.get(clave="redes")],
    )
    c = como("revisor.redes")
    hoy = datetime.date.today()
    r = c.post(
        reverse("solicitudes:suplencias"),
        {
            "suplente": usuario("redes2").pk,
            "desde": hoy + datetime.timedelta(days=5),
            "hasta": hoy,
            "motivo": "Vacaciones",
        },
    )
    assert r.status_code == 400
    assert "La fecha final no puede ser anterior a la inicial." in r.content.decode()
    r = c.post(
        reverse("solicitudes:suplencias"),
        {
            "suplente": usuario("redes2").pk,
            "desde": hoy,
            "hasta": hoy + datetime.timedelta(days=5),
            "motivo": "Vacaciones",
        },
    )
    assert r.status_code == 302
    assert usuario("revisor.redes").sustituciones.get().suplente == usuario("redes2")
