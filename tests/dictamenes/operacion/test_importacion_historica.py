"""The years before the system (issue 21, item 8): past requests imported from CSV or XLSX,
every row or none, counted by the indicators and the open data like the rest."""

import csv
import io
import re
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from dictamenes.cifras.selectors import indicadores
from dictamenes.models import EventoAuditoria, Solicitud
from dictamenes.operacion.services import importacion
from tests.dictamenes.flujo_utils import presentada, usuario

pytestmark = pytest.mark.django_db

ENCABEZADO = ",".join(importacion.NOMBRES)
BUENAS = [
    "2019,SH,adquisicion,2019-03-04,2019-03-15,favorable,DT-2019-001,150000.00,Computadoras",
    "2019,RC,servicio,2019-11-04,2019-12-02,condicionado,DT-2019-002,80000,",
    "2019,SH,baja,2019-12-02,2019-12-05,desechada,DT-2019-003,1000.50,",
    "2020,SH,renovacion,2020-01-06,2020-01-08,no_favorable,DT-2020-001,99000,Redes; Seguridad",
]


def _csv(*filas) -> bytes:
    return ("\ufeff" + "\r\n".join((ENCABEZADO, *filas)) + "\r\n").encode()


def importar(contenido, nombre="historico.csv"):
    return importacion.historico_importar(
        nombre=nombre, contenido=contenido, usuario=usuario("admin")
    ).solicitudes


def test_las_filas_buenas_se_importan_marcadas_y_sin_eventos_inventados(demo):
    eventos = EventoAuditoria.objects.count()
    creadas = importar(_csv(*BUENAS))
    assert len(creadas) == 4
    uno = Solicitud.objects.get(folio="DT-2019-001")
    assert uno.importada and uno.estado == Solicitud.Estado.DICTAMINADA
    assert (uno.resultado, uno.ente.siglas, uno.categorias_importadas) == (
        "favorable",
        "SH",
        "Computadoras",
    )
    # Received Monday 4 March 2019, attended Friday 15 March: 9 business days after it.
    assert uno.dias_habiles_atencion == 9
    assert Solicitud.objects.get(folio="DT-2019-003").estado == Solicitud.Estado.DESECHADA
    # No items, no steps, no events of their own: one event records the import itself.
    assert not uno.partidas.exists() and not uno.eventos.exists()
    assert EventoAuditoria.objects.count() == eventos + 1
    evento = EventoAuditoria.objects.get(tipo="historico_importado")
    assert evento.datos["solicitudes"] == 4 and evento.datos["ejercicios"] == [2019, 2020]


def test_los_indicadores_y_los_datos_abiertos_los_cuentan(demo, client):
    importar(_csv(*BUENAS))
    por_anio = {f["ejercicio"]: f for f in indicadores.por_ejercicio()}
    assert (por_anio[2019]["recibidas"], por_anio[2019]["atendidas"]) == (3, 3)
    respuesta = client.get(reverse("datos_conjunto", args=["indicador-anual"]))
    filas = list(csv.DictReader(io.StringIO(respuesta.content.decode("utf-8-sig"))))
    assert {"ejercicio": "2019", "recibidas": "3", "atendidas": "3"}.items() <= filas[0].items()
    assert [f["ejercicio"] for f in filas][:2] == ["2019", "2020"]


def test_una_fila_mala_no_deja_entrar_ninguna_y_se_dice_por_fila_y_columna(demo):
    malas = [
        *BUENAS,
        "2019,XX,adquisicion,2019-03-04,2019-03-15,favorable,DT-2019-009,100,",
        "2019,SH,compra,2019-02-30,2019-01-01,regular,DT-2019-001,-5,",
        "año,SH,baja,2019-03-04,2019-03-05,favorable,DT-2019-011,=1+1,",
    ]
    with pytest.raises(importacion.ImportacionError) as error:
        importar(_csv(*malas))
    assert error.value.errores == [
        "fila 6, columna «ente»: no hay un ente con las siglas «XX»",
        "fila 7, columna «tipo_operacion»: debe ser uno de: adquisicion, arrendamiento, "
        "renovacion, servicio, desarrollo, baja",
        "fila 7, columna «fecha_recepcion»: debe ser una fecha AAAA-MM-DD",
        "fila 7, columna «resultado»: debe ser uno de: favorable, condicionado, no_favorable, "
        "desechada",
        "fila 7, columna «monto»: debe ser un monto en pesos mayor que cero",
        "fila 8, columna «ejercicio»: debe ser un número entero",
        "fila 8, columna «monto»: debe ser un monto en pesos mayor que cero",
        "fila 7, columna «folio»: repite el folio de la fila 2",
    ]
    assert not Solicitud.objects.filter(importada=True).exists()
    assert not EventoAuditoria.objects.filter(tipo="historico_importado").exists()


def test_un_folio_que_ya_esta_en_el_sistema_se_rechaza(demo):
    # The same folio with another amount: not the row imported before.
    importar(_csv(BUENAS[0].replace("150000.00", "150001.00")))
    with pytest.raises(importacion.ImportacionError) as error:
        importar(_csv(*BUENAS))
    assert error.value.errores == [
        "fila 2, columna «folio»: el folio DT-2019-001 ya está en el sistema"
    ]
    assert Solicitud.objects.filter(importada=True).count() == 1


