"""Issue 50, item 1, over HTTP: «Ausencias y refuerzos», where administrators record who of
the procedure will be away and lend a person to a review area; a loan that grants a role or
an area waits in «Cambios por aprobar» for a second administrator."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dictamenes.capacidad.services import registro
from dictamenes.models import Area, Ausencia, CambioPendiente, EventoAuditoria, Refuerzo
from tests.conftest import entrar
from tests.dictamenes.flujo_utils import usuario

pytestmark = pytest.mark.django_db

URL = "/cuentas/ausencias/"
DIC_14 = datetime.date(2026, 12, 14)


def como(nombre) -> Client:
    cliente = Client()
    entrar(cliente, nombre)
    return cliente


def ausencia_post(cliente, persona="revisor.computo", desde="2026-12-14", hasta="2026-12-27"):
    return cliente.post(
        URL,
        {
            "accion": "ausencia",
            "ausencia-persona": usuario(persona).pk,
            "ausencia-motivo": "vacaciones",
            "ausencia-desde": desde,
            "ausencia-hasta": hasta,
            "ausencia-nota": "Oficio SGD/90/2026",
        },
    )


def refuerzo_post(cliente, persona, area="computo", semanas=2):
    return cliente.post(
        URL,
        {
            "accion": "refuerzo",
            "refuerzo-persona": usuario(persona).pk,
            "refuerzo-area": Area.objects.get(clave=area).pk,
            "refuerzo-desde": "2026-12-16",  # a Wednesday: the loan starts that Monday
            "refuerzo-semanas": semanas,
            "refuerzo-motivo": "Carga del cierre en cómputo",
        },
    )


def test_la_ausencia_registrada_aparece_en_la_pagina_y_en_la_auditoria(demo):
    admin = como("admin")
    inicio = admin.get("/").content.decode()
    assert f'href="{URL}"' in inicio
    respuesta = ausencia_post(admin)
    assert respuesta.status_code == 302
    pagina = admin.get(URL).content.decode()
    assert "Ausencia registrada: Óscar Núñez Valdez, vacaciones del 14/12/2026 al 27/12/2026" in (
        pagina
    )
    fila = pagina.split(f'id="ausencia-{Ausencia.objects.get().pk}"')[1].split("</tr>")[0]
    assert "Óscar Núñez Valdez (revisor.computo)" in fila and "del 14/12/2026 al 27/12/2026" in fila
    assert EventoAuditoria.objects.filter(tipo="ausencia_registrada").count() == 1


def test_fechas_que_se_traslapan_dan_el_error_en_su_campo_y_no_se_pierde_lo_escrito(demo):
    admin = como("admin")
    assert ausencia_post(admin).status_code == 302
    respuesta = ausencia_post(admin, desde="2026-12-20", hasta="2026-12-31")
    assert respuesta.status_code == 400
    pagina = respuesta.content.decode()
    assert (
        '<span class="error" id="id_ausencia-desde_error">Óscar Núñez Valdez (revisor.computo) '
        "ya tiene una ausencia del 14/12/2026 al 27/12/2026 (vacaciones)"
    ) in pagina
    # What was written stays in the form.
    assert 'value="2026-12-31"' in pagina and 'value="Oficio SGD/90/2026"' in pagina
    respuesta = ausencia_post(
        admin, persona="revisor.redes", desde="2026-12-20", hasta="2026-12-01"
    )
    assert respuesta.status_code == 400
    assert (
        '<span class="error" id="id_ausencia-hasta_error">La fecha final no puede ser anterior '
        "a la inicial.</span>"
    ) in respuesta.content.decode()
    assert Ausencia.objects.count() == 1


def test_quien_no_administra_no_ve_ni_registra(demo):
    for nombre in ("mesa", "revisor.computo", "estrategico", "auditor"):
        cliente = como(nombre)
        assert cliente.get(URL).status_code == 403
        assert ausencia_post(cliente).status_code == 403
        assert refuerzo_post(cliente, "mesa").status_code == 403
    assert not Ausencia.objects.exists() and not CambioPendiente.objects.exists()


def test_cancelar_una_ausencia_pide_su_motivo(demo):
    ausencia = registro.ausencia_registrar(
        persona=usuario("mesa"),
        desde=DIC_14,
        hasta=DIC_14,
        motivo="capacitacion",
        por=usuario("admin"),
    )
    cancelar = reverse("cuentas:ausencia_cancelar", args=[ausencia.pk])
    admin = como("admin")
    assert admin.get(cancelar).status_code == 405
    respuesta = admin.post(cancelar, {f"cancelar-{ausencia.pk}-motivo": ""})
    assert respuesta.status_code == 400
    assert f'id="id_cancelar-{ausencia.pk}-motivo_error"' in respuesta.content.decode()
    assert (
        como("mesa")
        .post(cancelar, {f"cancelar-{ausencia.pk}-motivo": "Se registró por error"})
        .status_code
        == 403
    )
    respuesta = admin.post(cancelar, {f"cancelar-{ausencia.pk}-motivo": "Se canceló el curso"})
    assert respuesta.status_code == 302
    assert not Ausencia.objects.exists()
    assert EventoAuditoria.objects.get(tipo="ausencia_cancelada").motivo == "Se canceló el curso"


def test_el_refuerzo_de_quien_ya_revisa_el_area_se_registra_en_el_acto(demo):
    admin = como("admin")
    assert refuerzo_post(admin, "revisor.computo").status_code == 302
    refuerzo = Refuerzo.objects.get()
    assert (refuerzo.desde, refuerzo.hasta) == (DIC_14, datetime.date(2026, 12, 27))
    pagina = admin.get(URL).content.decode()
    assert "Refuerzo registrado: Óscar Núñez Valdez en el área «Equipo de cómputo e impresión»" in (
        pagina
    )
    assert "Nada: ya revisaba el área" in pagina


def test_el_refuerzo_que_otorga_el_area_espera_en_cambios_por_aprobar(demo):
    admin = como("admin")
    assert refuerzo_post(admin, "revisor.redes").status_code == 302
    cambio = CambioPendiente.objects.get(tipo=CambioPendiente.Tipo.REFUERZO)
    assert not Refuerzo.objects.exists()
    pagina = admin.get(URL).content.decode()
    assert "1 refuerzo espera la aprobación de otra persona administradora" in pagina
    assert f'href="/cuentas/cambios/#cambio-{cambio.pk}"' in pagina
    cambios = admin.get("/cuentas/cambios/").content.decode()
    assert "Nadie aprueba ni rechaza su propio cambio" in cambios
    resolver = reverse("cuentas:cambio_resolver", args=[cambio.pk])
    assert admin.post(resolver, {"accion": "aprobar"}).status_code == 403
    assert not Refuerzo.objects.exists()

    segunda = como("admin2")
    assert (
        "Revisa el área «Equipo de cómputo e impresión»"
        in segunda.get("/cuentas/cambios/").content.decode()
    )
    assert segunda.post(resolver, {"accion": "aprobar"}).status_code == 302
    refuerzo = Refuerzo.objects.get()
    assert (refuerzo.persona.username, refuerzo.otorga_area) == ("revisor.redes", True)
    assert usuario("revisor.redes").has_perm("dictamenes.revisar_area", refuerzo.area)
    pagina = segunda.get(URL).content.decode()
    assert "El área, hasta que concluya" in pagina and "refuerzo espera" not in pagina


def consultas(cliente) -> int:
    with CaptureQueriesContext(connection) as leidas:
        assert cliente.get(URL).status_code == 200
    return len(leidas)


def test_la_pagina_lee_lo_mismo_sin_filas_que_con_muchas(demo):
    admin = como("admin")
    admin.get(URL)  # the session's first page reads a little more, once
    vacia = consultas(admin)
    for n in range(8):
        dia = DIC_14 + datetime.timedelta(days=n)
        registro.ausencia_registrar(
            persona=usuario("revisor.computo" if n % 2 else "mesa"),
            desde=dia,
            hasta=dia,
            motivo="comision",
            por=usuario("admin"),
        )
    registro.refuerzo_pedir(
        persona=usuario("revisor.computo"),
        area=Area.objects.get(clave="computo"),
        desde=DIC_14,
        hasta=DIC_14,
        motivo="Cierre del ejercicio fiscal",
        por=usuario("admin"),
    )
    registro.refuerzo_pedir(
        persona=usuario("estrategico"),
        area=Area.objects.get(clave="redes"),
        desde=DIC_14,
        hasta=DIC_14,
        motivo="Cierre del ejercicio fiscal",
        por=usuario("admin"),
    )
    assert consultas(admin) == vacia <= 10
