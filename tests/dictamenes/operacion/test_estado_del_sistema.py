"""The operator's page (/cuentas/sistema/) and `manage.py estado_del_sistema` (issue 49, 2):
each item with its state, since when and what to do; the runs of the periodic commands that
the lock wrapper records; one e-mail to the administrators when items turn red, and not
again while they stay red."""

import datetime
import io
import re

import pytest
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.core.management import CommandError, call_command, get_commands, load_command_class
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html

from demo import autoridades
from dictamenes.avisos.services import url_absoluta
from dictamenes.management.cron import UnaCorridaALaVez
from dictamenes.models import Aviso, CorridaPeriodica, Dictamen
from dictamenes.operacion import exclusion
from dictamenes.operacion.periodicas import PERIODICAS, POR_NOMBRE
from dictamenes.operacion.selectors.corridas import ultimas_corridas
from tests.dictamenes.flujo_utils import en_firma, firmar
from tests.dictamenes.operacion.test_exclusion import otra_corrida

pytestmark = pytest.mark.django_db

URL = "/cuentas/sistema/"
Resultado = CorridaPeriodica.Resultado
ERROR_SMTP = "SMTPServerDisconnected: Connection unexpectedly closed"


def corrida(nombre, *, hace, resultado=Resultado.OK, mensaje=""):
    inicio = timezone.now() - hace
    return CorridaPeriodica.objects.create(
        nombre=nombre, inicio=inicio, fin=inicio, resultado=resultado, mensaje=mensaje
    )


def todas_al_dia():
    """Every periodic command ran well a minute ago: only what a test breaks is red."""
    for p in PERIODICAS:
        corrida(p.nombre, hace=datetime.timedelta(minutes=1))


def correo_fallando(intentos=3):
    return Aviso.objects.create(
        destinatarios=["mesa@demo.invalid"],
        asunto="Nueva tarea",
        mensaje="…",
        intentos=intentos,
        ultimo_error=ERROR_SMTP,
    )


def certificado_que_vence(tmp_path, *, dias, nombre="AC que vence pronto"):
    """A CA certificate (PEM) that ends `dias` days (and an hour) from now."""
    certificado, _ = autoridades.generar_ca(
        nombre, vence=timezone.now() + datetime.timedelta(days=dias, hours=1)
    )
    ruta = tmp_path / f"{nombre.replace(' ', '-')}.pem"
    ruta.write_bytes(certificado.public_bytes(serialization.Encoding.PEM))
    return str(ruta)


@pytest.fixture
def dictamenes(demo) -> list[Dictamen]:
    """One dictamen issued and signed for real, and two copies of its row (cancelled, under
    folios of their own): what the page counts is rows, whatever their PDF."""
    emitido = firmar(en_firma(areas=("computo",)))
    copias = []
    for n in (1, 2):
        copia = Dictamen.objects.get(pk=emitido.pk)
        copia.pk = None
        copia.folio = f"{emitido.folio}-C{n}"
        copia.cancelado_en = timezone.now()
        copia.save()
        copias.append(copia)
    return [emitido, *copias]


def asuntos_de_la_pagina(respuesta) -> dict[str, dict]:
    """Each item of the page as a person reads it: its state word and its text, by title."""
    assert respuesta.status_code == 200
    arbol = lxml_html.fromstring(respuesta.content.decode())
    leidos = {}
    for li in arbol.xpath("//li[contains(@class, 'asunto ')]"):
        titulo = " ".join(li.xpath("./h3")[0].text_content().split())
        leidos[titulo] = {
            "estado": li.xpath(".//span[contains(@class, 'semaforo')]")[0].text_content(),
            "texto": " ".join(li.text_content().split()),
        }
    return leidos


def correr_estado(**opciones) -> tuple[int, str]:
    salida = io.StringIO()
    try:
        call_command("estado_del_sistema", stdout=salida, **opciones)
    except CommandError as exc:
        return exc.returncode, salida.getvalue()
    return 0, salida.getvalue()


