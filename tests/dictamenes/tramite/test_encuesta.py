"""The requirente's satisfaction survey (issue 21, item 1): invited when the request ends,
answered once and anonymously, and read only as aggregates of at least five answers. Issue
33: the answer is stored sealed, and a separate step publishes them in shuffled batches, so
that neither the rows' order, their transaction nor any time ties one to its request."""

import csv
import io

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from lxml import html as lxml_html

from dictamenes.comun.operador_so import operador_so_leer
from dictamenes.encuestas import services as encuestas
from dictamenes.encuestas.selectors import MINIMO_RESPUESTAS, satisfaccion_por_ejercicio
from dictamenes.models import (
    Aviso,
    Ente,
    EventoAuditoria,
    InvitacionEncuesta,
    RespuestaEncuesta,
    RespuestaEnEspera,
    Solicitud,
)
from dictamenes.personas.services import personas
from dictamenes.roles import Rol
from dictamenes.tramite.services import etapas
from tests.backends.paralelo import en_paralelo
from tests.backends.plugin import require_postgres
from tests.conocidos import solicitud as solicitud_conocida
from tests.dictamenes.flujo_utils import en_firma, firmar, presentada, usuario

pytestmark = pytest.mark.django_db

E = Solicitud.Estado
COMENTARIO = "Nos atendió la licenciada del escritorio 3; tardaron mucho."
INTERNOS = ["mesa", "revisor.computo", "estrategico", "firmante", "auditor", "admin"]


def terminadas(n, *, estado=E.DICTAMINADA, ejercicio=2025, siglas="SH"):
    """n ended requests of the agency, each with its survey invitation."""
    ente = Ente.objects.get(siglas=siglas)
    resultado = "favorable" if estado == E.DICTAMINADA else ""
    creadas = Solicitud.objects.bulk_create(
        solicitud_conocida(ente, anio=ejercicio, mes=3, estado=estado, dias=5, resultado=resultado)
        for _ in range(n)
    )
    for s in creadas:
        encuestas.encuesta_invitar(solicitud=s)
    return creadas


def responder(solicitud, *, claridad=4, tiempo=3, trato=5, comentario="", quien="requirente.sh"):
    encuestas.encuesta_responder(
        solicitud=solicitud,
        usuario=usuario(quien),
        claridad=claridad,
        tiempo=tiempo,
        trato=trato,
        comentario=comentario,
    )


def publicar() -> int:
    """What cron does every few minutes (enviar_avisos, publicar_encuestas)."""
    return encuestas.encuestas_publicar()


def en_espera() -> list[dict]:
    """The waiting answers, opened (as only the publishing step does)."""
    return [
        {"grupo": (e.ejercicio, e.etapa_final), **encuestas.respuesta_abrir(e)}
        for e in RespuestaEnEspera.objects.all()
    ]


def url(solicitud):
    return reverse("solicitudes:encuesta", args=[solicitud.pk])


def satisfaccion_csv(client) -> list[dict]:
    respuesta = client.get(reverse("datos_conjunto", args=["satisfaccion"]))
    assert respuesta.status_code == 200
    return list(csv.DictReader(io.StringIO(respuesta.content.decode("utf-8-sig"))))


def seccion_satisfaccion(client) -> str:
    html = client.get(reverse("indicadores")).content.decode()
    return html[html.index('id="t-satisfaccion"') :]


def filas_satisfaccion(client) -> list[str]:
    """The rows of the indicators page's satisfaction table, cell by cell, as read."""
    arbol = lxml_html.fromstring(client.get(reverse("indicadores")).content.decode())
    filas = arbol.xpath("//section[@aria-labelledby='t-satisfaccion']//table/tbody/tr")
    return [" | ".join(" ".join(c.text_content().split()) for c in tr) for tr in filas]


# --- The invitation ------------------------------------------------------------------------


