"""A printed reference rebuilt from the open data alone (issue 76, item 7): a dictamen signed
through the doors prints, per item, the reference its decision used; this test reads only
what anyone can download over HTTP (the observations, the decisions' references and the
dictamen's verification page) and rebuilds each figure with the rule the dataset states,
written out here with the standard library. It imports nothing from dictamenes.precios: the
history is made of dictámenes and their items, and the prices are read from them by
`manage.py precios_recalcular --reconstruir`, the door a loader uses.

The rule (issue 93): the purchases of the window whose dictamen was issued before the decision
(the instants the files publish), the fences over all of them, then each agency once, as the
median of what it has left; the reference is the median of those medians, with their
quartiles and the lowest. tests/publico/test_rehacer_demo.py rebuilds every reference the
demo prints with the same code (`rehecha`).

The history (unit prices as typed; the window is the 24 months up to today, both ends in):
- a piece of the computers' profile: on the window's first day 10,800 (SH), the day before it
  30,000 (RC, out), 9,500 (RC), 9,800 (ICRESON), 10,000 (SH), 11,000 (RC), today 10,600
  (ICRESON), and three outliers: 1,000 (SH), 40,000 and 45,000 (RC). Within the window, the
  fences (quartiles 9,800 and 11,000 of the nine: [8,000, 12,800]) leave the three out. Each
  agency's median of the six left: RC 10,250 (9,500 and 11,000), ICRESON 10,200, SH 10,400;
  their median 10,250, quartiles 10,225 and 10,325, lowest 10,200 (their mean 10,283.33; the
  median of the six purchases, the rule before issue 93, 10,300; without the fences, RC's
  median is 25,500 and the reference 10,200; with the day before in, nothing is fenced out and
  RC's median is 30,000: 10,200 again; with the dictamen's own 10,000 of SH in, the fences
  narrow to [8,200, 12,600] and SH's median is 10,000: 10,200 of seven purchases);
- a service of the software profile, per month: 3,000 for 12 months (250, SH), 1,500 for 6
  (250, RC), 280 for 1 (ICRESON), 8,400 for 24 (350, RC, out), 850 for 3 (283.3333, SH), 3,480
  for 12 (290, RC): the agencies' medians 266.66665, 270 and 280; 270 a month is $9,720.00 for
  the item's 36 months;
- a licence of the security profile, per licence-year: 4,800 for 12 months (SH), 2,450 for 6
  (4,900, RC), 15,000 for 36 (5,000, ICRESON), 10,300 for 24 (5,150, SH), 5,600 for 12 (RC,
  out): the agencies' medians 4,900, 4,975 and 5,000; 4,975 a year is $9,950.00 for the item's
  24 months.
"""

import csv
import datetime
import io
import re
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from dictamenes.models import Ente, Partida, Solicitud
from tests.conocidos import dictamen_registrado, solicitud
from tests.dictamenes.flujo_utils import decidir, firmar, perfil_de_area, revisada

