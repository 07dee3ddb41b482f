"""The price line the request's page draws in Python (expediente.precio_linea) is, character by
character, what templates/solicitudes/_precio_partida.html draws for the same item: flagged or
not, with months or not, with or without quotes and the law's test, with the reference the
decision used (counted per agency or not) or none, today's reference, too few purchases or
none, with and without the link, and text that must be escaped."""

import datetime
import itertools
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ObjectDoesNotExist
from django.template.loader import render_to_string

from dictamenes.expediente import precio_linea

_CIFRAS = {
    "mediana": "1250.50",
    "cuartil_1": "1000",
    "cuartil_3": "1500.25",
    "minimo": "900",
    "compras": 7,
    "entes": 3,
}


class _Partida(SimpleNamespace):
    @property
    def decision(self):
        if self.dec is None:
            raise ObjectDoesNotExist
        return self.dec

    def get_unidad_display(self):
        return "por <pieza> & más"


def _partida(senalada, meses, mercado, ley, al_decidir, referencia, posicion):
    base = {
        "mercado": {"precio": "1180.00", "validas": 2, "cotizaciones": 3} if mercado else None,
        "referencia": {**_CIFRAS, "por_ente": True} if referencia == "suficiente" else None,
    }
    precio = SimpleNamespace(
        senalada=senalada,
        posicion=SimpleNamespace(pct=Decimal("37.5"), texto="Por encima de Q3 «alto» & <b>")
        if posicion
        else None,
        base=lambda: base,
        mercado=SimpleNamespace(regla="la mediana de las válidas <3>"),
        ley=SimpleNamespace(etiqueta="No aceptable & caro") if ley else None,
        referencia=None if referencia == "ninguna" else SimpleNamespace(compras=2, entes=1),
    )
    dec = {
        None: None,
        "sin": SimpleNamespace(base_precio=None, decidida_en=None),
        "insuficiente": SimpleNamespace(
            base_precio={"referencia": None},
            decidida_en=datetime.datetime(2026, 3, 4, 5, 6, tzinfo=datetime.UTC),
        ),
        "por_ente": SimpleNamespace(
            base_precio={"referencia": {**_CIFRAS, "por_ente": True}},
            decidida_en=datetime.datetime(2026, 3, 4, 23, 30, tzinfo=datetime.UTC),
        ),
        "antes": SimpleNamespace(
            base_precio={"referencia": dict(_CIFRAS)},
            decidida_en=datetime.datetime(2025, 12, 31, tzinfo=datetime.UTC),
        ),
    }[al_decidir]
    return _Partida(
        pk=41,
        precio=precio,
        precio_config=SimpleNamespace(precio_senal_pct=25),
        precio_unitario=Decimal("1718.75"),
        meses=meses,
        descripcion='Laptop "14" <ligera> & rápida',
        dec=dec,
    )


_CASOS = list(
    itertools.product(
        (False, True),
        (None, 1, 12),
        (False, True),
        (False, True),
        (None, "sin", "insuficiente", "por_ente", "antes"),
        ("suficiente", "insuficiente", "ninguna"),
        (False, True),
    )
)
# PrecioDePartida.senalada is the position's flag: never without a position.
_CASOS = [c for c in _CASOS if c[-1] or not c[0]]


@pytest.mark.parametrize("sin_enlace", (False, True))
def test_la_linea_de_precio_es_la_de_su_plantilla(sin_enlace):
    solicitud = SimpleNamespace(pk=7)
    for caso in _CASOS:
        p = _partida(*caso)
        esperado = render_to_string(
            "solicitudes/_precio_partida.html",
            {"p": p, "solicitud": solicitud, "sin_enlace": sin_enlace},
        )
        assert precio_linea.dibujar(p, solicitud, sin_enlace=sin_enlace) == esperado, caso


def test_sin_precio_la_linea_es_la_de_su_plantilla():
    p = SimpleNamespace(pk=3)
    esperado = render_to_string("solicitudes/_precio_partida.html", {"p": p})
    assert precio_linea.dibujar(p, SimpleNamespace(pk=1)) == esperado == "\n"