def test_al_emitir_el_dictamen_el_ente_recibe_la_encuesta_por_correo_y_en_su_inicio(demo, como):
    solicitud = firmar(en_firma(areas=("redes",))).solicitud
    assert InvitacionEncuesta.objects.filter(solicitud=solicitud, respondida=False).exists()
    aviso = Aviso.objects.get(asunto__startswith="¿Cómo le atendimos?")
    assert "requirente.sh@demo.invalid" in aviso.destinatarios
    assert f"/solicitudes/{solicitud.pk}/encuesta/" in aviso.mensaje
    assert EventoAuditoria.objects.filter(tipo="encuesta_invitada", solicitud=solicitud).exists()

    inicio = como("requirente.sh").get(reverse("inicio")).content.decode()
    grupo = lxml_html.fromstring(inicio).xpath("//*[@id='pendientes']//*[@data-grupo='encuestas']")
    assert " ".join(grupo[0].xpath("h3")[0].text_content().split()) == (
        "Encuestas de satisfacción (1)"
    )
    assert url(solicitud) in inicio
    assert url(solicitud) not in como("requirente.rc").get(reverse("inicio")).content.decode()


def test_la_encuesta_sin_responder_sale_de_pendientes_a_los_30_dias(demo, como):
    """Issue 47: an optional survey stayed in «Pendientes» for ever. After
    DIAS_EN_PENDIENTES days it leaves the list; its page still takes the answer."""
    import datetime

    from django.utils import timezone

    from dictamenes.encuestas.selectors import DIAS_EN_PENDIENTES

    solicitud = firmar(en_firma(areas=("redes",))).solicitud
    invitacion = InvitacionEncuesta.objects.get(solicitud=solicitud)

    def en_pendientes() -> bool:
        inicio = como("requirente.sh").get(reverse("inicio")).content.decode()
        return bool(
            lxml_html.fromstring(inicio).xpath("//*[@id='pendientes']//*[@data-grupo='encuestas']")
        )

    InvitacionEncuesta.objects.filter(pk=invitacion.pk).update(
        creada_en=timezone.now() - datetime.timedelta(days=DIAS_EN_PENDIENTES - 1)
    )
    assert en_pendientes()
    InvitacionEncuesta.objects.filter(pk=invitacion.pk).update(
        creada_en=timezone.now() - datetime.timedelta(days=DIAS_EN_PENDIENTES + 1)
    )
    assert not en_pendientes()
    assert como("requirente.sh").get(url(solicitud)).status_code == 200


def test_al_desechar_la_solicitud_tambien_se_encuesta_y_cuenta_en_su_etapa(demo):
    solicitud = presentada()
    etapas.admision_resolver(
        solicitud=solicitud, usuario=usuario("mesa"), admitir=False, faltantes="Falta el oficio."
    )
    etapas.solicitud_desechar(solicitud=solicitud)
    assert InvitacionEncuesta.objects.filter(solicitud=solicitud).exists()
    responder(Solicitud.objects.get(pk=solicitud.pk))
    assert [r["grupo"] for r in en_espera()] == [
        (solicitud.ejercicio, RespuestaEncuesta.EtapaFinal.PREVENCION)
    ]


def test_una_solicitud_en_tramite_no_se_encuesta(demo):
    with pytest.raises(ValidationError) as error:
        encuestas.encuesta_invitar(solicitud=presentada())
    assert error.value.messages == [str(encuestas.ERROR_NO_TERMINADA)]


# --- Answering ------------------------------------------------------------------------------


def test_el_requirente_responde_una_vez_y_su_respuesta_se_guarda_sin_su_identidad(demo, como):
    (solicitud,) = terminadas(1)
    cliente = como("requirente.sh")
    pagina = cliente.get(url(solicitud)).content.decode()
    assert "¿Qué tan claros fueron los requisitos?" in pagina
    datos = {"claridad": "2", "tiempo": "1", "trato": "4", "comentario": COMENTARIO}

    respuesta = cliente.post(url(solicitud), datos, follow=True)
    assert respuesta.redirect_chain == [(reverse("inicio"), 302)]
    assert "Su respuesta se guardó de forma anónima" in respuesta.content.decode()
    assert url(solicitud) not in respuesta.content.decode()  # no longer pending at home
    # Sealed until its batch: nothing of it is in the clear, nor in the published table.
    assert not RespuestaEncuesta.objects.exists()
    sellada = bytes(RespuestaEnEspera.objects.get().sellada)
    assert b"escritorio" not in sellada and b'"claridad"' not in sellada
    assert en_espera() == [
        {"grupo": (2025, "firma"), "claridad": 2, "tiempo": 1, "trato": 4, "comentario": COMENTARIO}
    ]
    # The audit trail says the survey was answered: not by whom, not what.
    evento = EventoAuditoria.objects.get(tipo="encuesta_respondida")
    assert (evento.solicitud_id, evento.usuario_id, evento.datos) == (solicitud.pk, None, {})
    assert not EventoAuditoria.objects.filter(descripcion__contains="atendió").exists()

    # A second answer (the same person, or a colleague of the agency) is refused.
    otra = como("requirente.sh").post(url(solicitud), datos)
    assert "ya fue respondida" in otra.content.decode()
    with pytest.raises(ValidationError) as error:
        responder(solicitud)
    assert error.value.messages == [str(encuestas.ERROR_YA_RESPONDIDA)]
    assert RespuestaEnEspera.objects.count() == 1