pytestmark = pytest.mark.django_db
TZ = timezone.get_current_timezone()
ANTES, DESDE, MEDIO, HOY = "antes", "desde", "medio", "hoy"
# (area, unit, months, agency, unit price as typed, day)
HISTORIA = [
    ("computo", "pieza", None, "SH", "10800.00", DESDE),
    ("computo", "pieza", None, "RC", "30000.00", ANTES),
    ("computo", "pieza", None, "RC", "9500.00", MEDIO),
    ("computo", "pieza", None, "ICRESON", "9800.00", MEDIO),
    ("computo", "pieza", None, "SH", "10000.00", MEDIO),
    ("computo", "pieza", None, "RC", "11000.00", MEDIO),
    ("computo", "pieza", None, "ICRESON", "10600.00", HOY),
    ("computo", "pieza", None, "SH", "1000.00", MEDIO),
    ("computo", "pieza", None, "RC", "40000.00", MEDIO),
    ("computo", "pieza", None, "RC", "45000.00", MEDIO),
    ("software", "servicio", 12, "SH", "3000.00", MEDIO),
    ("software", "servicio", 6, "RC", "1500.00", MEDIO),
    ("software", "servicio", 1, "ICRESON", "280.00", MEDIO),
    ("software", "servicio", 24, "RC", "8400.00", MEDIO),
    ("software", "servicio", 3, "SH", "850.00", MEDIO),
    ("software", "servicio", 12, "RC", "3480.00", MEDIO),
    ("seguridad", "licencia", 12, "SH", "4800.00", MEDIO),
    ("seguridad", "licencia", 6, "RC", "2450.00", MEDIO),
    ("seguridad", "licencia", 36, "ICRESON", "15000.00", MEDIO),
    ("seguridad", "licencia", 24, "SH", "10300.00", MEDIO),
    ("seguridad", "licencia", 12, "RC", "5600.00", MEDIO),
]
# The decided request's items: (area, unit, months); each 2 × $10,000.00, approved whole. The
# first, of a profile without purchases, is decided without a reference: not in the decisions'
# file, but counted in the numbers of the others.
PARTIDAS = {
    "redes": ("pieza", None),
    "computo": ("pieza", None),
    "software": ("servicio", 36),
    "seguridad": ("licencia", 24),
}
# What the rebuild must give, worked out by hand (the module's docstring): the reference in
# the item's unit, purchases and agencies left within the fences.
ESPERADAS = {
    # The agencies' medians 10,200 10,250 10,400.
    "pieza": {
        "mediana_mxn": "10250.00",
        "cuartil_1_mxn": "10225.00",
        "cuartil_3_mxn": "10325.00",
        "minimo_mxn": "10200.00",
        "compras": 6,
        "entes": 3,
    },
    # The agencies' medians 266.66665 270 280 a month, × 36: Q1 268.3333 (9,659.9988), the
    # lowest 266.6667 (9,600.0012).
    "servicio": {
        "mediana_mxn": "9720.00",
        "cuartil_1_mxn": "9660.00",
        "cuartil_3_mxn": "9900.00",
        "minimo_mxn": "9600.00",
        "compras": 5,
        "entes": 3,
    },
    # The agencies' medians 4,900 4,975 5,000 a year, × 24/12.
    "licencia": {
        "mediana_mxn": "9950.00",
        "cuartil_1_mxn": "9875.00",
        "cuartil_3_mxn": "9975.00",
        "minimo_mxn": "9800.00",
        "compras": 4,
        "entes": 3,
    },
}


def _emision(cual: str, hoy: datetime.date) -> datetime.datetime:
    """When a purchase of the history was issued: noon of its day; today's, a minute ago
    (never after the decision that reads it: a loader's dictamen dated later than a decision
    never existed for it), or at midnight if the day began less than a minute ago."""
    if cual != HOY:
        return datetime.datetime.combine(_dia(cual, hoy), datetime.time(12), tzinfo=TZ)
    inicio = datetime.datetime.combine(hoy, datetime.time(0), tzinfo=TZ)
    return max(inicio, timezone.now() - datetime.timedelta(minutes=1))


def _dia(cual: str, hoy: datetime.date) -> datetime.date:
    desde = hoy - relativedelta(months=24)
    return {
        ANTES: desde - datetime.timedelta(days=1),
        DESDE: desde,
        MEDIO: hoy - relativedelta(months=9),
        HOY: hoy,
    }[cual]