def alertas():
    """Every e-mail to the administrators in the outbox (the failing ones the tests queue go
    to the mesa): one alert must be all there is."""
    return [a for a in Aviso.objects.order_by("pk") if "admin@demo.invalid" in a.destinatarios]


# --- The page and the command -----------------------------------------------------------------


def test_la_pagina_muestra_lo_atrasado_el_certificado_por_vencer_y_el_correo_que_falla(
    demo, como, settings, tmp_path
):
    todas_al_dia()
    corrida("enviar_avisos", hace=datetime.timedelta(hours=2))
    CorridaPeriodica.objects.filter(
        nombre="enviar_avisos", inicio__gt=timezone.now() - datetime.timedelta(minutes=5)
    ).delete()
    settings.DICTAMENES_EFIRMA_RAICES = [
        *settings.DICTAMENES_EFIRMA_RAICES,
        certificado_que_vence(tmp_path, dias=60),
    ]
    correo_fallando()

    asuntos = asuntos_de_la_pagina(como("admin").get(URL))

    atrasado = asuntos["enviar_avisos: " + POR_NOMBRE["enviar_avisos"].descripcion]
    assert atrasado["estado"] == "Falla"
    assert "Atrasado: pasaron más de 5 min sin una corrida buena." in atrasado["texto"]
    assert "hace 2 h" in atrasado["texto"]
    assert "manage.py enviar_avisos" in atrasado["texto"]
    certificado = asuntos["AC de la e.firma (de demostración): AC que vence pronto"]
    assert certificado["estado"] == "Atención"
    assert "Quedan 60 días" in certificado["texto"]
    assert "DJANGO_EFIRMA_RAICES" in certificado["texto"]
    correo = asuntos["Bandeja de salida del correo"]
    assert correo["estado"] == "Falla"
    assert "1 aviso(s) pendientes, 1 con envíos fallidos" in correo["texto"]
    assert ERROR_SMTP in correo["texto"]
    # What is well says so.
    assert (
        asuntos["recordar_programa: " + POR_NOMBRE["recordar_programa"].descripcion]["estado"]
        == "Bien"
    )

    codigo, salida = correr_estado(sin_correo=True)
    assert codigo == 2
    assert "[FALLA] Bandeja de salida del correo" in salida
    assert "[FALLA] enviar_avisos:" in salida
    assert "[ATENCIÓN] AC de la e.firma (de demostración): AC que vence pronto" in salida


def test_las_secciones_se_pintan_una_vez_por_lo_que_dicen(demo, como):
    """The sections are rendered once for what they say (comun.cache.huella_del_contenido):
    the same state again is not rendered, and an item that changes shows on the next visit."""
    todas_al_dia()
    admin = como("admin")

    def visita():
        respuesta = admin.get(URL)
        pintadas = "cuentas/_sistema_secciones.html" in {t.name for t in respuesta.templates}
        return asuntos_de_la_pagina(respuesta), pintadas

    antes, pintadas = visita()
    assert pintadas and antes["Bandeja de salida del correo"]["estado"] == "Bien"
    assert visita() == (antes, False)

    correo_fallando()
    despues, pintadas = visita()
    assert pintadas
    assert despues["Bandeja de salida del correo"]["estado"] == "Falla"
    assert ERROR_SMTP in despues["Bandeja de salida del correo"]["texto"]


def test_todo_bien_sale_con_cero_y_un_aviso_solo_sale_con_uno(demo, settings, tmp_path):
    todas_al_dia()
    assert correr_estado(sin_correo=True)[0] == 0
    settings.DICTAMENES_TSA_RAICES = [
        *settings.DICTAMENES_TSA_RAICES,
        certificado_que_vence(tmp_path, dias=60, nombre="AC de la TSA nueva"),
    ]
    codigo, salida = correr_estado(sin_correo=True)
    assert codigo == 1
    assert (
        "[ATENCIÓN] AC de la autoridad de sello de tiempo (TSA) (de demostración): "
        "AC de la TSA nueva" in salida
    )


