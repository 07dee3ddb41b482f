"""Issue 88, item 4: one supplier, one quote; an agency is never a supplier.

The spellings are generated here, by kinds composed in pairs, from a generator that imports
nothing of the product: its legal form written another way, its case, its accents, a Latin
letter swapped for a Cyrillic or Greek one that looks the same, one typo in a long word, one
character as an HTML reference, and an RFC, valid by SAT's check character (computed by
tests/datos_personales_mx.py, which shares no code with the product), that the supplier
invents for each quote. Each pair of spellings of one supplier must count once; honest
suppliers whose names are close but not one typo apart must each count.
"""

import datetime
import itertools
import random
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from dictamenes.cotizaciones import services as cotizaciones
from dictamenes.precios import reglas
from dictamenes.senales import reglas as senales_reglas
from tests.datos_personales_mx import rfc_moral
from tests.dictamenes.flujo_utils import borrador, usuario
from tests.dictamenes.tramite.test_cotizaciones import pdf

AYER = datetime.date(2026, 11, 27)
BASE = "Soluciones Informáticas del Noroeste"

# --- The generator: kinds of spelling ---------------------------------------------------------

_FORMAS = (", S.A. de C.V.", " SA DE CV", " S.A. DE C.V.", " Sociedad Anónima de Capital Variable")
_CIRILICAS = {"a": "а", "e": "е", "o": "о", "c": "с", "i": "і", "O": "О", "S": "Ѕ"}
_SIN_ACENTO = str.maketrans("áéíóúÁÉÍÓÚ", "aeiouAEIOU")


def _forma_juridica(nombre, azar):
    return nombre + azar.choice(_FORMAS)


def _mayusculas(nombre, azar):
    return nombre.upper() if azar.random() < 0.5 else nombre.lower()


def _sin_acentos(nombre, azar):
    return nombre.translate(_SIN_ACENTO)


def _parecida(nombre, azar):
    lugares = [i for i, c in enumerate(nombre) if c in _CIRILICAS]
    i = azar.choice(lugares)
    return nombre[:i] + _CIRILICAS[nombre[i]] + nombre[i + 1 :]


def _errata(nombre, azar):
    """One typo in one word of six letters or more: a letter dropped, doubled, changed, or
    two swapped."""
    palabras = nombre.split(" ")
    j = azar.choice([k for k, p in enumerate(palabras) if len(p) >= 6])
    p = palabras[j]
    i = azar.randrange(1, len(p) - 2)
    palabras[j] = azar.choice(
        [
            p[:i] + p[i + 1 :],
            p[:i] + p[i] + p[i:],
            p[:i] + ("x" if p[i] != "x" else "z") + p[i + 1 :],
            p[:i] + p[i + 1] + p[i] + p[i + 2 :],
        ]
    )
    return " ".join(palabras)


def _referencia_html(nombre, azar):
    i = azar.choice([k for k, c in enumerate(nombre) if c.isalpha()])
    return nombre[:i] + f"&#{ord(nombre[i])};" + nombre[i + 1 :]


def _rfc_inventado(nombre, azar):
    letras = "".join(azar.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(3))
    dia = datetime.date(2000, 1, 1) + datetime.timedelta(days=azar.randrange(8000))
    homoclave = "".join(azar.choice("ABCDEFGHJKLMNPRSTUVWXYZ123456789") for _ in range(2))
    return f"{nombre} ({rfc_moral(letras, dia, homoclave)})"


CLASES = {
    "forma_juridica": _forma_juridica,
    "mayusculas": _mayusculas,
    "sin_acentos": _sin_acentos,
    "parecida": _parecida,
    "errata": _errata,
    "referencia_html": _referencia_html,
    "rfc_inventado": _rfc_inventado,
}
# The typo goes first: the others do not change which letters there are.
_ORDEN = list(CLASES)
PARES = [
    tuple(sorted(par, key=lambda k: (k != "errata", _ORDEN.index(k))))
    for par in itertools.combinations(CLASES, 2)
]


def escrito(clases, semilla) -> str:
    azar = random.Random(semilla)  # noqa: S311 (a reproducible spelling, not a secret)
    nombre = BASE
    for clase in clases:
        nombre = CLASES[clase](nombre, azar)
    return nombre


