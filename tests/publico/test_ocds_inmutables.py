"""OCDS releases that never change, for every request (issue 48, item 4): the requests without
events of their own (the years imported or generated before the system) are kept as first
published too, so renaming the institution and an agency leaves every month's package and
every record byte for byte as it was; the catalogue dates a month by when its bytes last
changed, not by the day it is read; and no two releases of an ocid share a second."""

import datetime
import json
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache as la_cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from rdflib import Graph
from rdflib.namespace import DCTERMS

from dictamenes.models import (
    Ente,
    EntregaOCDS,
    EntregaOCDSHistorica,
    Solicitud,
    TextosInstitucionales,
)
from dictamenes.organizacion.selectors.textos import textos_vigentes
from dictamenes.tramite.services import cierre
from publico.ocds import publicacion
from tests.dictamenes.flujo_utils import en_firma, firmar, presentada, usuario
from tests.publico.test_ocds import _json, _ruta

pytestmark = pytest.mark.django_db

TZ = timezone.get_current_timezone()
E = Solicitud.Estado
CATALOGO = "/datos-abiertos/catalogo.jsonld"
DISTRIBUCION = "http://127.0.0.1:8000/datos-abiertos/catalogo#ocds-entregas-"
NUEVA_INSTITUCION = "Agencia Digital del Estado"
NUEVO_ENTE = "Secretaría de Finanzas y Hacienda Renombrada"


def _historica(
    folio, siglas, presentada_en, *, atendida_en=None, estado=E.DICTAMINADA, importada=False
):
    """A request of the years before the system: a folio, dates and a result; no events."""
    return Solicitud.objects.create(
        folio=folio,
        ente=Ente.objects.get(siglas=siglas),
        ejercicio=presentada_en.year,
        tipo_operacion="adquisicion",
        titulo=f"Solicitud {folio}",
        justificacion="Renovación del equipo de cómputo.",
        alineacion="x",
        monto_estimado=Decimal("150000.00"),
        estado=estado,
        resultado="favorable" if estado == E.DICTAMINADA else "",
        presentada_en=presentada_en,
        atendida_en=atendida_en,
        importada=importada,
        creada_por=usuario("requirente.sh"),
    )


def _momento(anio, mes, dia, hora=10, microsegundo=0) -> datetime.datetime:
    return datetime.datetime(anio, mes, dia, hora, 0, 0, microsegundo, tzinfo=TZ)


@pytest.fixture
def historia(demo):
    """Three months of history (one imported request, two generated ones) and a request
    signed this month through the procedure."""
    _historica(
        "HIS-2024-0001",
        "SH",
        _momento(2024, 11, 5),
        atendida_en=_momento(2024, 12, 3),
        importada=True,
    )
    _historica("HIS-2024-0002", "RC", _momento(2024, 12, 10), atendida_en=_momento(2024, 12, 20))
    _historica("HIS-2025-0001", "SH", _momento(2025, 1, 15), estado=E.REVISION_TECNICA)
    return firmar(en_firma(areas=("computo",), titulo="Firmada este mes"))


def _rutas() -> list[str]:
    """Every month's package and every request's record, as the OCDS page lists them."""
    return [_ruta(m["url"]) for m in publicacion.meses()] + [
        _ruta(r["url"]) for lista in publicacion.registros_por_mes().values() for r in lista
    ]


def _todo(client) -> dict[str, bytes]:
    la_cache.clear()  # worked out again, as after any change elsewhere
    respuestas = {ruta: client.get(ruta) for ruta in _rutas()}
    assert {r.status_code for r in respuestas.values()} == {200}
    return {ruta: r.content for ruta, r in respuestas.items()}


def _renombrar(*, institucion: str, ente: str) -> None:
    """A new version of the institution's texts (as an approved change writes it) and an
    agency's new name."""
    vigentes = TextosInstitucionales.objects.order_by("-version").first()
    vigentes.pk, vigentes.version = None, vigentes.version + 1
    vigentes.institucion, vigentes.creado_en = institucion, timezone.now()
    vigentes.save()
    Ente.objects.filter(siglas="SH").update(nombre=ente)
    la_cache.clear()


