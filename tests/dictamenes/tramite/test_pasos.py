"""The stepper of a request (dictamenes.pasos.pasos_de) and how the request page shows it."""

import datetime
import functools
import re
from html.parser import HTMLParser

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from dictamenes.models import Area, Solicitud
from dictamenes.tramite.selectors import pasos
from dictamenes.tramite.selectors.plazos import plazo_dias, vencimiento_de
from dictamenes.tramite.selectors.tareas import tareas_abiertas
from dictamenes.tramite.services import etapas
from tests.conftest import entrar
from tests.dictamenes import flujo_utils
from tests.dictamenes.flujo_utils import (
    admitida,
    borrador,
    firmar,
    presentada,
    revisar,
    usuario,
)

pytestmark = pytest.mark.django_db

COMPUTO = "Equipo de cómputo e impresión"
REDES = "Redes y telecomunicaciones"
SEGURIDAD = "Seguridad informática"


def resumen(solicitud):
    """[(clave, estado)] in the order the page lists them."""
    return [(p.marca, p.estado) for p in pasos.pasos_de(solicitud=solicitud).lista]


def paso(solicitud, clave, estado):
    encontrados = [
        p
        for p in pasos.pasos_de(solicitud=solicitud).lista
        if (p.marca, p.estado) == (clave, estado)
    ]
    assert len(encontrados) == 1, encontrados
    return encontrados[0]


def nombre(username):
    return usuario(username).get_full_name()


def fecha(valor):
    return f"{timezone.localtime(valor):%d/%m/%Y}"


def prevenir(solicitud):
    etapas.admision_resolver(
        solicitud=solicitud,
        usuario=usuario("mesa"),
        admitir=False,
        faltantes="Falta la cotización firmada.",
    )
    solicitud.refresh_from_db()


decidir = functools.partial(flujo_utils.decidir, motivos="Alineada al programa y sin duplicidad.")


# --- The selector, state by state ------------------------------------------------------------


def test_borrador_lo_tiene_quien_lo_escribe_y_muestra_lo_que_sigue(demo):
    solicitud = borrador(areas=("computo",))
    assert resumen(solicitud) == [
        ("presentar", "actual"),
        ("admision", "siguiente"),
        ("revision_tecnica:computo", "siguiente"),
        ("revision_estrategica", "siguiente"),
        ("firma", "siguiente"),
    ]
    actual = paso(solicitud, "presentar", "actual")
    assert actual.quien == nombre("requirente.sh")
    assert actual.vence is None
    assert paso(solicitud, "revision_tecnica:computo", "siguiente").titulo == (
        f"Revisión técnica: {COMPUTO}"
    )
    assert paso(solicitud, "admision", "siguiente").plazo_dias == plazo_dias(etapa="admision")
    assert "Borrador" in pasos.pasos_de(solicitud=solicitud).resumen


def test_presentada_espera_admision_sin_tomar_y_sin_prevencion_pendiente(demo):
    solicitud = presentada(areas=("computo",))
    assert resumen(solicitud) == [
        ("presentar", "hecho"),
        ("admision", "actual"),
        ("revision_tecnica:computo", "siguiente"),
        ("revision_estrategica", "siguiente"),
        ("firma", "siguiente"),
    ]
    hecho = paso(solicitud, "presentar", "hecho")
    assert hecho.quien == nombre("requirente.sh")
    assert hecho.nota == f"Folio {solicitud.folio}"
    actual = paso(solicitud, "admision", "actual")
    assert actual.quien == ""  # nobody took it yet: "Sin tomar"
    assert actual.vence == vencimiento_de(tarea=tareas_abiertas(solicitud=solicitud).get())
    assert not actual.vencido