@pytest.mark.parametrize(
    "datos",
    [
        {"claridad": "6", "tiempo": "3", "trato": "3"},
        {"claridad": "0", "tiempo": "3", "trato": "3"},
        {"tiempo": "3", "trato": "3"},
        {"claridad": "3", "tiempo": "3", "trato": "3", "comentario": "x" * 1001},
    ],
)
def test_una_calificacion_fuera_de_1_a_5_o_un_comentario_largo_no_se_guardan(demo, como, datos):
    (solicitud,) = terminadas(1)
    respuesta = como("requirente.sh").post(url(solicitud), datos)
    assert respuesta.status_code == 400
    assert 'class="error"' in respuesta.content.decode()
    assert not RespuestaEnEspera.objects.exists()
    assert not InvitacionEncuesta.objects.get(solicitud=solicitud).respondida


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_dos_requirentes_del_ente_a_la_vez_dejan_una_sola_respuesta(demo):
    """Two colleagues of the agency send the same survey at the same moment: one answer is
    kept, the other is told the survey was already answered."""
    require_postgres()
    personas.usuario_crear(
        username="requirente.sh2",
        password="x-Contrasena-larga-2026",
        nombre="Otra",
        apellidos="Persona",
        email="requirente.sh2@demo.invalid",
        rfc="PEPO800101AB1",
        cargo="Jefa de TI",
        roles=[Rol.REQUIRENTE],
        ente=Ente.objects.get(siglas="SH"),
    )
    (solicitud,) = terminadas(1)
    resultados, errores = en_paralelo(
        lambda quien: responder(solicitud, quien=quien), ["requirente.sh", "requirente.sh2"]
    )
    assert len(resultados) == 1
    assert [e.messages for e in errores] == [[str(encuestas.ERROR_YA_RESPONDIDA)]]
    assert RespuestaEnEspera.objects.count() == 1
    assert EventoAuditoria.objects.filter(tipo="encuesta_respondida").count() == 1


def test_la_respuesta_no_guarda_nada_que_lleve_a_la_persona():
    """No link to a user, a request or the invitation, no time, and a random key: the order of
    the rows does not match the order of the audit events either."""
    for modelo in (RespuestaEncuesta, RespuestaEnEspera):
        campos = modelo._meta.get_fields()
        assert not [c.name for c in campos if c.is_relation]
        assert not [c.name for c in campos if isinstance(c, models.DateField | models.TimeField)]
        assert isinstance(modelo._meta.pk, models.UUIDField)


# --- Who reaches it -------------------------------------------------------------------------


@pytest.mark.parametrize("metodo", ["get", "post"])
def test_solo_los_requirentes_del_ente_llegan_a_la_encuesta(demo, client, como, metodo):
    (solicitud,) = terminadas(1)
    datos = {"claridad": "3", "tiempo": "3", "trato": "3"}
    anonimo = getattr(client, metodo)(url(solicitud), datos)
    assert anonimo.status_code == 302 and anonimo.url.startswith(reverse("login"))
    assert getattr(como("requirente.rc"), metodo)(url(solicitud), datos).status_code == 404
    for quien in INTERNOS:
        assert getattr(como(quien), metodo)(url(solicitud), datos).status_code == 403, quien
    assert not RespuestaEnEspera.objects.exists()