def test_renombrar_la_institucion_y_un_ente_no_cambia_ningun_mes_ni_registro(historia, client):
    institucion, ente = textos_vigentes().institucion, Ente.objects.get(siglas="SH").nombre
    antes = _todo(client)
    assert set(publicacion.registros_por_mes()) >= {"2024-11", "2024-12", "2025-01"}
    # The names are in what the history published: the rename could change it.
    noviembre = antes[reverse("ocds_entregas", args=["2024-11"])]
    assert institucion.encode() in noviembre and ente.encode() in noviembre
    _renombrar(institucion=NUEVA_INSTITUCION, ente=NUEVO_ENTE)
    assert _todo(client) == antes
    # The new names are the ones a new fact publishes.
    nueva = presentada(titulo="Después de los cambios de nombre")
    ocid = f"ocds-xxxxxx-{nueva.folio}"
    registro = _json(client, reverse("ocds_registro", args=[ocid]))
    assert {p["name"] for p in registro["records"][0]["compiledRelease"]["parties"]} == {
        NUEVA_INSTITUCION,
        NUEVO_ENTE,
    }
    assert registro["publisher"] == {"name": NUEVA_INSTITUCION}
    despues = _todo(client)
    cambiados = {ruta for ruta in antes if despues[ruta] != antes[ruta]}
    assert cambiados == {reverse("ocds_entregas", args=[f"{timezone.localdate():%Y-%m}"])}


def test_cada_hecho_sin_historia_se_guarda_al_publicarse_su_mes(historia, client):
    """Stored lazily, by the month (or the record) asked for: not the whole history at once."""
    client.get(reverse("ocds_entregas", args=["2024-12"]))
    guardadas = EntregaOCDSHistorica.objects.order_by("ocurrido_en")
    assert [(g.solicitud.folio, g.hecho) for g in guardadas] == [
        ("HIS-2024-0001", "atendida"),
        ("HIS-2024-0002", "presentada"),
        ("HIS-2024-0002", "atendida"),
    ]
    paquete = json.loads(client.get(reverse("ocds_entregas", args=["2024-12"])).content)
    assert [json.loads(g.entrega) for g in guardadas] == paquete["releases"]


# --- The catalogue's dates -------------------------------------------------------------------


def _fechas_de_los_meses(client) -> dict[str, datetime.datetime]:
    """Each month's distribution in the DCAT catalogue, with its dct:modified."""
    grafo = Graph().parse(data=client.get(CATALOGO).content, format="json-ld")
    return {
        str(sujeto).removeprefix(DISTRIBUCION): fecha.toPython()
        for sujeto, fecha in grafo.subject_objects(DCTERMS.modified)
        if str(sujeto).startswith(DISTRIBUCION)
    }


def test_el_catalogo_fecha_cada_mes_cuando_cambiaron_sus_bytes(historia, client):
    """A month is dated when its bytes last changed: the history's months by their newest
    release (they were never other), not by the day the catalogue is first read; renaming
    the institution and an agency days later moves no month; a new request moves its own."""
    fechas = _fechas_de_los_meses(client)
    assert set(fechas) >= {"2024-11", "2024-12", "2025-01"}
    for mes in ("2024-11", "2024-12", "2025-01"):
        paquete = _json(client, reverse("ocds_entregas", args=[mes]))
        assert fechas[mes] == datetime.datetime.fromisoformat(paquete["publishedDate"])
    assert fechas["2024-12"] == _momento(2024, 12, 20)
    luego = timezone.now() + datetime.timedelta(days=3)
    with time_machine.travel(luego, tick=False):
        _renombrar(institucion=NUEVA_INSTITUCION, ente=NUEVO_ENTE)
        assert _fechas_de_los_meses(client) == fechas
        for mes, fecha in fechas.items():
            respuesta = client.get(reverse("ocds_entregas", args=[mes]))
            assert respuesta["Last-Modified"] == http_date(fecha.timestamp()), mes
        presentada(titulo="Tres días después")
        mes_nuevo = f"{timezone.localdate():%Y-%m}"
        nuevas = _fechas_de_los_meses(client)
    assert {mes for mes in nuevas if nuevas[mes] != fechas.get(mes)} == {mes_nuevo}
    assert nuevas[mes_nuevo] == luego.replace(microsecond=0)


# --- No two releases of an ocid share a second ------------------------------------------------