def test_prevenida_muestra_la_prevencion_hecha_y_el_plazo_para_subsanar(demo):
    solicitud = presentada(areas=("computo",))
    prevenir(solicitud)
    assert resumen(solicitud) == [
        ("presentar", "hecho"),
        ("admision", "hecho"),
        ("subsanar", "actual"),
        ("admision", "siguiente"),
        ("revision_tecnica:computo", "siguiente"),
        ("revision_estrategica", "siguiente"),
        ("firma", "siguiente"),
    ]
    admision = paso(solicitud, "admision", "hecho")
    assert admision.quien == nombre("mesa")
    assert "prevención" in admision.nota
    assert admision.detalle == "Falta la cotización firmada."
    subsanar = paso(solicitud, "subsanar", "actual")
    assert subsanar.vence == solicitud.proceso.subsanar_vence

    # Corrected and admitted: the prevención stays in the picture as done, in its place.
    etapas.solicitud_subsanar(
        solicitud=solicitud, usuario=usuario("requirente.sh"), respuesta="Se adjuntó."
    )
    etapas.admision_resolver(solicitud=solicitud, usuario=usuario("mesa"), admitir=True)
    solicitud.refresh_from_db()
    assert resumen(solicitud) == [
        ("presentar", "hecho"),
        ("admision", "hecho"),
        ("subsanar", "hecho"),
        ("admision", "hecho"),
        ("revision_tecnica:computo", "actual"),
        ("revision_estrategica", "siguiente"),
        ("firma", "siguiente"),
    ]
    assert paso(solicitud, "subsanar", "hecho").quien == nombre("requirente.sh")
    notas = [p.nota for p in pasos.pasos_de(solicitud=solicitud).lista if p.clave == "admision"]
    assert "prevención" in notas[0] and notas[1] == "Admitida"


def test_admitida_directamente_no_muestra_prevencion(demo):
    solicitud = admitida(areas=("computo",))
    claves = [c for c, _ in resumen(solicitud)]
    assert "subsanar" not in claves
    assert paso(solicitud, "admision", "hecho").nota == "Admitida"


def test_dos_areas_una_concluida_la_otra_en_curso_con_su_nombre(demo):
    solicitud = admitida(areas=("redes", "computo"))
    revisar(solicitud, "computo")
    solicitud.refresh_from_db()
    assert resumen(solicitud) == [
        ("presentar", "hecho"),
        ("admision", "hecho"),
        ("revision_tecnica:computo", "hecho"),
        ("revision_tecnica:redes", "actual"),
        ("revision_estrategica", "siguiente"),
        ("firma", "siguiente"),
    ]
    hecha = paso(solicitud, "revision_tecnica:computo", "hecho")
    assert hecha.titulo == f"Revisión técnica: {COMPUTO}"
    assert hecha.quien == nombre("revisor.computo")
    en_curso = paso(solicitud, "revision_tecnica:redes", "actual")
    assert en_curso.titulo == f"Revisión técnica: {REDES}"
    assert en_curso.quien == ""
    assert en_curso.vence is not None


def test_ambas_areas_en_curso_una_linea_por_area(demo):
    solicitud = admitida(areas=("redes", "computo"))
    actuales = [p for p in pasos.pasos_de(solicitud=solicitud).lista if p.estado == "actual"]
    assert sorted(p.titulo for p in actuales) == [
        f"Revisión técnica: {COMPUTO}",
        f"Revisión técnica: {REDES}",
    ]
    assert "2 pasos abiertos en paralelo" in pasos.pasos_de(solicitud=solicitud).resumen


def test_re_revision_nombra_el_area_devuelta_y_vuelve_a_estrategica(demo):
    solicitud = admitida(areas=("redes", "seguridad"))
    revisar(solicitud, "redes")
    revisar(solicitud, "seguridad")
    decidir(solicitud, devolver_a=Area.objects.get(clave="seguridad"), motivos="Licencias.")
    assert resumen(solicitud)[-4:] == [
        ("revision_estrategica", "hecho"),
        ("re_revision", "actual"),
        ("revision_estrategica", "siguiente"),
        ("firma", "siguiente"),
    ]
    devuelta = paso(solicitud, "revision_estrategica", "hecho")
    assert devuelta.nota == f"Devuelta a {SEGURIDAD} para re-revisión"
    assert devuelta.detalle == "Licencias."
    assert paso(solicitud, "re_revision", "actual").titulo == f"Re-revisión técnica: {SEGURIDAD}"

    revisar(solicitud, "seguridad", opinion="observaciones")
    decidir(solicitud, resultado="favorable")
    assert resumen(solicitud)[-4:] == [
        ("revision_estrategica", "hecho"),
        ("re_revision", "hecho"),
        ("revision_estrategica", "hecho"),
        ("firma", "actual"),
    ]
    lista = pasos.pasos_de(solicitud=solicitud).lista
    re_revision = next(p for p in lista if p.clave == "re_revision")
    assert re_revision.titulo == f"Re-revisión técnica: {SEGURIDAD}"
    assert re_revision.quien == nombre("revisor.seguridad")
    decisiones = [p.nota for p in lista if p.clave == "revision_estrategica"]
    assert decisiones == [f"Devuelta a {SEGURIDAD} para re-revisión", "Decisión: Favorable"]