def test_un_revisor_no_alcanza_una_respuesta_individual_por_pagina_ni_api(demo, como, client):
    """Whatever a reviewer opens (the request, its history, the indicators, the API, the
    admin, the open data), no answer shows by itself: not its comment, not its scores."""
    (solicitud,) = terminadas(1)
    responder(solicitud, claridad=1, tiempo=2, trato=1, comentario=COMENTARIO)
    assert not admin.site.is_registered(RespuestaEncuesta)
    assert not admin.site.is_registered(InvitacionEncuesta)
    paginas = [
        reverse("solicitudes:detalle", args=[solicitud.pk]),
        reverse("indicadores"),
        reverse("indicadores_exportar", args=["csv"]),
        reverse("api:solicitud-detail", args=[solicitud.pk]),
        reverse("api:solicitud-list"),
        reverse("datos_conjunto", args=["satisfaccion"]),
        reverse("api:esquema"),
        reverse("api:indicadores"),
        url(solicitud),
    ]
    for quien in ["revisor.computo", "estrategico", "mesa", "firmante", "auditor"]:
        cliente = como(quien)
        for pagina in paginas:
            texto = cliente.get(pagina).content.decode("utf-8", "replace")
            assert "atendió" not in texto, (quien, pagina)
            assert "claridad_promedio" not in texto or pagina.startswith("/datos"), (quien, pagina)
        seccion = seccion_satisfaccion(cliente)
        assert "Menos de 5 respuestas: sin cifras." in seccion
        assert '<td class="num">1.0</td>' not in seccion
    assert satisfaccion_csv(client) == []


# --- The threshold of five ------------------------------------------------------------------


def test_las_cifras_aparecen_con_cinco_respuestas_y_no_antes(demo, como, client):
    solicitudes = terminadas(MINIMO_RESPUESTAS)
    calificaciones = [(5, 4, 5), (4, 4, 5), (3, 2, 4), (5, 3, 5), (4, 1, 5)]
    for solicitud, (c, t, r) in zip(solicitudes[:4], calificaciones, strict=False):
        responder(solicitud, claridad=c, tiempo=t, trato=r)
    assert publicar() == 0
    mesa = como("mesa")
    seccion = seccion_satisfaccion(mesa)
    assert seccion.count("Menos de 5 respuestas: sin cifras.") == 2  # the year and "Firma"
    assert "4.2" not in seccion and '<td class="num">4</td>' not in seccion
    # The page says how many wait for their batch.
    assert filas_satisfaccion(mesa)[:2] == [
        "2025 | Todas | Menos de 5 respuestas: sin cifras. 4 respuestas esperan su lote.",
        "2025 | Firma: dictamen emitido | Menos de 5 respuestas: sin cifras. 4 respuestas "
        "esperan su lote.",
    ]
    assert "4 respuestas esperan a juntarse con otras de su ejercicio y etapa" in seccion
    assert satisfaccion_csv(client) == []

    c, t, r = calificaciones[4]
    responder(solicitudes[4], claridad=c, tiempo=t, trato=r, comentario="Todo bien.")
    # Not in the figures until the separate step runs: the answer's own request does not
    # publish it.
    assert "4.2" not in seccion_satisfaccion(mesa)
    assert publicar() == 5
    seccion = seccion_satisfaccion(mesa)
    assert "esperan" not in seccion
    fila = '<td class="num">5</td><td class="num">4.2</td><td class="num">2.8</td>'
    assert seccion.count(fila) == 2  # the year's total and its "Firma" row
    assert "Sin respuestas." in seccion  # nobody answered for a desechada request in 2025
    assert satisfaccion_csv(client) == [
        {
            "ejercicio": "2025",
            "etapa": etapa,
            "respuestas": "5",
            "claridad_promedio": "4.2",
            "tiempo_promedio": "2.8",
            "trato_promedio": "4.8",
        }
        for etapa in ("Todas", "Firma: dictamen emitido")
    ]