def test_solo_la_administracion_ve_el_estado_del_sistema(demo, como):
    assert como("mesa").get(URL).status_code == 403
    respuesta = como("admin").get(reverse("inicio"))
    assert URL in respuesta.content.decode()


def test_las_consultas_no_crecen_con_las_filas(dictamenes, como):
    cliente = como("admin")
    todas_al_dia()
    correo_fallando()
    Dictamen.objects.filter(pk=dictamenes[0].pk).update(
        sello_archivo_vence=timezone.now() + datetime.timedelta(days=40)
    )
    cliente.get(URL)  # warm the caches a running site has warm
    with CaptureQueriesContext(connection) as pocas:
        assert cliente.get(URL).status_code == 200
    for i in range(30):
        correo_fallando(intentos=i % 5)
        for p in PERIODICAS:
            corrida(
                p.nombre,
                hace=datetime.timedelta(hours=i, minutes=2),
                resultado=Resultado.FALLO if i % 3 else Resultado.OK,
            )
    for i, pk in enumerate(Dictamen.objects.values_list("pk", flat=True)):
        Dictamen.objects.filter(pk=pk).update(
            sello_archivo_vence=timezone.now() + datetime.timedelta(days=40 + 400 * i)
        )
    with CaptureQueriesContext(connection) as muchas:
        assert cliente.get(URL).status_code == 200
    assert len(muchas) == len(pocas), [q["sql"] for q in muchas]


# --- The archival renewal, years ahead ---------------------------------------------------------


def test_los_sellos_por_vencer_en_90_dias_fallan_y_los_anios_siguientes_se_cuentan(
    dictamenes, como
):
    todas_al_dia()
    ahora = timezone.now()
    # Issuing keeps the date of the PDF's last document timestamp: the demo TSA's, decades on.
    emitido = dictamenes[0]
    assert emitido.sello_archivo_vence > ahora + datetime.timedelta(days=20 * 365)
    pronto, *demas = dictamenes
    Dictamen.objects.filter(pk=pronto.pk).update(
        sello_archivo_vence=ahora + datetime.timedelta(days=45)
    )
    en_dos_anios = ahora + datetime.timedelta(days=2 * 365 + 30)
    Dictamen.objects.filter(pk__in=[d.pk for d in demas]).update(sello_archivo_vence=en_dos_anios)

    respuesta = como("admin").get(URL)
    sellos = asuntos_de_la_pagina(respuesta)["Renovación de los sellos de archivo"]
    assert sellos["estado"] == "Falla"
    assert (
        f"1 dictamen(es) con su último sello de archivo vencido o por vencer en 90 días "
        f"(0 ya vencidos): {pronto.folio}." in sellos["texto"]
    )
    assert "manage.py sellos_archivo_renovar" in sellos["texto"]
    tabla = lxml_html.fromstring(respuesta.content.decode()).xpath(
        "//table[@id='sellos-por-anio']"
    )[0]
    filas = [
        [" ".join(c.text_content().split()) for c in tr.xpath("./th|./td")]
        for tr in tabla.xpath(".//tbody/tr")
    ]
    anio_pronto = timezone.localtime(ahora + datetime.timedelta(days=45)).year
    assert [f[:2] for f in filas] == [
        [str(anio_pronto), "1"],
        [str(en_dos_anios.year), str(len(demas))],
    ]
    assert correr_estado(sin_correo=True)[0] == 2