def test_dictaminada_todo_hecho_y_la_firma_dice_dictamen_emitido(demo):
    solicitud = admitida(areas=("computo",))
    revisar(solicitud, "computo")
    decidir(solicitud, resultado="favorable")
    dictamen = firmar(solicitud)
    solicitud.refresh_from_db()
    assert resumen(solicitud) == [
        ("presentar", "hecho"),
        ("admision", "hecho"),
        ("revision_tecnica:computo", "hecho"),
        ("revision_estrategica", "hecho"),
        ("firma", "hecho"),
    ]
    firma = paso(solicitud, "firma", "hecho")
    assert firma.nota == f"Dictamen emitido con folio {dictamen.folio}"
    assert firma.quien == nombre("firmante")
    assert "dictamen emitido" in pasos.pasos_de(solicitud=solicitud).resumen


def test_desechada_cierra_sin_pasos_pendientes(demo):
    solicitud = presentada(areas=("computo",))
    prevenir(solicitud)
    vence = solicitud.proceso.subsanar_vence
    with time_machine.travel(vence + datetime.timedelta(hours=1)):
        call_command("workflow_timers")
    solicitud.refresh_from_db()
    assert solicitud.estado == Solicitud.Estado.DESECHADA
    assert resumen(solicitud) == [
        ("presentar", "hecho"),
        ("admision", "hecho"),
        ("desechada", "hecho"),
    ]
    final = paso(solicitud, "desechada", "hecho")
    assert final.final
    assert final.quien == "el sistema"
    assert final.etiqueta == "Cerrada"
    assert fecha(vence) in final.detalle
    assert "desechó sin dictamen" in pasos.pasos_de(solicitud=solicitud).resumen


def test_consultas_acotadas_sin_importar_la_historia(demo, django_assert_max_num_queries):
    corta = presentada(areas=("computo",))
    larga = presentada(areas=("redes", "seguridad", "computo"), titulo="Red y seguridad")
    prevenir(larga)
    etapas.solicitud_subsanar(solicitud=larga, usuario=usuario("requirente.sh"), respuesta="Ok")
    etapas.admision_resolver(solicitud=larga, usuario=usuario("mesa"), admitir=True)
    for area in ("redes", "seguridad", "computo"):
        revisar(larga, area)
    decidir(larga, devolver_a=Area.objects.get(clave="seguridad"), motivos="Licencias.")
    revisar(larga, "seguridad")
    decidir(larga, resultado="favorable")
    for solicitud in (corta, larga):
        solicitud = Solicitud.objects.select_related("ente", "creada_por").get(pk=solicitud.pk)
        with django_assert_max_num_queries(6):
            lista = pasos.pasos_de(solicitud=solicitud).lista
        assert lista
    assert len(lista) == 11  # every step of the long history, in one fixed set of queries


# --- The request page -----------------------------------------------------------------------


class _Pasos(HTMLParser):
    """The <li> of the stepper: their attributes and their text."""

    def __init__(self):
        super().__init__()
        self.pasos, self._dentro, self._nivel = [], False, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "li" and "data-paso" in attrs:
            self.pasos.append({**attrs, "texto": ""})
            self._dentro, self._nivel = True, 0
        elif self._dentro and tag == "li":
            self._nivel += 1

    def handle_endtag(self, tag):
        if tag == "li" and self._dentro:
            if self._nivel:
                self._nivel -= 1
            else:
                self._dentro = False

    def handle_data(self, data):
        if self._dentro:
            self.pasos[-1]["texto"] += data