def test_un_grupo_con_cuatro_respuestas_en_las_cifras_no_se_muestra_y_con_cinco_si(
    demo, como, client
):
    """The page and the open data show no figure of a group with fewer than five answers in
    the figures, whatever let them in: answers enter five at a time, so four are there only
    after a load by hand or a change of that rule. 2025 has four, 2024 has five."""
    firma = RespuestaEncuesta.EtapaFinal.FIRMA
    cinco = [(5, 4, 5, "Todo bien."), (4, 4, 5, ""), (3, 2, 4, ""), (5, 3, 5, ""), (4, 1, 5, "")]
    RespuestaEncuesta.objects.bulk_create(
        [
            RespuestaEncuesta(
                ejercicio=2024,
                etapa_final=firma,
                claridad=c,
                tiempo=t,
                trato=r,
                comentario=comentario,
            )
            for c, t, r, comentario in cinco
        ]
        + [
            RespuestaEncuesta(ejercicio=2025, etapa_final=firma, claridad=1, tiempo=1, trato=1)
            for _ in range(4)
        ]
    )
    assert filas_satisfaccion(como("mesa")) == [
        "2024 | Todas | 5 | 4.2 | 2.8 | 4.8 | 1",
        "2024 | Firma: dictamen emitido | 5 | 4.2 | 2.8 | 4.8 | 1",
        "2024 | Prevención: desechada sin dictamen | Sin respuestas.",
        "2025 | Todas | Menos de 5 respuestas: sin cifras.",
        "2025 | Firma: dictamen emitido | Menos de 5 respuestas: sin cifras.",
        "2025 | Prevención: desechada sin dictamen | Sin respuestas.",
    ]
    assert satisfaccion_csv(client) == [
        {
            "ejercicio": "2024",
            "etapa": etapa,
            "respuestas": "5",
            "claridad_promedio": "4.2",
            "tiempo_promedio": "2.8",
            "trato_promedio": "4.8",
        }
        for etapa in ("Todas", "Firma: dictamen emitido")
    ]


def test_una_respuesta_mas_no_mueve_las_cifras_hasta_juntar_otras_cinco(demo, client):
    """Seeing the figures before and after one answer would give it away: the figures move
    only when five new answers of the group have come in."""
    solicitudes = terminadas(2 * MINIMO_RESPUESTAS)
    for solicitud in solicitudes[:MINIMO_RESPUESTAS]:
        responder(solicitud, claridad=5, tiempo=5, trato=5)
    publicar()
    antes = satisfaccion_csv(client)
    for solicitud in solicitudes[MINIMO_RESPUESTAS:-1]:
        responder(solicitud, claridad=1, tiempo=1, trato=1)
        assert publicar() == 0
        assert satisfaccion_csv(client) == antes
    responder(solicitudes[-1], claridad=1, tiempo=1, trato=1)
    assert publicar() == MINIMO_RESPUESTAS
    (total, _firma) = satisfaccion_csv(client)
    assert (total["respuestas"], total["claridad_promedio"]) == ("10", "3.0")


def test_cada_etapa_cuenta_sus_cinco_por_separado(demo, client):
    for solicitud in terminadas(MINIMO_RESPUESTAS):
        responder(solicitud, claridad=4, tiempo=4, trato=4)
    for solicitud in terminadas(MINIMO_RESPUESTAS - 1, estado=E.DESECHADA):
        responder(solicitud, claridad=1, tiempo=1, trato=1)
    assert publicar() == MINIMO_RESPUESTAS
    assert [r["grupo"] for r in en_espera()] == [(2025, "prevencion")] * 4
    etapas_publicadas = {(f["etapa"], f["respuestas"]) for f in satisfaccion_csv(client)}
    # The four answers on desechadas are in no figure, not even the year's total.
    assert etapas_publicadas == {("Todas", "5"), ("Firma: dictamen emitido", "5")}


# --- The demo -------------------------------------------------------------------------------


