"""Taking a step from "Tareas por tomar" or from the request's page, and substitutes who find
the titular's tasks in their own lists."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dictamenes import exceptions
from dictamenes.models import Area, CambioPendiente, EventoAuditoria
from dictamenes.roles import Rol
from dictamenes.suplencias import services as suplencias
from dictamenes.tramite.selectors.tareas import tareas_abiertas
from dictamenes.tramite.services import etapas
from tests.dictamenes.dual_utils import aprobar_pendientes
from tests.dictamenes.flujo_utils import (
    admitida,
    detalle,
    doble_rol,
    en_firma,
    otra_mesa,
    presentada,
    revisar,
    usuario,
)

pytestmark = pytest.mark.django_db


def url_tomar(solicitud, tarea):
    return reverse("solicitudes:tomar", args=[solicitud.pk, tarea.pk])


def test_la_mesa_toma_de_la_cola_y_la_tarea_pasa_a_mis_tareas(demo, como):
    solicitud = presentada(titulo="Conmutadores")
    tarea = tareas_abiertas(solicitud=solicitud).get()
    c = como("mesa")
    cola = c.get(reverse("workflow:queue")).content.decode()
    assert "Tomar Admisión de " + solicitud.folio in cola
    assert "nadie ha tomado" in cola
    assert solicitud.folio not in c.get(reverse("workflow:inbox")).content.decode()

    r = c.post(url_tomar(solicitud, tarea), follow=True)
    assert r.redirect_chain == [(detalle(solicitud), 302)]
    pagina = r.content.decode()
    assert "Tomó «Admisión». Queda a su nombre y en «Mis tareas»." in pagina
    mesa = usuario("mesa")
    tarea.refresh_from_db()
    assert tarea.owner == mesa
    # The page says who holds it, and offers no "Tomar" any more.
    assert mesa.get_full_name() in pagina and ">Tomar<" not in pagina
    assert solicitud.folio in c.get(reverse("workflow:inbox")).content.decode()
    assert solicitud.folio not in c.get(reverse("workflow:queue")).content.decode()
    evento = solicitud.eventos.get(tipo="toma")
    assert (evento.usuario, evento.descripcion) == (mesa, f"{mesa.get_full_name()} toma «Admisión»")


def test_doble_clic_en_tomar_registra_una_sola_toma(demo, como):
    solicitud = presentada()
    tarea = tareas_abiertas(solicitud=solicitud).get()
    c = como("mesa")
    assert c.post(url_tomar(solicitud, tarea)).status_code == 302
    assert c.post(url_tomar(solicitud, tarea)).status_code == 302
    assert solicitud.eventos.filter(tipo="toma").count() == 1


def test_no_se_toma_lo_que_otra_persona_ya_tomo(demo, como):
    otra_mesa()
    solicitud = presentada()
    tarea = tareas_abiertas(solicitud=solicitud).get()
    como("mesa").post(url_tomar(solicitud, tarea))
    r = como("mesa2").post(url_tomar(solicitud, tarea))
    assert r.status_code == 403
    assert "Esta tarea está asignada a Patricia" in r.content.decode()
    tarea.refresh_from_db()
    assert tarea.owner == usuario("mesa")


def test_quien_no_tiene_el_rol_no_toma(demo, como):
    solicitud = presentada()
    tarea = tareas_abiertas(solicitud=solicitud).get()
    antes = EventoAuditoria.objects.count()
    r = como("revisor.redes").post(url_tomar(solicitud, tarea))
    assert r.status_code == 403
    assert str(exceptions.ERROR_SIN_PERMISO_PASO) in r.content.decode()
    # Another agency's requirente does not even see the request.
    assert como("requirente.rc").post(url_tomar(solicitud, tarea)).status_code == 404
    tarea.refresh_from_db()
    assert tarea.owner is None and EventoAuditoria.objects.count() == antes


def test_tomar_respeta_la_separacion_de_funciones(demo, como):
    doble_rol(
        Rol.REVISOR_TECNICO, Rol.REVISOR_ESTRATEGICO, areas=[Area.objects.get(clave="computo")]
    )
    solicitud = admitida()
    c = como("doble")
    tarea = tareas_abiertas(solicitud=solicitud).get()
    c.post(url_tomar(solicitud, tarea))
    partida = solicitud.partidas.get()
    c.post(
        reverse("solicitudes:revision_area", args=[solicitud.pk, "computo"]),
        {"computo-opinion": "favorable", f"computo-p{partida.pk}_opinion": "Bien."},
    )
    estrategica = tareas_abiertas(solicitud=solicitud).get()
    assert estrategica.flow_task.name == "revision_estrategica"
    # The page offers it to nobody who reviewed it, and the door refuses it.
    assert ">Tomar<" not in c.get(detalle(solicitud)).content.decode()
    r = c.post(url_tomar(solicitud, estrategica))
    assert r.status_code == 403
    assert str(exceptions.ERROR_REVISOR_Y_ESTRATEGICO) in r.content.decode()
    estrategica.refresh_from_db()
    assert estrategica.owner is None


def test_tomar_un_paso_ya_concluido_dice_quien_y_cuando(demo, como):
    solicitud = presentada()
    tarea = tareas_abiertas(solicitud=solicitud).get()
    etapas.admision_resolver(solicitud=solicitud, usuario=usuario("mesa"), admitir=True)
    r = como("mesa").post(url_tomar(solicitud, tarea))
    assert r.status_code == 409
    assert "Patricia" in r.content.decode() and "ya lo concluyó el" in r.content.decode()


def test_los_pasos_se_titulan_con_el_nombre_del_area(demo, como):
    solicitud = admitida(areas=("computo", "seguridad"))
    pagina = como("revisor.computo").get(detalle(solicitud)).content.decode()
    assert "Revisión técnica: Equipo de cómputo e impresión" in pagina
    assert "Revisión técnica: Seguridad informática" in pagina
    assert "Revisión técnica: computo" not in pagina
    cola = como("revisor.seguridad").get(reverse("workflow:queue")).content.decode()
    assert "Revisión técnica: Seguridad informática" in cola


def test_el_suplente_atiende_la_tarea_del_titular_desde_sus_listas(demo, como):
    hoy = timezone.localdate()
    titular, suplente = usuario("revisor.computo"), usuario("revisor.redes")
    suplencias.sustitucion_crear(
        titular=titular,
        suplente=suplente,
        desde=hoy,
        hasta=hoy + datetime.timedelta(days=7),
        motivo="Vacaciones",
    )
    # redes stands in for computo: a loan of the area, once an administrator approves it.
    aprobar_pendientes(tipo=CambioPendiente.Tipo.SUSTITUCION)
    libre = admitida(titulo="Equipos sin tomar")
    tomada = admitida(titulo="Equipos que el titular tomó")
    tarea_tomada = tareas_abiertas(solicitud=tomada).get()
    como("revisor.computo").post(url_tomar(tomada, tarea_tomada))

    c = como("revisor.redes")
    assert libre.folio in c.get(reverse("workflow:queue")).content.decode()
    assert tomada.folio in c.get(reverse("workflow:inbox")).content.decode()
    # From the request page the substitute takes the titular's task, in the titular's stead.
    assert ">Tomar<" in c.get(detalle(tomada)).content.decode()
    r = c.post(url_tomar(tomada, tarea_tomada))
    assert r.status_code == 302
    tarea_tomada.refresh_from_db()
    assert tarea_tomada.owner == suplente
    evento = tomada.eventos.get(tipo="toma", usuario=suplente)
    assert f"en suplencia de {titular.get_full_name()}" in evento.descripcion
    revisar_como_suplente = c.post(
        reverse("solicitudes:revision_area", args=[tomada.pk, "computo"]),
        {
            "computo-opinion": "favorable",
            f"computo-p{tomada.partidas.get().pk}_opinion": "Cumple.",
        },
    )
    assert revisar_como_suplente.status_code == 302
    tomada.refresh_from_db()
    assert tomada.estado == tomada.Estado.REVISION_ESTRATEGICA
    # Once the leave is over, nothing of the titular's shows in the substitute's lists.
    from dictamenes.models import Sustitucion

    Sustitucion.objects.update(
        desde=hoy - datetime.timedelta(days=10), hasta=hoy - datetime.timedelta(days=1)
    )
    assert libre.folio not in c.get(reverse("workflow:queue")).content.decode()


def test_otro_que_reviso_no_toma_la_firma(demo, como):
    doble_rol(Rol.REVISOR_ESTRATEGICO, Rol.FIRMANTE)
    solicitud = en_firma(estrategico="doble")
    firma = tareas_abiertas(solicitud=solicitud).get()
    r = como("doble").post(url_tomar(solicitud, firma))
    assert r.status_code == 403
    assert str(exceptions.ERROR_FIRMA_REVISOR) in r.content.decode()


def test_la_correccion_de_una_prevencion_no_se_toma(demo, como):
    solicitud = presentada()
    etapas.admision_resolver(
        solicitud=solicitud, usuario=usuario("mesa"), admitir=False, faltantes="Falta el anexo."
    )
    subsanar = tareas_abiertas(solicitud=solicitud).get()
    assert subsanar.flow_task.name == "subsanar"
    c = como("requirente.sh")
    assert ">Tomar<" not in c.get(detalle(solicitud)).content.decode()
    r = c.post(url_tomar(solicitud, subsanar))
    assert r.status_code == 400
    assert str(exceptions.ERROR_SUBSANAR_NO_SE_TOMA) in r.content.decode()
    subsanar.refresh_from_db()
    assert subsanar.owner is None
    assert not solicitud.eventos.filter(tipo="toma").exists()


def _devuelta_a_computo(titulo):
    solicitud = admitida(titulo=titulo)
    revisar(solicitud, "computo")
    etapas.solicitud_decidir(
        solicitud=solicitud,
        usuario=usuario("estrategico"),
        devolver_a=Area.objects.get(clave="computo"),
        motivos="Revise la garantía.",
    )
    return solicitud


def test_la_cola_con_re_revisiones_no_crece_en_consultas(demo, como, django_assert_max_num_queries):
    c = como("revisor.computo")
    _devuelta_a_computo("Primera devuelta")
    with CaptureQueriesContext(connection) as una:
        pagina = c.get(reverse("workflow:queue")).content.decode()
    assert "Re-revisión técnica: Equipo de cómputo e impresión" in pagina
    for i in range(3):
        _devuelta_a_computo(f"Otra devuelta {i}")
    with django_assert_max_num_queries(len(una)):
        pagina = c.get(reverse("workflow:queue")).content.decode()
    paso = '<td data-etiqueta="Paso">Re-revisión técnica: Equipo de cómputo e impresión</td>'
    assert pagina.count(paso) == 4


def test_la_cola_se_filtra_por_area_de_las_partidas(demo, como):
    """Filtering "Tareas por tomar" by area shows the requests with items of that area once
    each, however many items they have (on PostgreSQL the filter used to answer 500)."""
    de_computo = presentada(titulo="Laptops", areas=("computo", "computo"))
    de_redes = presentada(titulo="Conmutadores", areas=("redes",))
    c = como("mesa")
    for area, esta, no_esta in (("computo", de_computo, de_redes), ("redes", de_redes, de_computo)):
        r = c.get(reverse("workflow:queue"), {"area": Area.objects.get(clave=area).pk})
        assert r.status_code == 200
        cola = r.content.decode()
        assert cola.count("Tomar Admisión de " + esta.folio) == 1
        assert no_esta.folio not in cola


def test_la_cola_se_pagina_con_su_total_y_sin_contar_aparte(demo, como, monkeypatch):
    """Each page of the queue says how many steps there are and which page it is; the rows
    carry the total (one query, no SELECT COUNT), and a page past the end shows the last
    (Django's paginator counts for that one)."""
    from flujos.views import Cola

    folios = sorted(presentada(titulo=f"Lote {n}").folio for n in range(3))
    monkeypatch.setattr(Cola, "paginate_by", 2)
    mesa = como("mesa")

    def pagina(numero):
        with CaptureQueriesContext(connection) as consultas:
            texto = mesa.get(reverse("workflow:queue"), {"page": numero}).content.decode()
        cuentas = [q for q in consultas if "COUNT(*) AS" in q["sql"]]
        return texto, set(re.findall(r"SOL-\d{4}-\d{5}", texto)), cuentas

    primera, en_primera, cuentas = pagina(1)
    assert not cuentas
    segunda, en_segunda, cuentas = pagina(2)
    assert not cuentas
    despues, en_despues, _ = pagina(9)
    assert "3 tareas" in primera and "Página 1 de 2" in primera
    assert "3 tareas" in segunda and "Página 2 de 2" in segunda
    assert len(en_primera) == 2 and len(en_segunda) == 1
    assert en_primera | en_segunda == set(folios)
    assert en_despues == en_segunda and "Página 2 de 2" in despues
