"""The compliance engine, without a database."""

import json
from decimal import Decimal

import pytest

from estandares.cumplimiento import (
    PerfilSpec,
    RequisitoSpec,
    Resultado,
    Veredicto,
    evaluar,
    evaluar_requisito,
)

RAM = RequisitoSpec("ram", "Memoria RAM", "numero", unidad="GB", minimo=Decimal(16))
DISCO = RequisitoSpec("disco", "Almacenamiento", "numero", unidad="GB", minimo=Decimal(512))
CPU = RequisitoSpec("frecuencia", "Frecuencia", "numero", unidad="GHz", minimo=Decimal("2.5"))
ENLACE = RequisitoSpec(
    "ancho", "Ancho de banda", "numero", unidad="Mbps", minimo=Decimal(100), maximo=Decimal(1000)
)
GARANTIA = RequisitoSpec("garantia", "Garantía", "numero", unidad="años", minimo=Decimal(3))
TIPO = RequisitoSpec("tipo", "Tipo de almacenamiento", "opcion", opciones=("SSD", "NVMe"))
CODIGO = RequisitoSpec("codigo", "Código fuente entregado al Estado", "booleano")
DECLARA = RequisitoSpec("garantia_texto", "Descripción de la garantía", "declaracion")
MONITOR = RequisitoSpec(
    "monitor", "Monitor", "numero", obligatorio=False, unidad="pulgadas", minimo=Decimal(21)
)


def resultado(req, valor):
    return evaluar_requisito(req, valor)


@pytest.mark.parametrize(
    ("req", "valor", "esperado"),
    [
        (RAM, 16, Resultado.CUMPLE),
        (RAM, 8, Resultado.NO_CUMPLE),
        (RAM, "32 GB", Resultado.CUMPLE),
        (RAM, "16gb", Resultado.CUMPLE),
        (RAM, 16.0, Resultado.CUMPLE),
        (RAM, "15.99", Resultado.NO_CUMPLE),
        (DISCO, "1 TB", Resultado.CUMPLE),  # 1 TB = 1000 GB ≥ 512 GB
        (DISCO, {"valor": "0.5", "unidad": "TB"}, Resultado.NO_CUMPLE),  # 500 GB < 512 GB
        (DISCO, "256 GB", Resultado.NO_CUMPLE),
        (CPU, "2600 MHz", Resultado.CUMPLE),
        (CPU, "2400 MHz", Resultado.NO_CUMPLE),
        (ENLACE, "1 Gbps", Resultado.CUMPLE),  # exactly the maximum
        (ENLACE, "1.5 Gbps", Resultado.NO_CUMPLE),
        (ENLACE, "1,000 Mbps", Resultado.CUMPLE),
        (ENLACE, "50 Mbps", Resultado.NO_CUMPLE),
        (GARANTIA, "36 meses", Resultado.CUMPLE),
        (GARANTIA, "24 meses", Resultado.NO_CUMPLE),
    ],
)
def test_numeros_con_conversion_de_unidades(req, valor, esperado):
    assert resultado(req, valor).resultado == esperado


def test_el_motivo_explica_la_conversion():
    r = resultado(DISCO, "0.5 TB")
    assert r.motivo == "0.5 TB (500 GB) es menor que el mínimo de 512 GB"
    assert resultado(RAM, "32 GB").motivo == "32 GB cumple (mínimo 16 GB)"
    assert "excede el máximo de 1000 Mbps" in resultado(ENLACE, "2 Gbps").motivo


@pytest.mark.parametrize(
    ("valor", "motivo"),
    [
        ("mucha", "«mucha» no es un número"),
        (True, "«True» no es un número"),
        ([16], "«[16]» no es un número"),
        ("16 GHz", "la unidad GHz no es compatible con GB"),
        ("16 parsecs", "la unidad «parsecs» no se reconoce"),
        ({"valor": "x", "unidad": "GB"}, "«x» no es un número"),
    ],
)
def test_un_valor_de_tipo_equivocado_pide_revision_humana(valor, motivo):
    r = resultado(RAM, valor)
    assert r.resultado == Resultado.REVISION
    assert motivo in r.motivo