def test_la_renovacion_registra_la_fecha_de_los_emitidos_antes(dictamenes, como):
    todas_al_dia()
    vence = dictamenes[0].sello_archivo_vence
    Dictamen.objects.update(sello_archivo_vence=None)
    sellos = asuntos_de_la_pagina(como("admin").get(URL))["Renovación de los sellos de archivo"]
    assert sellos["estado"] == "Atención"
    assert "3 dictamen(es) sin la fecha de vencimiento de su último sello" in sellos["texto"]
    call_command("sellos_archivo_renovar", verbosity=0)
    # Read from each PDF (the copies share the issued one's).
    assert list(Dictamen.objects.values_list("sello_archivo_vence", flat=True)) == [vence] * 3


# --- One e-mail when items turn red --------------------------------------------------------------


def test_un_solo_correo_por_varios_asuntos_en_falla_y_no_otra_vez(demo, settings, tmp_path):
    todas_al_dia()
    CorridaPeriodica.objects.filter(nombre__in=["enviar_avisos", "workflow_timers"]).delete()
    corrida("enviar_avisos", hace=datetime.timedelta(hours=3))
    corrida("workflow_timers", hace=datetime.timedelta(hours=3))
    correo_fallando()

    assert correr_estado()[0] == 2
    (alerta,) = alertas()
    assert alerta.asunto == "El sistema necesita atención: 3 asunto(s) en falla"
    assert sorted(alerta.destinatarios) == ["admin2@demo.invalid", "admin@demo.invalid"]
    for texto in ("Bandeja de salida del correo", "enviar_avisos:", "workflow_timers:", ERROR_SMTP):
        assert texto in alerta.mensaje
    assert alerta.enlace == url_absoluta(URL)  # the button leads to the page

    # Still red an hour later: nothing new to tell.
    assert correr_estado()[0] == 2
    assert len(alertas()) == 1

    # A new item turns red: one more e-mail, with all three old ones and the new one.
    settings.DICTAMENES_EFIRMA_RAICES = [
        *settings.DICTAMENES_EFIRMA_RAICES,
        certificado_que_vence(tmp_path, dias=10, nombre="AC que vence en diez"),
    ]
    assert correr_estado()[0] == 2
    nueva = alertas()[-1]
    assert len(alertas()) == 2
    assert nueva.asunto == "El sistema necesita atención: 4 asunto(s) en falla"
    assert "Nuevo · AC de la e.firma (de demostración): AC que vence en diez" in nueva.mensaje


def test_lo_que_se_arregla_y_vuelve_a_fallar_se_avisa_otra_vez(demo):
    todas_al_dia()
    aviso = correo_fallando()
    correr_estado()
    assert len(alertas()) == 1
    aviso.delete()  # sent at last
    assert correr_estado()[0] == 0
    correo_fallando()
    correr_estado()
    assert len(alertas()) == 2


def test_sin_correo_no_avisa_ni_olvida_lo_avisado(demo):
    todas_al_dia()
    correo_fallando()
    assert correr_estado(sin_correo=True)[0] == 2
    assert alertas() == []
    correr_estado()
    correr_estado(sin_correo=True)
    correr_estado()
    assert len(alertas()) == 1


# --- The runs the lock wrapper records --------------------------------------------------------


@pytest.mark.parametrize("nombre", [p.nombre for p in PERIODICAS])
def test_cada_comando_periodico_pasa_por_el_candado_que_registra_su_corrida(nombre):
    comando = load_command_class(get_commands()[nombre], nombre)
    assert isinstance(comando, UnaCorridaALaVez), (
        f"manage.py {nombre} no registra sus corridas: debe heredar de UnaCorridaALaVez"
    )


