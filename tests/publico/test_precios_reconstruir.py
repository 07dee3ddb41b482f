"""A rebuild of the prices refreshes the open data (issue 62): a loader changes what was
approved without the doors (no event moves the data's version, so the cached «Precios de
referencia TIC» and its fingerprint still say the old figures), `manage.py precios_recalcular
--reconstruir` reads the prices again, and the next read of the file gives the new ones, with
a new ETag. The figures are worked out by hand from the purchases below."""

import csv
import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from dictamenes.comun.operador_so import operador_so_leer
from dictamenes.models import EventoAuditoria, Partida
from tests.dictamenes.flujo_utils import perfil_de_area
from tests.publico.precios_utils import compra

pytestmark = pytest.mark.django_db

URL = reverse("datos_conjunto", args=["precios-referencia"])
D = datetime.date


def _cifras(client) -> tuple[tuple[str, ...], str]:
    respuesta = client.get(URL)
    assert respuesta.status_code == 200
    (fila,) = csv.DictReader(io.StringIO(respuesta.content.decode("utf-8-sig")))
    cifras = tuple(fila[c] for c in ("compras", "mediana_mxn", "minimo_mxn", "cuartil_3_mxn"))
    return cifras, respuesta["ETag"]


def test_reconstruir_los_precios_renueva_los_datos_abiertos(demo, client):
    computo = perfil_de_area("computo")
    # 2025-T3: three computers of two agencies, at 100, 130 and 400.
    compra("SH", computo, "100.00", D(2025, 7, 2))
    compra("SH", computo, "130.00", D(2025, 8, 15))
    cara = compra("RC", computo, "400.00", D(2025, 9, 10))
    # Median 130; the third quartile (inclusive) halfway between 130 and 400.
    antes, etag = _cifras(client)
    assert antes == ("3", "130.00", "100.00", "265.00")

    # A loader corrects the expensive purchase to 160, writing no event.
    Partida.objects.filter(solicitud=cara).update(precio_unitario="160.00")
    assert _cifras(client) == (antes, etag)  # today's cached file, as before

    call_command("precios_recalcular", "--reconstruir", stdout=io.StringIO())
    despues, etag_nuevo = _cifras(client)
    # 100, 130, 160: median 130, third quartile halfway between 130 and 160.
    assert despues == ("3", "130.00", "100.00", "145.00")
    assert etag_nuevo != etag
    assert client.get(URL, HTTP_IF_NONE_MATCH=etag).status_code == 200
    # The step is on the record, with what it rebuilt.
    evento = EventoAuditoria.objects.get(tipo="precios_reconstruidos")
    # A command without --usuario: the machine's login that ran it (issue 93).
    assert evento.datos == {
        "observaciones": 3,
        "referencias": 1,
        "operador_so": operador_so_leer(),
    }