@pytest.mark.parametrize(
    ("valor", "esperado"),
    [("SSD", Resultado.CUMPLE), ("nvme", Resultado.CUMPLE), ("HDD", Resultado.NO_CUMPLE)],
)
def test_opcion_de_una_lista(valor, esperado):
    r = resultado(TIPO, valor)
    assert r.resultado == esperado
    if esperado == Resultado.NO_CUMPLE:
        assert r.motivo == "«HDD» no está entre las opciones aceptadas: SSD, NVMe"


def test_opcion_que_no_es_texto_pide_revision():
    assert resultado(TIPO, 3).resultado == Resultado.REVISION


@pytest.mark.parametrize(
    ("valor", "esperado"),
    [
        (True, Resultado.CUMPLE),
        ("sí", Resultado.CUMPLE),
        ("Si", Resultado.CUMPLE),
        (False, Resultado.NO_CUMPLE),
        ("no", Resultado.NO_CUMPLE),
        ("quizá", Resultado.REVISION),
        (1.5, Resultado.REVISION),
    ],
)
def test_si_o_no_que_debe_cumplirse(valor, esperado):
    assert resultado(CODIGO, valor).resultado == esperado


def test_declaracion_por_escrito():
    assert resultado(DECLARA, "3 años en sitio, 9x5").resultado == Resultado.CUMPLE
    assert resultado(DECLARA, {"texto": 1}).resultado == Resultado.REVISION


@pytest.mark.parametrize("vacio", [None, "", "   "])
def test_valor_faltante(vacio):
    obligatorio = resultado(RAM, vacio)
    assert obligatorio.resultado == Resultado.NO_CUMPLE
    assert obligatorio.motivo == "Falta el valor de un requisito obligatorio"
    assert resultado(MONITOR, vacio).resultado == Resultado.NO_APLICA


PERFIL = PerfilSpec(
    perfil_id=7,
    version="2024.1",
    categoria="Computadora de escritorio",
    nombre="Básico",
    requisitos=(RAM, TIPO, CODIGO, MONITOR),
)
COMPLETO = {"ram": "16 GB", "tipo": "SSD", "codigo": True, "monitor": 24}


@pytest.mark.parametrize(
    ("cambios", "veredicto"),
    [
        ({}, Veredicto.CUMPLE),
        ({"monitor": 19}, Veredicto.CUMPLE_CON_OBSERVACIONES),  # recommended only
        ({"monitor": None}, Veredicto.CUMPLE),  # recommended, not stated: no aplica
        ({"ram": "16 GHz"}, Veredicto.REQUIERE_REVISION),
        ({"tipo": "HDD"}, Veredicto.NO_CUMPLE),
        ({"tipo": "HDD", "ram": "xx"}, Veredicto.NO_CUMPLE),  # a hard fail wins
        ({"ram": None}, Veredicto.NO_CUMPLE),
    ],
)
def test_veredictos(cambios, veredicto):
    evaluacion = evaluar(PERFIL, COMPLETO | cambios)
    assert evaluacion.veredicto == veredicto
    assert [r.clave for r in evaluacion.resultados] == ["ram", "tipo", "codigo", "monitor"]


def test_es_determinista_y_serializable():
    a = evaluar(PERFIL, COMPLETO | {"extra": 1})
    b = evaluar(PERFIL, dict(reversed(list((COMPLETO | {"extra": 1}).items()))))
    assert a == b
    datos = json.loads(json.dumps(a.as_dict()))
    assert datos["version"] == "2024.1"
    assert datos["claves_desconocidas"] == ["extra"]
    assert datos["resultados"][0] == {
        "clave": "ram",
        "nombre": "Memoria RAM",
        "obligatorio": True,
        "resultado": "cumple",
        "motivo": "16 GB cumple (mínimo 16 GB)",
        "valor": "16 GB",
    }


def test_especificaciones_que_no_son_un_diccionario_no_rompen():
    evaluacion = evaluar(PERFIL, ["ram", 16])
    assert evaluacion.veredicto == Veredicto.NO_CUMPLE