def test_la_demo_trae_respuestas_de_sobra_para_mostrar_cada_anio(demo):
    from demo import encuestas as demo_encuestas
    from demo import historico_anual

    historico_anual.cargar()
    creadas = demo_encuestas.cargar()
    assert creadas > 50
    assert demo_encuestas.cargar() == 0  # loading the demo again adds nothing
    filas = satisfaccion_por_ejercicio()
    assert [f["ejercicio"] for f in filas] == [2023, 2024]
    for anio in filas:
        for grupo in (anio, *anio["etapas"]):
            assert grupo["cifras"] is None or grupo["cifras"]["n"] >= MINIMO_RESPUESTAS
        assert anio["cifras"]["n"] >= MINIMO_RESPUESTAS
    # Every answer is tied to an invitation marked answered, one for one.
    assert InvitacionEncuesta.objects.filter(respondida=True).count() == creadas
    # Only whole batches of five are in the figures; the rest wait, sealed.
    publicadas = RespuestaEncuesta.objects.values("ejercicio", "etapa_final").annotate(
        n=models.Count("id")
    )
    assert all(g["n"] % MINIMO_RESPUESTAS == 0 for g in publicadas)
    esperan = RespuestaEnEspera.objects.values("ejercicio", "etapa_final").annotate(
        n=models.Count("id")
    )
    assert all(g["n"] < MINIMO_RESPUESTAS for g in esperan)
    assert RespuestaEncuesta.objects.count() + RespuestaEnEspera.objects.count() == creadas


# --- Storage links nothing (issue 33) ---------------------------------------------------------


def test_el_comando_publica_cada_lote_de_cinco_barajado_y_audita_el_lote(demo):
    """Answering writes no published answer; the separate step moves a group's five into
    the figures, deletes them from the waiting table and writes one event for the batch."""
    from django.core.management import call_command

    solicitudes = terminadas(MINIMO_RESPUESTAS + 1)
    for i, solicitud in enumerate(solicitudes):
        responder(solicitud, claridad=1 + i % 5, comentario=f"respuesta {i}")
    assert not RespuestaEncuesta.objects.exists()
    assert RespuestaEnEspera.objects.count() == MINIMO_RESPUESTAS + 1

    salida = io.StringIO()
    call_command("publicar_encuestas", stdout=salida)
    assert salida.getvalue() == "6 respuesta(s) de la encuesta entraron a las cifras.\n"
    assert not RespuestaEnEspera.objects.exists()
    assert sorted(RespuestaEncuesta.objects.values_list("comentario", flat=True)) == [
        f"respuesta {i}" for i in range(MINIMO_RESPUESTAS + 1)
    ]
    (lote,) = EventoAuditoria.objects.filter(tipo="encuesta_lote_publicado")
    assert (lote.solicitud_id, lote.usuario_id) == (None, None)
    assert lote.datos == {
        "ejercicio": 2025,
        "etapa_final": "firma",
        "respuestas": 6,
        "operador_so": operador_so_leer(),  # run by a command (issue 93)
    }
    assert lote.descripcion == (
        "6 respuestas de la encuesta entraron a las cifras (2025, Firma: dictamen emitido)"
    )

    # enviar_avisos, already in the crontab, publishes too; four wait, so nothing moves.
    for solicitud in terminadas(MINIMO_RESPUESTAS - 1):
        responder(solicitud)
    salida = io.StringIO()
    call_command("enviar_avisos", stdout=salida)
    assert "encuesta" not in salida.getvalue()
    assert RespuestaEnEspera.objects.count() == MINIMO_RESPUESTAS - 1
    responder(terminadas(1)[0])
    call_command("enviar_avisos", stdout=salida)
    assert "5 respuesta(s) de la encuesta entraron a las cifras." in salida.getvalue()
    assert RespuestaEncuesta.objects.count() == 11


def test_cada_respuesta_sellada_mide_lo_mismo_y_no_se_abre_con_otra_llave(demo, settings):
    """A sealed answer of a short comment and one of the longest measure the same: its
    length tells nothing. The key comes from SECRET_KEY (or an older one still listed)."""
    from django.core.exceptions import ImproperlyConfigured

    corta, larga, otra = terminadas(3)
    responder(corta, comentario="")
    responder(larga, comentario="ñ\n" * 500)
    largos = {len(bytes(e.sellada)) for e in RespuestaEnEspera.objects.all()}
    assert largos == {12 + encuestas.SELLO_BYTES + 16}

    secreto = settings.SECRET_KEY
    settings.SECRET_KEY = "otra-llave-" + "x" * 50
    with pytest.raises(ImproperlyConfigured):
        en_espera()
    settings.SECRET_KEY_FALLBACKS = [secreto]
    responder(otra, comentario="con la llave nueva")
    largo = ("ñ\n" * 500).strip()
    assert sorted(r["comentario"] for r in en_espera()) == ["", "con la llave nueva", largo]