def test_un_folio_de_una_solicitud_del_sistema_se_rechaza_aunque_coincida(demo):
    del_sistema = presentada()
    fila = BUENAS[0].replace("DT-2019-001", del_sistema.folio)
    with pytest.raises(importacion.ImportacionError) as error:
        importar(_csv(fila))
    assert error.value.errores == [
        f"fila 2, columna «folio»: el folio {del_sistema.folio} ya está en el sistema"
    ]


def test_un_encabezado_distinto_se_explica(demo):
    with pytest.raises(importacion.ImportacionError) as error:
        importar(b"anio,ente\r\n2019,SH\r\n")
    assert error.value.errores == [
        "La primera fila debe tener exactamente estas columnas: "
        + ", ".join(importacion.NOMBRES)
        + "."
    ]


def test_desde_xlsx_y_desde_la_linea_de_comandos(demo, tmp_path):
    libro = Workbook()
    hoja = libro.active
    hoja.append(importacion.NOMBRES)
    for fila in BUENAS:
        hoja.append(fila.split(","))
    archivo = tmp_path / "historico.xlsx"
    libro.save(archivo)
    salida = io.StringIO()
    call_command("importar_historico", str(archivo), "--usuario", "admin", stdout=salida)
    assert "4 solicitudes importadas (ejercicios 2019, 2020)." in salida.getvalue()
    malo = tmp_path / "malo.csv"
    malo.write_bytes(_csv("2019,SH,baja,2019-03-04,2019-03-05,favorable,DT-2019-001,10,"))
    with pytest.raises(CommandError) as error:
        call_command("importar_historico", str(malo), "--usuario", "admin")
    assert "No se importó nada" in str(error.value)
    assert "el folio DT-2019-001 ya está en el sistema" in str(error.value)


def test_una_importacion_interrumpida_continua_y_no_repite_ninguna_fila(
    demo, tmp_path, monkeypatch
):
    """Batches of two rows; the run stops (Ctrl-C, the server restarted) while writing the
    second. The first batch stays; the same file imported again skips its two rows and writes
    the other three: each folio once, and the summaries say so."""
    filas = [*BUENAS, "2020,RC,baja,2020-02-03,2020-02-04,desechada,DT-2020-002,500,"]
    archivo = tmp_path / "historico.csv"
    archivo.write_bytes(_csv(*filas))
    monkeypatch.setattr(importacion, "LOTE", 2)
    escribir = importacion._lote_escribir
    llamadas = []

    def cortar_en_el_segundo(lote, **kwargs):
        llamadas.append(len(lote))
        if len(llamadas) == 2:
            raise KeyboardInterrupt
        return escribir(lote, **kwargs)

    monkeypatch.setattr(importacion, "_lote_escribir", cortar_en_el_segundo)
    primera = io.StringIO()
    with pytest.raises(KeyboardInterrupt):
        call_command("importar_historico", str(archivo), "--usuario", "admin", stdout=primera)
    lineas = primera.getvalue().splitlines()
    assert re.fullmatch(
        r"Importación histórica · filas: 2 de 5 \(40\.0 %\), .+, faltan .+; "
        r"importadas 2, ya importadas 0, fallidos 0",
        lineas[0],
    )
    assert re.fullmatch(
        r"Importación histórica: importadas 2, ya importadas 0, fallidos 0 en \d+\.\d s "
        r"\(.+\)\. INTERRUMPIDO\. Importe otra vez el mismo archivo: continúa donde se quedó\.",
        lineas[1],
    )
    assert len(lineas) == 2
    assert sorted(Solicitud.objects.filter(importada=True).values_list("folio", flat=True)) == [
        "DT-2019-001",
        "DT-2019-002",
    ]

    monkeypatch.setattr(importacion, "_lote_escribir", escribir)
    segunda = io.StringIO()
    call_command("importar_historico", str(archivo), "--usuario", "admin", stdout=segunda)
    lineas = segunda.getvalue().splitlines()
    assert [re.sub(r"\), .+; ", "), …; ", linea) for linea in lineas[:3]] == [
        "Importación histórica · filas: 2 de 5 (40.0 %), …; "
        "importadas 0, ya importadas 2, fallidos 0",
        "Importación histórica · filas: 4 de 5 (80.0 %), …; "
        "importadas 2, ya importadas 2, fallidos 0",
        "Importación histórica · filas: 5 de 5 (100.0 %), …; "
        "importadas 3, ya importadas 2, fallidos 0",
    ]
    assert lineas[3].startswith(
        "Importación histórica: importadas 3, ya importadas 2, fallidos 0 en "
    )
    assert lineas[4] == "3 solicitudes importadas (ejercicios 2019, 2020); 2 ya estaban importadas."
    por_folio = Counter(Solicitud.objects.filter(importada=True).values_list("folio", flat=True))
    assert por_folio == Counter({f.split(",")[6]: 1 for f in filas})
    # One event per batch written: one in the first run, two in the second.
    eventos = EventoAuditoria.objects.filter(tipo="historico_importado").order_by("numero")
    assert [e.datos["filas"] for e in eventos] == [[2, 3], [4, 5], [6, 6]]