def _compra(area, unidad, meses, siglas, precio, emitido):
    """A request of `siglas` with one item, approved whole by a dictamen in force issued at
    `emitido` (its day is the one its price counts in a window)."""
    fecha = timezone.localtime(emitido).date()
    s = solicitud(
        Ente.objects.get(siglas=siglas),
        anio=fecha.year,
        mes=fecha.month,
        estado=Solicitud.Estado.DICTAMINADA,
        resultado="favorable",
        dias=1,
    )
    s.save()
    Partida.objects.create(
        solicitud=s,
        perfil=perfil_de_area(area),
        descripcion=f"Compra anterior de {area}",
        cantidad=1,
        precio_unitario=Decimal(precio),
        capitulo="5000",
        partida_especifica="51501",
        unidad=unidad,
        meses=meses,
    )
    dictamen_registrado(s, emitido_en=emitido)


@pytest.fixture
def firmado(demo):
    """The history, its prices read by the loader's door, and a request with one item of each
    profile decided and signed through the doors: its dictamen prints each reference."""
    hoy = timezone.localdate()
    for area, unidad, meses, siglas, precio, cuando in HISTORIA:
        _compra(area, unidad, meses, siglas, precio, _emision(cuando, hoy))
    call_command("precios_recalcular", "--reconstruir", stdout=io.StringIO())
    pedida = revisada(areas=tuple(PARTIDAS))
    for partida in pedida.partidas.select_related("perfil__categoria"):
        area = next(a for a in PARTIDAS if perfil_de_area(a).pk == partida.perfil_id)
        unidad, meses = PARTIDAS[area]
        Partida.objects.filter(pk=partida.pk).update(unidad=unidad, meses=meses)
    return firmar(decidir(pedida))


# --- What anyone reads -----------------------------------------------------------------------


def _csv(client, nombre) -> list[dict]:
    respuesta = client.get(f"/datos-abiertos/{nombre}.csv")
    assert respuesta.status_code == 200
    assert respuesta.streaming  # sent in chunks, never built whole
    cuerpo = b"".join(respuesta.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(cuerpo)))


_BASE = re.compile(
    r"referencia \$(?P<mediana>[\d,]+\.\d\d) (?P<unidad>por [^(]+?) \((?P<regla>mediana de las "
    r"medianas de cada ente: |mediana de )(?P<compras>\d+) compras de (?P<entes>\d+) entes, "
    r"(?P<desde>\d\d/\d\d/\d{4})–(?P<hasta>\d\d/\d\d/\d{4}); Q1 \$(?P<cuartil_1>[\d,]+\.\d\d)–"
    r"Q3 \$(?P<cuartil_3>[\d,]+\.\d\d)"
)


def _impresas(client, folio) -> dict[str, dict]:
    """The «Base del precio» of each item on the dictamen's verification page, by the item's
    description (the row before it)."""
    html = client.get(reverse("verificar_folio", args=[folio])).content.decode()
    impresas = {}
    filas = re.findall(
        r'<th scope="row">([^<]+)</th>.*?base-precio"><td colspan="7">([^<]+)<', html, re.S
    )
    for descripcion, texto in filas:
        if encontrada := _BASE.search(texto):
            impresas[descripcion] = encontrada.groupdict()
        else:  # decided without a reference: the page says so
            assert "sin precio de referencia" in texto
    return impresas


def como_la_imprime(impresa: dict) -> dict:
    """A printed reference in the files' terms: pesos without commas, counts as numbers, the
    window's days in ISO, and the rule its words name."""
    return {
        "mediana_mxn": impresa["mediana"].replace(",", ""),
        "cuartil_1_mxn": impresa["cuartil_1"].replace(",", ""),
        "cuartil_3_mxn": impresa["cuartil_3"].replace(",", ""),
        "compras": int(impresa["compras"]),
        "entes": int(impresa["entes"]),
        "desde": datetime.datetime.strptime(impresa["desde"], "%d/%m/%Y").date().isoformat(),
        "hasta": datetime.datetime.strptime(impresa["hasta"], "%d/%m/%Y").date().isoformat(),
        "regla": "por_ente" if "cada ente" in impresa["regla"] else "compras",
    }


# --- The rule, as the dataset states it, written plainly -------------------------------------


