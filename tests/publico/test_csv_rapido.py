"""The open-data CSV has a fast path of its own (tuples from the database, labels and links
worked out once per export): it must give byte for byte the CSV that the register's rows
(`datos_abiertos.filas`, the dictionaries the page and the JSON use) would give."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from demo import historico
from dictamenes.comun.tablas import sin_formulas
from dictamenes.models import Dictamen, Ente, Partida, Solicitud
from dictamenes.tramite.selectors.access import dictamenes_publicos
from estandares.models import Categoria
from publico import datos_abiertos

pytestmark = pytest.mark.django_db

HASTA = timezone.make_aware(datetime.datetime(2026, 11, 20, 12, 0))
FORMULAS = ["=1+1", "+52 662 000", "-menos", "@SUMA(A1)", "\ttabulador", "\rretorno"]
# Text the CSV has to put between quotes.
COMILLAS = ['Compra "urgente", lote 2', "dos\nlíneas", "fin\r\n", '"', ",", "ñandú ☃ 𝄞"]


@pytest.fixture
def historia(demo):
    """A small generated history, with the cases the rows have to get right put in by hand."""
    historico.generar(anios=2, escala=0.05, hasta=HASTA, semilla=7)
    dictamenes = list(dictamenes_publicos().select_related("solicitud"))
    assert len(dictamenes) > 20
    # Titles that start like a spreadsheet formula; an agency whose name and acronym do too.
    for dictamen, titulo in zip(dictamenes, FORMULAS, strict=False):
        Solicitud.objects.filter(pk=dictamen.solicitud_id).update(titulo=titulo + " compra")
    for dictamen, titulo in zip(dictamenes[10:], COMILLAS, strict=False):
        Solicitud.objects.filter(pk=dictamen.solicitud_id).update(titulo=titulo)
    Ente.objects.filter(pk=dictamenes[0].solicitud.ente_id).update(
        nombre='=Secretaría de "pruebas", Sonora', siglas="@SP"
    )
    # One cancelled, one without items (no categories), one issued late at night in
    # Hermosillo, which is already the next day in UTC.
    Dictamen.objects.filter(pk=dictamenes[6].pk).update(cancelado_en=timezone.now())
    Partida.objects.filter(solicitud_id=dictamenes[7].solicitud_id).delete()
    Dictamen.objects.filter(pk=dictamenes[8].pk).update(
        emitido_en=datetime.datetime(2026, 3, 1, 6, 30, tzinfo=datetime.UTC)
    )
    # Two categories with the same name count once; an empty name is left out.
    primera, segunda, tercera, cuarta = Categoria.objects.order_by("pk")[:4]
    Categoria.objects.filter(pk=segunda.pk).update(nombre=primera.nombre)
    Categoria.objects.filter(pk=tercera.pk).update(nombre="")
    Categoria.objects.filter(pk=cuarta.pk).update(nombre='-Redes, "y" voz')
    return dictamenes


def _como_el_registro() -> str:
    """The CSV as the register's rows give it, cell by cell."""
    ids = list(dictamenes_publicos().values_list("pk", flat=True))
    buffer = io.StringIO(newline="")
    escritor = csv.writer(buffer)
    escritor.writerow(datos_abiertos.CAMPOS)
    for fila in datos_abiertos.filas(ids):
        escritor.writerow(
            [
                sin_formulas(fila[c]) if c in datos_abiertos._LIBRES else fila[c]
                for c in datos_abiertos.CAMPOS
            ]
        )
    return "\ufeff" + buffer.getvalue()


def test_el_csv_da_los_mismos_bytes_que_las_filas_del_registro(historia, client):
    respuesta = client.get(reverse("datos_csv"))
    cuerpo = b"".join(respuesta.streaming_content)
    assert cuerpo == _como_el_registro().encode("utf-8")

    filas = {f["folio"]: f for f in csv.DictReader(io.StringIO(cuerpo.decode("utf-8-sig")))}
    assert len(filas) == len(historia)
    assert filas[historia[6].folio]["estado"] == "Cancelado"
    assert filas[historia[7].folio]["categorias"] == ""
    assert filas[historia[8].folio]["fecha_emision"] == "2026-02-28"
    asuntos = {f["asunto"] for f in filas.values()}
    assert all("'" + formula + " compra" in asuntos for formula in FORMULAS)
    assert asuntos >= set(COMILLAS)
    assert filas[historia[0].folio]["ente"] == '\'=Secretaría de "pruebas", Sonora'
    assert filas[historia[0].folio]["ente_siglas"] == "'@SP"
    assert {f["estado"] for f in filas.values()} >= {"Vigente", "Vencido", "Cancelado"}
    assert any("; " in f["categorias"] for f in filas.values())


def test_el_csv_se_entrega_en_trozos_de_filas_completas(historia):
    trozos = list(datos_abiertos.csv_lineas(filas_por_trozo=7))
    assert len(trozos) >= len(historia) // 7
    assert all(trozo.endswith("\r\n") for trozo in trozos)
    assert "".join(trozos) == _como_el_registro()


@pytest.mark.parametrize(
    "texto",
    ["", " ", "a", ",", '"', '""', "\r", "\n", "\r\n", " , ", 'a"b', "a,b", "'=1", "\t", *COMILLAS],
)
def test_un_campo_se_escribe_como_lo_escribe_csv_writer(texto):
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerow([texto, "x"])
    assert datos_abiertos._campo(texto) + ",x\r\n" == buffer.getvalue()
