"""Issue 21, item 3: a favourable dictamen's validity.

- The agency hears before it runs out: an e-mail at 30 and at 10 business days before the last
  valid day (`manage.py recordar_vigencias`, daily), each once, never for a cancelled,
  rectified or unfavourable dictamen.
- The register and the verification page say until when it is valid, or since when it is not.
- With the clock moved past the validity, every place that shows a dictamen's status says
  "vencido" (and, the minute before, "vigente").
"""

import csv
import datetime
import io
import json
import zoneinfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from lxml import html as lxml_html
from rest_framework.test import APIClient

from dictamenes.avisos import services as avisos
from dictamenes.emision.services import integridad, rectificacion
from dictamenes.models import Aviso, EventoAuditoria
from dictamenes.organizacion.selectors.calendario import Calendario
from dictamenes.personas.services import personas
from dictamenes.roles import Rol
from dictamenes.seguimiento.services import vigencia
from tests.backends.paralelo import en_paralelo
from tests.backends.plugin import require_postgres
from tests.dictamenes.emision.test_verificador import verificar
from tests.dictamenes.flujo_utils import (
    credencial,
    detalle,
    en_firma,
    firmar,
    persona,
    rectificar,
    usuario,
)

pytestmark = pytest.mark.django_db

ZONA = zoneinfo.ZoneInfo(settings.TIME_ZONE)


def dmy(fecha: datetime.date) -> str:
    return fecha.strftime("%d/%m/%Y")


