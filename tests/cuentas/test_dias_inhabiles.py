"""Issue 59, item 4: the declared días inhábiles, which every deadline reads, change only when a
second administrator approves; the Django admin only shows them."""

import datetime

import pytest
from django.urls import reverse

from dictamenes.models import CambioPendiente, DiaInhabil, EventoAuditoria
from dictamenes.organizacion.selectors.calendario import Calendario
from dictamenes.organizacion.services import calendario
from tests.conftest import entrar

pytestmark = pytest.mark.django_db

PAGINA = reverse("cuentas:dias_inhabiles")
ASUETO = datetime.date(2030, 6, 11)  # a Tuesday


def pedir(client, accion, **datos):
    return client.post(PAGINA, {"accion": accion, **{f"{accion}-{k}": v for k, v in datos.items()}})


def aprobar(client, username="admin2"):
    cambio = CambioPendiente.objects.get(estado="pendiente")
    entrar(client, username)
    return client.post(reverse("cuentas:cambio_resolver", args=[cambio.pk]), {"accion": "aprobar"})


def plazo_desde_el_lunes():
    """Two business days from Monday 10/06/2030, read as every deadline reads them."""
    lunes = datetime.date(2030, 6, 10)
    return Calendario.cargar(lunes, lunes).sumar(lunes, 2)


def test_el_admin_de_django_solo_muestra_los_dias(demo, client):
    DiaInhabil.objects.create(fecha=ASUETO, descripcion="Asueto")
    dia = DiaInhabil.objects.get()
    entrar(client, "admin")
    alta = client.post(
        reverse("admin:dictamenes_diainhabil_add"),
        {"fecha": "2030-06-13", "descripcion": "Otro"},
    )
    cambio = client.post(
        reverse("admin:dictamenes_diainhabil_change", args=[dia.pk]),
        {"fecha": "2030-06-12", "descripcion": "Movido"},
    )
    baja = client.post(
        reverse("admin:dictamenes_diainhabil_delete", args=[dia.pk]), {"post": "yes"}
    )
    assert (alta.status_code, cambio.status_code, baja.status_code) == (403, 403, 403)
    assert list(DiaInhabil.objects.values_list("fecha", "descripcion")) == [(ASUETO, "Asueto")]


def test_declarar_un_dia_espera_a_otra_persona_administradora(demo, client):
    sin_declarar = plazo_desde_el_lunes()
    entrar(client, "admin")
    respuesta = pedir(
        client,
        "agregar",
        fecha="2030-06-11",
        descripcion="Asueto por decreto",
        motivo="Acuerdo 12/2030",
    )
    assert respuesta.status_code == 302
    assert not DiaInhabil.objects.exists()
    assert plazo_desde_el_lunes() == sin_declarar == datetime.date(2030, 6, 12)
    # The approver reads the day, its weekday and its description, before → after.
    entrar(client, "admin2")
    pagina = client.get(reverse("cuentas:cambios")).content.decode()
    assert "Declarar inhábil el martes 11/06/2030" in pagina
    assert "día hábil (sin declarar)" in pagina and "Asueto por decreto" in pagina
    # Who asked cannot approve it.
    cambio = CambioPendiente.objects.get()
    entrar(client, "admin")
    assert (
        client.post(
            reverse("cuentas:cambio_resolver", args=[cambio.pk]), {"accion": "aprobar"}
        ).status_code
        == 403
    )
    assert aprobar(client).status_code == 302
    assert DiaInhabil.objects.get().descripcion == "Asueto por decreto"
    assert plazo_desde_el_lunes() == datetime.date(2030, 6, 13)
    evento = EventoAuditoria.objects.get(tipo="dia_inhabil_declarado")
    assert (evento.usuario.username, evento.motivo) == ("admin", "Acuerdo 12/2030")
    assert EventoAuditoria.objects.get(tipo="cambio_aprobado").usuario.username == "admin2"


def test_retirar_un_dia_tambien_espera(demo, client):
    DiaInhabil.objects.create(fecha=ASUETO, descripcion="Asueto por decreto")
    entrar(client, "admin")
    assert (
        pedir(client, "quitar", fecha="2030-06-11", motivo="Se revocó el decreto").status_code
        == 302
    )
    assert DiaInhabil.objects.exists()
    assert aprobar(client).status_code == 302
    assert not DiaInhabil.objects.exists()
    assert EventoAuditoria.objects.get(tipo="dia_inhabil_retirado").motivo == "Se revocó el decreto"


def test_un_dia_ya_declarado_se_dice_y_no_se_pide(demo, client):
    DiaInhabil.objects.create(fecha=ASUETO, descripcion="Asueto por decreto")
    entrar(client, "admin")
    respuesta = pedir(
        client,
        "agregar",
        fecha="2030-06-11",
        descripcion="Otra",
        motivo="Decreto estatal de asueto",
    )
    assert respuesta.status_code == 400
    esperado = str(calendario.ERROR_YA_DECLARADO) % {
        "fecha": "11/06/2030",
        "descripcion": "Asueto por decreto",
    }
    assert esperado in respuesta.content.decode()
    assert not CambioPendiente.objects.exists()


@pytest.mark.parametrize("username", ["mesa", "firmante", "auditor", "requirente.sh"])
def test_solo_la_administracion_llega_a_la_pagina(demo, client, username):
    entrar(client, username)
    assert client.get(PAGINA).status_code == 403
    assert (
        pedir(
            client,
            "agregar",
            fecha="2030-06-11",
            descripcion="x",
            motivo="Decreto estatal de asueto",
        ).status_code
        == 403
    )
    assert not CambioPendiente.objects.exists()