def test_dos_hechos_en_el_mismo_segundo_tienen_fechas_distintas_y_en_su_orden(demo, client):
    """Presented and withdrawn within one second: the withdrawal's release is dated a second
    after the presentation's, so ocdsmerge (which orders by date) compiles them in the order
    they happened; the month's package carries the same dates. A request without history
    presented and attended within one second, likewise."""
    instante = timezone.now().replace(microsecond=200)
    with time_machine.travel(instante, tick=False):
        solicitud = presentada(titulo="Presentada y desistida en un segundo")
        cierre.solicitud_desistir(
            solicitud=solicitud, usuario=usuario("requirente.sh"), motivo="Ya no se necesita."
        )
    historica = _historica(
        "HIS-2025-0009",
        "RC",
        _momento(2025, 3, 3, microsegundo=100),
        atendida_en=_momento(2025, 3, 3, microsegundo=900),
    )
    un_segundo = datetime.timedelta(seconds=1)
    for folio, primera in (
        (solicitud.folio, instante.replace(microsecond=0)),
        (historica.folio, _momento(2025, 3, 3)),
    ):
        ocid = f"ocds-xxxxxx-{folio}"
        registro = _json(client, reverse("ocds_registro", args=[ocid]))["records"][0]
        fechas = [datetime.datetime.fromisoformat(e["date"]) for e in registro["releases"]]
        assert fechas == [primera, primera + un_segundo], folio
        compilada = registro["compiledRelease"]
        assert datetime.datetime.fromisoformat(compilada["date"]) == primera + un_segundo
        assert compilada["tag"] == ["compiled"]
        mes = f"{timezone.localtime(primera):%Y-%m}"
        paquete = _json(client, reverse("ocds_entregas", args=[mes]))
        del_mes = [e for e in paquete["releases"] if e["ocid"] == ocid]
        assert [e["date"] for e in del_mes] == [e["date"] for e in registro["releases"]]
    # The withdrawal is what the compiled record says last.
    ocid = f"ocds-xxxxxx-{solicitud.folio}"
    registro = _json(client, reverse("ocds_registro", args=[ocid]))["records"][0]
    assert registro["compiledRelease"]["tender"]["status"] == "withdrawn"


def test_una_entrega_movida_un_segundo_al_cierre_del_mes_sigue_en_el_paquete_de_su_mes(
    demo, client, settings
):
    """Issue 61: presented and withdrawn within the last second of January (23:59:59 on the
    31st, in the installation's zone), the withdrawal's release is dated 00:00:00 on February
    1st; the record pointed to February's package for it, which does not hold it. It stays in
    January's, the month of its fact, and every address the record gives holds its release.
    A request without history presented and attended in that second, likewise."""
    import zoneinfo

    settings.TIME_ZONE = "America/Mexico_City"
    zona = zoneinfo.ZoneInfo("America/Mexico_City")
    ultimo = datetime.datetime(2026, 1, 31, 23, 59, 59, tzinfo=zona)
    with time_machine.travel(ultimo.replace(microsecond=300_000), tick=False):
        solicitud = presentada(titulo="Presentada y desistida al cierre de enero")
    with time_machine.travel(ultimo.replace(microsecond=800_000), tick=False):
        cierre.solicitud_desistir(
            solicitud=solicitud, usuario=usuario("requirente.sh"), motivo="Ya no se necesita."
        )
    historica = _historica(
        "HIS-2026-0131",
        "RC",
        ultimo.replace(microsecond=100_000),
        atendida_en=ultimo.replace(microsecond=900_000),
    )
    enero = reverse("ocds_entregas", args=["2026-01"])
    for folio in (solicitud.folio, historica.folio):
        ocid = f"ocds-xxxxxx-{folio}"
        paquete = _json(client, reverse("ocds_registro", args=[ocid]))
        registro = paquete["records"][0]
        assert [e["date"] for e in registro["releases"]] == [
            "2026-01-31T23:59:59-06:00",
            "2026-02-01T00:00:00-06:00",
        ], folio
        assert [_ruta(url) for url in paquete["packages"]] == [enero], folio
        del_mes = _json(client, enero)["releases"]
        for entrega in registro["releases"]:
            url, ancla = entrega["url"].split("#")
            assert _ruta(url) == enero, folio
            assert ancla in {e["id"] for e in del_mes if e["ocid"] == ocid}, folio
    assert client.get(reverse("ocds_entregas", args=["2026-02"])).status_code == 404


# --- Bounded queries ---------------------------------------------------------------------------


def test_un_mes_de_historia_cuesta_las_mismas_consultas_con_una_o_con_seis(demo, client):
    """First published (its releases worked out and kept) and once published (read as kept),
    a month of history reads the same number of queries whatever the requests in it."""

    def consultas(mes: int, n: int) -> list[int]:
        for i in range(n):
            _historica(
                f"HIS-2023-{mes:02}{i:02}",
                "SH",
                _momento(2023, mes, 2 + i),
                atendida_en=_momento(2023, mes, 20 + i),
            )
        ruta = reverse("ocds_entregas", args=[f"2023-{mes:02}"])
        cuentas = []
        for _ in range(2):
            la_cache.clear()
            with CaptureQueriesContext(connection) as capturadas:
                assert client.get(ruta).status_code == 200
            cuentas.append(len(capturadas))
        assert (
            EntregaOCDSHistorica.objects.filter(
                solicitud__folio__startswith=f"HIS-2023-{mes:02}"
            ).count()
            == 2 * n
        )
        return cuentas

    una = consultas(3, 1)
    assert consultas(5, 6) == una
    assert una[1] < una[0]
    assert not EntregaOCDS.objects.exists()