def mediodia(dia: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(dia, datetime.time(12), tzinfo=ZONA)


def primer_dia_con(faltan: int, hasta: datetime.date) -> datetime.date:
    """The first day on which at most `faltan` business days are left before `hasta`."""
    cal = Calendario.cargar(hasta - datetime.timedelta(days=120), hasta)
    dia = hasta
    while cal.habiles_entre(dia - datetime.timedelta(days=1), hasta) <= faltan:
        dia -= datetime.timedelta(days=1)
    return dia


def correr(dia: datetime.date, django_capture_on_commit_callbacks) -> list:
    """Run the cron command at noon of `dia`; the e-mails it sent."""
    antes = len(mail.outbox)
    salida = io.StringIO()
    with (
        time_machine.travel(mediodia(dia), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("recordar_vigencias", stdout=salida)
    enviados = mail.outbox[antes:]
    assert salida.getvalue() == f"{len(enviados)} recordatorio(s) de vigencia enviados.\n"
    return enviados


@pytest.fixture
def dictamen(demo):
    return firmar(en_firma())


def test_umbral_del_dia():
    assert [vigencia.umbral_de(faltan=n) for n in (45, 31, 30, 11, 10, 3, 0, -1)] == [
        None,
        None,
        30,
        30,
        10,
        10,
        10,
        None,
    ]


def test_recordatorios_a_30_y_a_10_dias_habiles_una_vez_cada_uno(
    client, dictamen, django_capture_on_commit_callbacks
):
    hasta = dictamen.vigencia_hasta
    dia30, dia10 = primer_dia_con(30, hasta), primer_dia_con(10, hasta)
    cal = Calendario.cargar(dia30, hasta)
    assert cal.habiles_entre(dia30, hasta) == 30 and cal.habiles_entre(dia10, hasta) == 10

    assert correr(dia30 - datetime.timedelta(days=1), django_capture_on_commit_callbacks) == []

    (correo,) = correr(dia30, django_capture_on_commit_callbacks)
    solicitud = dictamen.solicitud
    assert correo.subject == (
        f"[Dictámenes TIC] Vigencia del dictamen {dictamen.folio}: vence el {dmy(hasta)}"
    )
    assert f"está vigente hasta el {dmy(hasta)}: faltan 30 días hábiles." in correo.body
    assert f"de la solicitud {solicitud.folio} «{solicitud.titulo}»" in correo.body
    assert reverse("verificar_folio", args=[dictamen.folio]) in correo.body
    assert usuario("requirente.sh").email in correo.to
    assert usuario("requirente.rc").email not in correo.to

    # Again the same day, and the next day: nothing new.
    assert correr(dia30, django_capture_on_commit_callbacks) == []
    assert correr(dia30 + datetime.timedelta(days=1), django_capture_on_commit_callbacks) == []

    (correo,) = correr(dia10, django_capture_on_commit_callbacks)
    assert "faltan 10 días hábiles." in correo.body
    assert correr(dia10, django_capture_on_commit_callbacks) == []
    assert correr(hasta, django_capture_on_commit_callbacks) == []
    assert correr(hasta + datetime.timedelta(days=1), django_capture_on_commit_callbacks) == []

    # Each one audited, with the threshold and whom it went to.
    eventos = EventoAuditoria.objects.filter(tipo=vigencia.TIPO_EVENTO, solicitud=solicitud)
    assert [(e.datos["umbral"], e.datos["faltan"], e.descripcion) for e in eventos] == [
        (30, 30, f"Recordatorio de vigencia del dictamen {dictamen.folio} (30 días hábiles)"),
        (10, 10, f"Recordatorio de vigencia del dictamen {dictamen.folio} (10 días hábiles)"),
    ]
    assert Aviso.objects.filter(enviado_en__isnull=False).count() == 2
    # The agency sees them in the request's history, as done by the system.
    client.force_login(usuario("requirente.sh"))
    historial = lxml_html.fromstring(client.get(detalle(solicitud)).content.decode()).xpath(
        "//ol[@class='historial']/li[contains(., 'Recordatorio de vigencia')]"
    )
    assert [" ".join(li.text_content().split()).split(" · ", 1)[1] for li in historial] == [
        f"Recordatorio de vigencia del dictamen {dictamen.folio} ({n} días hábiles) · Sistema"
        for n in (30, 10)
    ]


def test_van_a_los_requirentes_del_ente_y_a_quien_la_creo(
    dictamen, django_capture_on_commit_callbacks
):
    autor = usuario("requirente.sh")
    otro = persona(
        "compras.sh", roles=[Rol.REQUIRENTE], rfc="COSH800101AB1", ente=autor.perfil.ente
    )
    # The author left the agency's requirentes after presenting: still told, as the author.
    personas.rol_retirar(
        usuario=autor, rol=Rol.REQUIRENTE, por=usuario("admin"), motivo="Cambio de área."
    )
    assert autor.email not in avisos.correos_requirentes(solicitud=dictamen.solicitud)
    (correo,) = correr(
        primer_dia_con(30, dictamen.vigencia_hasta), django_capture_on_commit_callbacks
    )
    assert set(correo.to) >= {autor.email, otro.email}
    assert usuario("requirente.rc").email not in correo.to


def test_si_cron_no_corrio_a_tiempo_solo_llega_el_mas_cercano(
    dictamen, django_capture_on_commit_callbacks
):
    dia = primer_dia_con(7, dictamen.vigencia_hasta)
    (correo,) = correr(dia, django_capture_on_commit_callbacks)
    assert "faltan 7 días hábiles." in correo.body
    assert correr(dia + datetime.timedelta(days=1), django_capture_on_commit_callbacks) == []


def test_cancelado_rectificado_o_no_favorable_no_reciben_recordatorio(
    demo, django_capture_on_commit_callbacks
):
    cancelado = firmar(en_firma(titulo="Licencias de correo"))
    rectificacion.dictamen_cancelar(
        dictamen=cancelado,
        usuario=usuario("firmante"),
        credencial=credencial(),
        motivo="La dependencia desistió de la compra.",
    )
    rectificado = firmar(en_firma(titulo="Servidores"))
    nuevo = rectificar(rectificado, motivo="La vigencia citada es otra.")
    no_favorable = firmar(en_firma(titulo="Impresoras", resultado="no_favorable"))
    hasta = max(d.vigencia_hasta for d in (cancelado, rectificado, nuevo, no_favorable))
    enviados = []
    for dia in (primer_dia_con(30, hasta), primer_dia_con(10, hasta)):
        enviados += correr(dia, django_capture_on_commit_callbacks)
    asuntos = " ".join(c.subject for c in enviados)
    for sin_aviso in (cancelado, rectificado, no_favorable):
        assert sin_aviso.folio not in asuntos
    # The rectification is the dictamen in force: it is the one reminded.
    assert [c.subject.count(nuevo.folio) for c in enviados] == [1, 1]


# --- Every place that shows the status --------------------------------------------------


def _registro(client, folio) -> str:
    arbol = lxml_html.fromstring(client.get(reverse("registro")).content.decode())
    (fila,) = arbol.xpath(f"//tr[th//a[normalize-space()='{folio}']]")
    return " ".join(fila.xpath("./td[@data-etiqueta='Estado']")[0].text_content().split())


def _caja(respuesta) -> str:
    arbol = lxml_html.fromstring(respuesta.content.decode())
    (caja,) = arbol.xpath("//*[@role='status']")
    texto = " ".join(caja.text_content().split())
    return texto[texto.index("Estado:") :]


def _csv(client, folio) -> str:
    texto = b"".join(client.get(reverse("datos_csv")).streaming_content).decode("utf-8-sig")
    (fila,) = [f for f in csv.DictReader(io.StringIO(texto)) if f["folio"] == folio]
    return fila["estado"]


def _json(client, folio) -> str:
    datos = json.loads(b"".join(client.get(reverse("datos_json")).streaming_content))
    (fila,) = [f for f in datos["dictamenes"] if f["folio"] == folio]
    return fila["estado"]


def _api(ruta, folio, api) -> str:
    (fila,) = [f for f in api.get(ruta).json()["results"] if f["folio"] == folio]
    return fila["estado"]


def _detalle(client, dictamen) -> str:
    client.force_login(usuario("requirente.sh"))
    respuesta = client.get(reverse("solicitudes:detalle", args=[dictamen.solicitud_id]))
    client.logout()
    arbol = lxml_html.fromstring(respuesta.content.decode())
    # The status in the words of verificar/_estado_texto.html, which starts with it.
    (estado,) = arbol.xpath("//p[@class='estado-del-dictamen']//strong")
    return estado.text_content().strip()


def _informe(tmp_path, pdf) -> str:
    codigo, salida = verificar(tmp_path, pdf, "--json")
    assert codigo == 0  # authentic: what changed is only its status
    return json.loads(salida)["archivo"]["estado"]


def lo_que_dice_cada_lugar(client, dictamen, pdf, tmp_path) -> dict[str, str]:
    folio = dictamen.folio
    api = APIClient()
    api.force_authenticate(usuario("requirente.sh"))
    subida = client.post(reverse("verificar"), {"pdf": SimpleUploadedFile("d.pdf", pdf)})
    return {
        "registro": _registro(client, folio),
        "verificar por folio": _caja(client.get(reverse("verificar_folio", args=[folio]))),
        "verificar el PDF": _caja(subida),
        "CSV": _csv(client, folio),
        "JSON": _json(client, folio),
        "API registro": _api("/api/v1/registro/", folio, APIClient()),
        "API dictámenes": _api("/api/v1/dictamenes/", folio, api),
        "detalle de la solicitud": _detalle(client, dictamen),
        "manage.py dictamen_verificar": _informe(tmp_path, pdf),
    }


def test_pasada_la_vigencia_cada_lugar_dice_vencido(client, dictamen, tmp_path):
    hasta = dictamen.vigencia_hasta
    pdf = integridad.dictamen_pdf_leer(dictamen=dictamen)
    ultimo_minuto = datetime.datetime.combine(hasta, datetime.time(23, 59), tzinfo=ZONA)
    with time_machine.travel(ultimo_minuto, tick=False):
        antes = lo_que_dice_cada_lugar(client, dictamen, pdf, tmp_path)
    with time_machine.travel(ultimo_minuto + datetime.timedelta(minutes=2), tick=False):
        despues = lo_que_dice_cada_lugar(client, dictamen, pdf, tmp_path)

    desde = dmy(hasta + datetime.timedelta(days=1))
    assert antes == {
        "registro": f"Vigente. Vigente hasta el {dmy(hasta)}.",
        "verificar por folio": f"Estado: Vigente Vigente hasta el {dmy(hasta)}.",
        "verificar el PDF": f"Estado: Vigente Vigente hasta el {dmy(hasta)}.",
        "CSV": "Vigente",
        "JSON": "Vigente",
        "API registro": "Vigente",
        "API dictámenes": "vigente",
        "detalle de la solicitud": "Vigente",
        "manage.py dictamen_verificar": "Vigente",
    }
    vencido = f"Estado: Vencido Vencido desde el {desde}: estuvo vigente hasta el {dmy(hasta)}."
    assert despues == {
        "registro": f"Vencido. Vencido desde el {desde}: estuvo vigente hasta el {dmy(hasta)}.",
        "verificar por folio": vencido,
        "verificar el PDF": vencido,
        "CSV": "Vencido",
        "JSON": "Vencido",
        "API registro": "Vencido",
        "API dictámenes": "vencido",
        "detalle de la solicitud": "Vencido",
        "manage.py dictamen_verificar": "Vencido",
    }


def test_el_registro_de_un_cancelado_dice_cancelado_sin_vigencia(client, dictamen):
    rectificacion.dictamen_cancelar(
        dictamen=dictamen,
        usuario=usuario("firmante"),
        credencial=credencial(),
        motivo="La dependencia desistió de la compra.",
    )
    cancelado = _registro(client, dictamen.folio)
    assert cancelado.startswith("Cancelado. Cancelado el ")
    assert "igente" not in cancelado


@pytest.mark.django_db(transaction=True)
def test_dos_corridas_a_la_vez_envian_cada_recordatorio_una_vez(demo):
    """The service called twice at once, without the command's lock (two servers whose cron
    fire together): the dictamen's row lock lets one decide while the other waits, and then
    finds the first one's event."""
    require_postgres()
    dictamen = firmar(en_firma())
    with time_machine.travel(mediodia(primer_dia_con(30, dictamen.vigencia_hasta))):
        resultados, errores = en_paralelo(lambda _: vigencia.vigencias_recordar(), [1, 2])
    assert errores == []
    assert sorted(resultados) == [0, 1]
    assert Aviso.objects.filter(asunto__startswith="Vigencia del dictamen").count() == 1
    assert EventoAuditoria.objects.filter(tipo=vigencia.TIPO_EVENTO).count() == 1