def test_cada_corrida_queda_registrada_bien_con_error_u_omitida(demo, monkeypatch):
    call_command("auditoria_verificar", stdout=io.StringIO())
    (buena,) = CorridaPeriodica.objects.filter(nombre="auditoria_verificar")
    assert (buena.resultado, buena.fin is not None) == (Resultado.OK, True)
    assert buena.mensaje.startswith("Cadena íntegra: ")

    from dictamenes.comun import auditoria

    def rota():
        raise RuntimeError("la base no respondió")

    monkeypatch.setattr(auditoria, "cadena_verificar", rota)
    monkeypatch.setattr("dictamenes.management.commands.auditoria_verificar.cadena_verificar", rota)
    with pytest.raises(RuntimeError):
        call_command("auditoria_verificar", stdout=io.StringIO())
    ultima = CorridaPeriodica.objects.filter(nombre="auditoria_verificar").first()
    assert (ultima.resultado, ultima.mensaje) == (Resultado.FALLO, "la base no respondió")

    with otra_corrida("recordar_vigencias"):
        call_command("recordar_vigencias", stdout=io.StringIO())
    omitida = CorridaPeriodica.objects.get(nombre="recordar_vigencias")
    assert omitida.resultado == Resultado.OMITIDA
    assert omitida.mensaje == str(
        exclusion.OTRA_CORRIDA_EN_CURSO % {"nombre": "recordar_vigencias"}
    )

    (auditoria_corrida,) = [c for c in ultimas_corridas() if c.nombre == "auditoria_verificar"]
    assert auditoria_corrida.ultima_ok == buena and auditoria_corrida.fallo_despues


def test_una_cadena_rota_es_una_falla_con_su_mensaje(demo, como, monkeypatch):
    todas_al_dia()
    corrida(
        "auditoria_verificar",
        hace=datetime.timedelta(seconds=5),
        resultado=Resultado.FALLO,
        mensaje="Cadena rota en el evento #12 (id 12, …): el hash no coincide.",
    )
    asunto = asuntos_de_la_pagina(como("admin").get(URL))[
        "Última verificación de la cadena de auditoría (auditoria_verificar)"
    ]
    assert asunto["estado"] == "Falla"
    assert "Cadena rota en el evento #12" in asunto["texto"]


def test_el_ultimo_respaldo_y_su_edad(demo, como):
    todas_al_dia()
    CorridaPeriodica.objects.filter(nombre="respaldo").delete()
    corrida(
        "respaldo",
        hace=datetime.timedelta(days=3),
        mensaje="/var/backups/dictamenes/dictamenes-20261122-020000.tar (10 bytes de archivos)",
    )
    asunto = asuntos_de_la_pagina(como("admin").get(URL))["Último respaldo (respaldo)"]
    assert asunto["estado"] == "Falla"
    assert "hace 3 días" in asunto["texto"]
    assert "dictamenes-20261122-020000.tar" in asunto["texto"]


def test_las_corridas_viejas_se_podan_salvo_la_ultima_buena(demo):
    vieja_buena = corrida("sellos_archivo_renovar", hace=datetime.timedelta(days=90))
    corrida("sellos_archivo_renovar", hace=datetime.timedelta(days=80), resultado=Resultado.FALLO)
    call_command("auditoria_verificar", stdout=io.StringIO())  # prunes its own name only
    assert CorridaPeriodica.objects.filter(nombre="sellos_archivo_renovar").count() == 2
    from dictamenes.operacion.services import corridas

    nueva = corridas.corrida_iniciar(nombre="sellos_archivo_renovar")
    corridas.corrida_terminar(corrida=nueva, resultado=Resultado.FALLO, mensaje="TSA caída")
    assert set(CorridaPeriodica.objects.filter(nombre="sellos_archivo_renovar")) == {
        vieja_buena,
        nueva,
    }
    assert settings.DICTAMENES_NOM151.get("URL") == ""  # constancias_nom151: not expected here


def test_el_respaldo_en_una_carpeta_lleva_la_fecha_en_su_nombre(tmp_path):
    from dictamenes.management.commands.respaldo import destino_de

    assert destino_de(str(tmp_path / "a.tar")) == tmp_path / "a.tar"
    destino = destino_de(str(tmp_path))
    assert destino.parent == tmp_path
    assert re.fullmatch(r"dictamenes-\d{8}-\d{6}\.tar", destino.name)
    assert destino.name.startswith(f"dictamenes-{timezone.localtime():%Y%m%d}-")