def vecinos(orden: list[int]) -> int:
    """How many answers lie right next to the one answered just before them (either side):
    a table written in the order answered has len - 1; a shuffled one about 2 on average."""
    posicion = {r: i for i, r in enumerate(orden)}
    return sum(1 for r in range(len(orden) - 1) if abs(posicion[r + 1] - posicion[r]) == 1)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_en_postgresql_ni_el_orden_fisico_ni_la_transaccion_ligan_una_respuesta_a_su_evento(
    demo,
):
    """Thirty requests answered one after another, each answer distinct ("respuesta <i>"
    for the i-th), each in its own transaction, as in production; then the separate step.
    Read as someone with the database would: the rows in physical order (ctid), their key,
    the transaction that wrote them (xmin), next to the audit log's `encuesta_respondida`
    events in the order they were written.

    Neither order may keep the answered one, even shifted or reversed: fewer than half the
    answers next to their predecessor. A fair shuffle of 30 has about 2 such neighbours;
    reaching 15 by chance has a probability of the order of 10^-9 (Poisson tail), so the
    test does not fail by luck, and a table written in the order answered has 29."""
    from django.db import connection

    require_postgres()
    n = 6 * MINIMO_RESPUESTAS
    solicitudes = terminadas(n)
    for i, solicitud in enumerate(solicitudes):
        responder(solicitud, claridad=1 + i % 5, comentario=f"respuesta {i}")

    def leer(sql, *parametros):
        with connection.cursor() as cursor:
            cursor.execute(sql, parametros)
            return cursor.fetchall()

    eventos = leer(
        "SELECT xmin::text, solicitud_id FROM dictamenes_eventoauditoria "
        "WHERE tipo = 'encuesta_respondida' ORDER BY id"
    )
    # The events say which request answered when: 0, 1, ..., n - 1.
    respondidas = [[s.pk for s in solicitudes].index(pk) for _, pk in eventos]
    assert respondidas == list(range(n))
    assert vecinos(respondidas) == n - 1

    # Before the batch (issue 59): the waiting rows were all rewritten by the last answer's
    # transaction, in an order of their own (test_encuesta_sin_orden), and each is sealed, of
    # one length, with nothing readable in it.
    en_espera = leer("SELECT xmin::text, sellada FROM dictamenes_respuestaenespera ORDER BY ctid")
    assert {x for x, _ in en_espera} == {eventos[-1][0]}
    assert {len(bytes(s)) for _, s in en_espera} == {12 + encuestas.SELLO_BYTES + 16}
    assert not [s for _, s in en_espera if b"respuesta" in bytes(s) or b"claridad" in bytes(s)]

    assert publicar() == n
    assert leer("SELECT count(*) FROM dictamenes_respuestaenespera") == [(0,)]
    filas = leer(
        "SELECT ctid::text, xmin::text, id::text, comentario, claridad "
        "FROM dictamenes_respuestaencuesta ORDER BY ctid"
    )
    fisico = [int(comentario.split()[1]) for _, _, _, comentario, _ in filas]
    assert sorted(fisico) == list(range(n))  # each answer once, intact
    assert all(c == 1 + int(co.split()[1]) % 5 for _, _, _, co, c in filas)
    # Neither the physical order nor the order of the keys keeps the order answered.
    por_clave = [int(c.split()[1]) for _, _, _, c, _ in sorted(filas, key=lambda f: f[2])]
    assert (vecinos(fisico) < n // 2, vecinos(por_clave) < n // 2) == (True, True), (
        fisico,
        por_clave,
    )
    # One transaction wrote them all: none of the answers' events, only the batch's.
    (xmin,) = {x for _, x, _, _, _ in filas}
    assert xmin not in {x for x, _ in eventos}
    assert leer("SELECT tipo FROM dictamenes_eventoauditoria WHERE xmin::text = %s", xmin) == [
        ("encuesta_lote_publicado",)
    ]
    # And no column holds a time.
    tipos = leer(
        "SELECT data_type FROM information_schema.columns "
        "WHERE table_name IN ('dictamenes_respuestaencuesta', 'dictamenes_respuestaenespera')"
    )
    assert not [t for (t,) in tipos if "time" in t or "date" in t]