def cot(pk, proveedor, precio, proveedor_rfc=""):
    return reglas.Cotizada(
        pk=pk,
        proveedor=proveedor,
        precio=D(precio),
        vigente=True,
        fecha=AYER,
        archivo=f"archivo-{pk}",
        proveedor_rfc=proveedor_rfc,
    )


def _motivos(cotizadas):
    mercado = reglas.mercado(cotizadas, metodo="mediana", atipico_pct=200, hoy=AYER)
    return [m for _c, m in mercado.cotizaciones]


@pytest.mark.parametrize("par", PARES, ids="+".join)
def test_un_proveedor_escrito_de_dos_maneras_cuenta_una_vez(par):
    for semilla in range(3):
        a, b = BASE, escrito(par, semilla)
        motivos = _motivos([cot(1, a, 100), cot(2, b, 103)])
        assert motivos[0] == "" and motivos[1].startswith("repite al proveedor"), (a, b)


def test_tres_cotizaciones_de_un_proveedor_con_tres_rfc_una_errata_y_una_parecida_cuentan_una():
    """The probe's case: one supplier, three quotes, each with an RFC of its own (valid, as
    invented ones are), the second with a typo, the third with a Cyrillic «о»."""
    rfcs = [
        rfc_moral(x, datetime.date(2015, 3, d), "K2")
        for x, d in (("SIN", 4), ("XYZ", 9), ("QRS", 21))
    ]
    cotizadas = [
        cot(1, "Soluciones Informáticas del Noroeste, S.A. de C.V.", 100, rfcs[0]),
        cot(2, "SOLUCIONES INFORMATICAS DEL NORESTE SA DE CV", 180, rfcs[1]),
        cot(3, "Soluciones Informáticas del Nоroeste", 190, rfcs[2]),
    ]
    motivos = _motivos(cotizadas)
    assert motivos[0] == ""
    assert all(m.startswith("repite al proveedor") for m in motivos[1:]), motivos


# Honest suppliers whose names are close: each counts. Each pair tells the rule from its
# likely bug: a typo in a short word, a digit, two typos, a word more.
DISTINTOS = [
    ("Grupo A Comercial", "Grupo B Comercial"),
    ("Datos Alfa", "Datos Alba"),  # four letters: one changed is another word
    ("Sistemas Lote 1", "Sistemas Lote 2"),
    ("Redes del Norte", "Redes del Noreste"),  # two letters more
    ("Cómputo Integral", "Cómputo Integral del Pacífico"),
    ("Soluciones Informáticas del Noroeste", "Soluciones Informáticas del Sureste"),
]


@pytest.mark.parametrize(("a", "b"), DISTINTOS)
def test_proveedores_honestos_de_nombre_parecido_cuentan_cada_uno(a, b):
    assert _motivos([cot(1, a, 100), cot(2, b, 103)]) == ["", ""]


def test_una_errata_en_una_palabra_de_cinco_letras_es_el_mismo_proveedor():
    # The threshold's exact value: five letters (one changed) is a typo; four is a word.
    assert _motivos([cot(1, "Datos Bravo", 100), cot(2, "Datos Brava", 103)])[1].startswith(
        "repite al proveedor"
    )


# --- An agency is never a supplier -----------------------------------------------------------


def _agregar(partida, proveedor):
    return cotizaciones.cotizacion_agregar(
        partida=partida,
        usuario=usuario("requirente.sh"),
        proveedor=proveedor,
        precio_unitario=D("9800"),
        fecha=datetime.date.today() - datetime.timedelta(days=2),
        vigencia=datetime.date.today() + datetime.timedelta(days=30),
        archivo=pdf("cotizacion.pdf", proveedor.encode()),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("proveedor", "codigo"),
    [
        ("Secretaría de Hacienda del Estado de Sonora", "proveedor_ente_propio"),
        ("SH, S.A. de C.V.", "proveedor_ente_propio"),
        ("Gobierno del Estado de Sonora, Secretaría de Hacienda", "proveedor_ente_propio"),
        ("Secretaría de Haciеnda", "proveedor_ente_propio"),  # a Cyrillic «е»
        ("Secretaria de Haciendas", "proveedor_ente_propio"),  # one typo
        ("Registro Civil", "proveedor_ente"),  # the sister agency by its short name
        ("Oficialía Mayor del Gobierno del Estado de Sonora", "proveedor_ente"),
    ],
)
def test_un_ente_por_cualquiera_de_sus_nombres_no_es_proveedor(proveedor, codigo):
    partida = borrador().partidas.get()
    with pytest.raises(ValidationError) as error:
        _agregar(partida, proveedor)
    assert error.value.error_dict["proveedor"][0].code == codigo
    assert not partida.cotizaciones.exists()