def pasos_en_pagina(html):
    parser = _Pasos()
    parser.feed(html)
    for p in parser.pasos:
        p["texto"] = re.sub(r"\s+", " ", p["texto"]).strip()
    return parser.pasos


def test_la_pagina_de_la_solicitud_dibuja_los_pasos(demo, client):
    solicitud = admitida(areas=("redes", "computo"))
    revisar(solicitud, "computo")
    tarea_redes = tareas_abiertas(solicitud=solicitud).get()
    entrar(client, "requirente.sh")
    html = client.get(reverse("solicitudes:detalle", args=[solicitud.pk])).content.decode()

    assert '<section aria-labelledby="t-pasos" class="pasos">' in html
    assert '<h2 id="t-pasos">Pasos del trámite</h2>' in html
    # Right after the ficha, before anything else of the page.
    assert html.index('class="ficha"') < html.index('id="t-pasos"') < html.index('id="t-historial"')
    en_pagina = pasos_en_pagina(html)
    assert [(p["data-paso"], p["class"]) for p in en_pagina] == [
        ("presentar", "paso paso--hecho"),
        ("admision", "paso paso--hecho"),
        ("revision_tecnica:computo", "paso paso--hecho"),
        ("revision_tecnica:redes", "paso paso--actual"),
        ("revision_estrategica", "paso paso--siguiente"),
        ("firma", "paso paso--siguiente"),
    ]
    computo, redes = en_pagina[2], en_pagina[3]
    concluida = solicitud.eventos.get(tipo="revision_area").ocurrido_en
    assert f"Revisión técnica: {COMPUTO}" in computo["texto"]
    assert f"Concluido el {fecha(concluida)} por {nombre('revisor.computo')}" in computo["texto"]
    assert "aria-current" not in computo
    assert redes["aria-current"] == "step"
    assert f"Revisión técnica: {REDES}" in redes["texto"]
    assert "Sin tomar" in redes["texto"]
    assert f"Vence: {fecha(vencimiento_de(tarea=tarea_redes))}" in redes["texto"]
    # The state is said in words too, not only by colour.
    assert "Hecho" in computo["texto"] and "En curso" in redes["texto"]
    assert "Siguiente" in en_pagina[-1]["texto"]
    assert "style=" not in html.split('id="t-pasos"')[1].split("</section>")[0]


def test_quien_tomo_el_paso_aparece_a_cargo(demo, client):
    solicitud = presentada(areas=("computo",))
    tarea = tareas_abiertas(solicitud=solicitud).get()
    tarea.flow_task.activation_class(tarea).assign(usuario("mesa"))
    entrar(client, "requirente.sh")
    html = client.get(reverse("solicitudes:detalle", args=[solicitud.pk])).content.decode()
    admision = next(p for p in pasos_en_pagina(html) if p["data-paso"] == "admision")
    assert f"A cargo de: {nombre('mesa')}" in admision["texto"]
    assert "Sin tomar" not in admision["texto"]


def test_los_pasos_se_pintan_una_vez_por_lo_que_dicen(demo, client):
    """The steps are rendered once for what they say (Pasos.huella): the same again is not
    rendered, and a step taken, even without an event, or overdue since, shows on the next
    visit."""
    solicitud = presentada(areas=("computo",))
    entrar(client, "requirente.sh")
    url = reverse("solicitudes:detalle", args=[solicitud.pk])

    def visita():
        respuesta = client.get(url)
        html = respuesta.content.decode()
        admision = next(p for p in pasos_en_pagina(html) if p["data-paso"] == "admision")
        pintados = "solicitudes/_pasos.html" in {t.name for t in respuesta.templates}
        return admision["texto"], pintados

    texto, pintados = visita()
    assert "Sin tomar" in texto and pintados
    assert visita() == (texto, False)

    tarea = tareas_abiertas(solicitud=solicitud).get()
    tarea.flow_task.activation_class(tarea).assign(usuario("mesa"))
    texto, pintados = visita()
    assert f"A cargo de: {nombre('mesa')}" in texto and pintados
    assert "plazo vencido" not in texto

    with time_machine.travel(timezone.now() + datetime.timedelta(days=30)):
        entrar(client, "requirente.sh")  # the session would have expired
        texto, pintados = visita()
    assert "plazo vencido" in texto and pintados