def _centavos(valor: Fraction) -> str:
    exacto = Decimal(valor.numerator) / Decimal(valor.denominator)
    return str(exacto.quantize(Decimal("0.01"), ROUND_HALF_UP))


def _cuatro(valor: Fraction) -> Fraction:
    exacto = Decimal(valor.numerator) / Decimal(valor.denominator)
    return Fraction(exacto.quantize(Decimal("0.0001"), ROUND_HALF_UP))


def _mediana(valores: list[Fraction]) -> Fraction:
    orden = sorted(valores)
    n = len(orden)
    return orden[n // 2] if n % 2 else (orden[n // 2 - 1] + orden[n // 2]) / 2


def _cuartil(valores: list[Fraction], k: int) -> Fraction:
    """The k-th quartile by the inclusive method (a spreadsheet's QUARTILE.INC): the point
    k/4 of the way from the lowest to the highest, between the two values around it."""
    orden = sorted(valores)
    posicion = Fraction(k * (len(orden) - 1), 4)
    abajo = int(posicion)
    if abajo + 1 == len(orden):
        return orden[abajo]
    return orden[abajo] + (orden[abajo + 1] - orden[abajo]) * (posicion - abajo)


def _instante(texto: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(texto)


def rehecha(decision: dict, observaciones: list[dict], *, por_dia: bool = False) -> dict:
    """The reference a decision printed, from the observations alone: its profile and unit
    within [desde, hasta] (24 months, both days in), issued before the decision (its instant;
    `por_dia`: by the day only, leaving out the decision's own folio, as before issue 93);
    out, those beyond 1.5 times the interquartile range of all of them (quartiles at four
    decimals); then each agency's median of what it has left ("por_ente") or every purchase
    left ("compras"), and of those values the median, the quartiles and the lowest at four
    decimals; each in the item's unit, to the cent. With the purchases and agencies left."""
    desde = datetime.date.fromisoformat(decision["desde"])
    hasta = datetime.date.fromisoformat(decision["hasta"])
    decidida = _instante(decision["decidida_en"])

    def antes(o) -> bool:
        if por_dia:
            return o["folio"] != decision["folio"]
        return _instante(o["emitido_en"]) < decidida

    ventana = [
        (Fraction(o["precio_mxn"]), o["ente_siglas"])
        for o in observaciones
        if (o["categoria_clave"], o["perfil_clave"], o["unidad"])
        == (decision["categoria_clave"], decision["perfil_clave"], decision["unidad"])
        and desde <= datetime.date.fromisoformat(o["fecha"]) <= hasta
        and antes(o)
    ]
    precios = [p for p, _e in ventana]
    q1, q3 = _cuatro(_cuartil(precios, 1)), _cuatro(_cuartil(precios, 3))
    baja, alta = q1 - Fraction(3, 2) * (q3 - q1), q3 + Fraction(3, 2) * (q3 - q1)
    quedan = [(p, e) for p, e in ventana if baja <= p <= alta]
    if decision["regla"] == "por_ente":
        de_cada = defaultdict(list)
        for p, e in quedan:
            de_cada[e].append(p)
        valores = [_mediana(ps) for ps in de_cada.values()]
    else:
        valores = [p for p, _e in quedan]
    meses = int(decision["meses"]) if decision["meses"] else None
    factor = Fraction(1)
    if decision["unidad"] == "servicio":
        factor = Fraction(meses or 1)
    elif decision["unidad"] == "licencia":
        factor = Fraction(meses or 12, 12)
    return {
        "mediana_mxn": _centavos(_cuatro(_mediana(valores)) * factor),
        "cuartil_1_mxn": _centavos(_cuatro(_cuartil(valores, 1)) * factor),
        "cuartil_3_mxn": _centavos(_cuatro(_cuartil(valores, 3)) * factor),
        "minimo_mxn": _centavos(_cuatro(min(valores)) * factor),
        "compras": len(quedan),
        "entes": len({e for _p, e in quedan}),
    }


def de_la_fila(d: dict) -> dict:
    return {c: int(d[c]) if c in ("compras", "entes") else d[c] for c in ESPERADAS["pieza"]}


def test_la_referencia_impresa_se_rehace_con_los_datos_abiertos(firmado, client):
    observaciones = _csv(client, "precios-referencia-observaciones")
    decisiones = [
        d for d in _csv(client, "precios-referencia-decisiones") if d["folio"] == firmado.folio
    ]
    impresas = _impresas(client, firmado.folio)
    assert sorted((d["partida"], d["unidad"], d["regla"]) for d in decisiones) == [
        ("2", "pieza", "por_ente"),
        ("3", "servicio", "por_ente"),
        ("4", "licencia", "por_ente"),
    ]
    hoy = timezone.localdate()
    # Each row is the item of the register's items file with its folio and number, decided
    # at the instant that file gives it, before the dictamen was issued.
    del_registro = {(p["folio"], p["partida"]): p for p in _csv(client, "dictamenes-partidas")}
    (emitido,) = [
        r["emitido_en"] for r in _csv(client, "dictamenes") if r["folio"] == firmado.folio
    ]
    for d in decisiones:
        partida = del_registro[d["folio"], d["partida"]]
        assert (partida["descripcion"], partida["decidida_en"]) == (
            d["descripcion"],
            d["decidida_en"],
        )
        assert _instante(d["decidida_en"]) < _instante(emitido)
        assert (
            timezone.localtime(_instante(d["decidida_en"])).date().isoformat() == (d["decidida_el"])
        )
        reconstruida = rehecha(d, observaciones)
        # The hand-worked figures, the rebuilt ones and the file's agree.
        assert reconstruida == ESPERADAS[d["unidad"]]
        assert de_la_fila(d) == reconstruida
        assert (d["desde"], d["hasta"]) == (_dia(DESDE, hoy).isoformat(), hoy.isoformat())
        # And what the dictamen printed, on its verification page.
        assert como_la_imprime(impresas[d["descripcion"]]) == {
            **{c: v for c, v in reconstruida.items() if c != "minimo_mxn"},
            "desde": d["desde"],
            "hasta": d["hasta"],
            "regla": "por_ente",
        }


def test_sin_las_cercas_o_con_la_compra_del_dia_anterior_no_se_rehace(firmado, client):
    """The rule tells: the same observations read with a planted mistake (no fences, the day
    before the window in, the dictamen's own purchases in, every purchase instead of each
    agency once, the mean) give other figures (worked out in the module's docstring)."""
    observaciones = _csv(client, "precios-referencia-observaciones")
    (pieza,) = [
        d
        for d in _csv(client, "precios-referencia-decisiones")
        if d["folio"] == firmado.folio and d["unidad"] == "pieza"
    ]
    hoy = timezone.localdate()
    antes = (_dia(DESDE, hoy) - datetime.timedelta(days=1)).isoformat()

    def cifras(decision, **como):
        reconstruida = rehecha(decision, observaciones, **como)
        return (reconstruida["mediana_mxn"], reconstruida["compras"])

    assert cifras(pieza) == ("10250.00", 6)
    assert cifras(pieza | {"desde": antes}) == ("10200.00", 10)
    # Its own purchase, issued after the decision: in by the day, if the folio is not told.
    assert cifras(pieza | {"folio": "otro"}, por_dia=True) == ("10200.00", 7)
    assert cifras(pieza, por_dia=True) == ("10250.00", 6)
    assert cifras(pieza | {"regla": "compras"}) == ("10300.00", 6)
    dentro = [
        o
        for o in observaciones
        if o["unidad"] == "pieza" and o["folio"] != firmado.folio and o["fecha"] >= pieza["desde"]
    ]
    assert len(dentro) == 9
    # Without the fences: RC's median is (11,000 + 40,000) / 2 and the reference 10,200.
    de_cada = defaultdict(list)
    for o in dentro:
        de_cada[o["ente_siglas"]].append(Fraction(o["precio_mxn"]))
    medianas = sorted(_mediana(ps) for ps in de_cada.values())
    assert medianas == [10000, 10200, 25500]
    assert _centavos(_mediana(medianas)) == "10200.00"
    # The mean of the agencies' medians within the fences is not their median.
    assert _centavos(Fraction(10200 + 10250 + 10400, 3)) == "10283.33"


def test_los_archivos_no_nombran_personas_y_se_leen_en_una_consulta(
    firmado, client, django_assert_num_queries
):
    from publico import precios
    from tests.publico.test_registro import PERSONAS

    for nombre in ("precios-referencia-observaciones", "precios-referencia-decisiones"):
        respuesta = client.get(f"/datos-abiertos/{nombre}.csv")
        texto = b"".join(respuesta.streaming_content).decode("utf-8-sig")
        for persona in PERSONAS:
            assert persona not in texto, (nombre, persona)
        # A second read without changes: 304, nothing generated again.
        otra = client.get(f"/datos-abiertos/{nombre}.csv", HTTP_IF_NONE_MATCH=respuesta["ETag"])
        assert otra.status_code == 304
        assert respuesta["Content-Disposition"] == f'attachment; filename="{nombre}.csv"'
    # One query through a server-side cursor whatever the rows, chunk after chunk.
    for lineas in (precios.observaciones_lineas, precios.decisiones_lineas):
        with django_assert_num_queries(1):
            trozos = list(lineas(filas_por_trozo=2))
        assert len(trozos) >= 2


def test_la_pagina_de_datos_abiertos_lista_los_archivos_con_su_diccionario(db, client):
    from django.utils.html import escape

    from publico.conjuntos import RECURSOS

    html = client.get(reverse("datos_abiertos")).content.decode()
    seccion = html.split('<section id="precios-referencia"')[1].split("</section>")[0]
    for recurso in RECURSOS["precios-referencia"]:
        assert f'<a href="/datos-abiertos/{recurso.nombre}.csv">{recurso.nombre}.csv</a>' in seccion
        assert f'<h3 id="{recurso.nombre}">{escape(recurso.titulo)}</h3>' in seccion
        for campo in recurso.esquema()["fields"]:
            assert f"<code>{campo['name']}</code>" in seccion
            assert escape(campo["description"]) in seccion


def test_el_catalogo_fecha_cada_archivo_como_su_last_modified(firmado, client):
    """The catalogue hashes the same bytes the file's address serves: its dct:modified is the
    file's Last-Modified, and the ETag the SHA-256 of what is served (if the two generated
    different bytes, they would take turns moving the date)."""
    import hashlib

    from django.utils.http import http_date
    from rdflib import Graph, URIRef
    from rdflib import namespace as ns

    catalogo = client.get("/datos-abiertos/catalogo.jsonld").content
    grafo = Graph().parse(data=catalogo, format="json-ld")
    base = "http://127.0.0.1:8000/datos-abiertos/catalogo#"
    for nombre in ("precios-referencia-observaciones", "precios-referencia-decisiones"):
        respuesta = client.get(f"/datos-abiertos/{nombre}.csv")
        cuerpo = b"".join(respuesta.streaming_content)
        assert respuesta["ETag"] == f'"{hashlib.sha256(cuerpo).hexdigest()}"'
        distribucion = URIRef(f"{base}{nombre}-csv")
        assert (URIRef(f"{base}precios-referencia"), ns.DCAT.distribution, distribucion) in grafo
        fecha = grafo.value(distribucion, ns.DCTERMS.modified).toPython()
        assert respuesta["Last-Modified"] == http_date(fecha.timestamp())
        esquema = grafo.value(distribucion, ns.DCTERMS.conformsTo)
        assert str(esquema) == f"http://127.0.0.1:8000/datos-abiertos/esquemas/{nombre}.json"