@pytest.mark.django_db
def test_un_ente_por_su_nombre_anterior_no_es_proveedor():
    from dictamenes.models import Ente, EnteNombre

    sh = Ente.objects.get(siglas="SH")
    EnteNombre.objects.create(
        ente=sh, nombre="Secretaría de Finanzas", vigente_hasta=datetime.date(2021, 9, 12)
    )
    partida = borrador().partidas.get()
    with pytest.raises(ValidationError) as error:
        _agregar(partida, "Secretaría de Finanzas del Estado de Sonora")
    assert error.value.error_dict["proveedor"][0].code == "proveedor_ente_propio"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "proveedor",
    ["Hacienda Digital, S.A. de C.V.", "Registro y Control Civil de Equipos, S.C.", "SHX Redes"],
)
def test_una_empresa_con_palabras_de_un_ente_si_es_proveedor(proveedor):
    partida = borrador().partidas.get()
    assert _agregar(partida, proveedor).pk


# --- The cover quotes' sign reads the same addresses -----------------------------------------


def _cubierta(a, b, **campos):
    return senales_reglas.Cotizada(
        pk=a, partida=1, proveedor=f"Empresa {a}", precio=D(100 * a), archivo=str(a), **campos
    )


@pytest.mark.parametrize(
    ("domicilio_a", "domicilio_b", "iguales"),
    [
        ("Av. Reforma 123, Col. Centro", "Avenida Reforma #123, Colonia Centro", True),
        ("Blvd. Kino 455", "Boulevard Kino No. 455", True),
        ("Blvd. Kino 455", "Bulevar Kino núm. 455", True),
        ("Blvd. Kino 455", "Blvd. Kino 457", False),
        ("Av. Reforma 123", "Calle Reforma 123", False),
    ],
)
def test_dos_domicilios_escritos_de_otra_manera_son_el_mismo(domicilio_a, domicilio_b, iguales):
    halladas = senales_reglas.coincidencias(
        [_cubierta(1, 1, domicilio=domicilio_a), _cubierta(2, 2, domicilio=domicilio_b)],
        pct=D("0.5"),
    )
    assert [h.en for h in halladas] == (["el mismo domicilio"] if iguales else [])


@pytest.mark.django_db
def test_tres_cotizaciones_por_la_puerta_con_tres_rfc_una_errata_y_una_parecida_cuentan_una():
    """Through the quote's door, each with an RFC of its own in its field: the item's market
    research counts one supplier, and says which quotes repeat it."""
    from django.utils import timezone

    from dictamenes.precios import selectors as precios_selectors
    from dictamenes.tramite.selectors.vias import vias_vigentes

    partida = borrador().partidas.get()
    escritos = [
        ("Soluciones Informáticas del Noroeste, S.A. de C.V.", ("SIN", 4)),
        ("SOLUCIONES INFORMATICAS DEL NORESTE SA DE CV", ("XYZ", 9)),
        ("Soluciones Informáticas del Nоroeste", ("QRS", 21)),
    ]
    for i, (nombre, (letras, dia)) in enumerate(escritos):
        cotizaciones.cotizacion_agregar(
            partida=partida,
            usuario=usuario("requirente.sh"),
            proveedor=nombre,
            proveedor_rfc=rfc_moral(letras, datetime.date(2015, 3, dia), "K2"),
            precio_unitario=D(9800 + 500 * i),
            fecha=datetime.date.today() - datetime.timedelta(days=2),
            vigencia=datetime.date.today() + datetime.timedelta(days=30),
            archivo=pdf(f"cotizacion-{i}.pdf", nombre.encode()),
        )
    mercado = precios_selectors.mercado_de(
        partida, referencia=None, config=vias_vigentes(), hoy=timezone.localdate()
    )
    motivos = [m for _c, m in mercado.cotizaciones]
    assert len(mercado.validas) == 1
    assert (
        sorted(m.split(" (")[0] for m in motivos if m)
        == ["repite al proveedor de otra cotización"] * 2
    )
