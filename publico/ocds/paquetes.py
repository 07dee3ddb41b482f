"""OCDS packages: a release package per month (the releases whose fact happened in it, local
time: a release's date may be a second later, guardadas._fechas) and a record package per
request (its releases, and the release ocdsmerge compiles from them).

Every field of a package comes from the releases it holds, its publishedDate (the newest
release's date) and its publisher (the reviewing body as the newest release names it) too: the
same releases give the same bytes, so an answer changes only when its contents do, never
because the institution was renamed after."""

import datetime
import json
import re

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from dictamenes.comun import cache
from dictamenes.organizacion.selectors.textos import textos_vigentes
from publico import licencia
from publico.datos_personales import nombre_publicable
from publico.ocds import entregas as _entregas
from publico.ocds import estandar, guardadas

_MES = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def _base() -> str:
    return settings.DICTAMENES_URL_PUBLICA.rstrip("/")


def url_del_mes(mes: str) -> str:
    return _base() + reverse("ocds_entregas", args=[mes])


def url_del_registro(ocid: str) -> str:
    return _base() + reverse("ocds_registro", args=[ocid])


def url_politica() -> str:
    """Where the publication policy is written: the OCDS page of the open data."""
    return _base() + reverse("ocds_indice")


def _cabecera(uri: str, nueva: dict) -> dict:
    """The package's fields besides its releases, from `nueva`, its newest release."""
    # A release without the reviewing body's name (none yet) would leave the field empty.
    publicador = _entregas.revisora(nueva) or nombre_publicable(textos_vigentes().institucion)
    return {
        "uri": uri,
        "version": estandar.VERSION,
        "publishedDate": nueva["date"],
        "publisher": {"name": publicador},
        "license": licencia.URL,
        "publicationPolicy": url_politica(),
        "extensions": estandar.urls_de_extensiones(),
    }


def _rango(mes: str) -> tuple[datetime.datetime, datetime.datetime] | None:
    coincide = _MES.match(mes)
    if coincide is None:
        return None
    anio, numero = int(coincide[1]), int(coincide[2])
    zona = timezone.get_current_timezone()
    inicio = datetime.datetime(anio, numero, 1, tzinfo=zona)
    siguiente = (anio + 1, 1) if numero == 12 else (anio, numero + 1)
    return inicio, datetime.datetime(*siguiente, 1, tzinfo=zona)


def paquete_del_mes(mes: str) -> bytes | None:
    """The release package of the month "AAAA-MM", as JSON (None: no release that month)."""
    rango = _rango(mes)
    if rango is None:
        return None
    filas = guardadas.entregas_del_mes(rango)
    if not filas:
        return None
    # The newest release (of two with the same date, the later fact): the only one read back
    # (a month holds thousands).
    _, nueva = max(reversed(filas), key=lambda fila: fila[0])
    cabecera = json_de(_cabecera(url_del_mes(mes), json.loads(nueva)))
    # The header's object, opened again for the releases, each as the bytes kept.
    return b"".join(
        (cabecera[:-1], b', "releases": [', b", ".join(texto for _, texto in filas), b"]}")
    )


_PUBLICADO = re.compile(rb'"publishedDate": "([^"]+)"')


def publicado_el(cuerpo: bytes) -> datetime.datetime | None:
    """A package's publishedDate, the date of its newest release, read from its bytes (from its
    header, which opens them): when the month's bytes were last written (publico.huellas)."""
    coincide = _PUBLICADO.search(cuerpo, 0, 2048)
    return datetime.datetime.fromisoformat(coincide[1].decode()) if coincide else None


def paquete_de_registro(ocid: str) -> dict | None:
    """The record package of one request (None: no such ocid, or not presented)."""
    folio = _entregas.folio_de(ocid)
    if not folio:
        return None
    con_mes = guardadas.publicadas(
        _entregas.eventos().filter(solicitud__folio=folio),
        _entregas.sin_historia().filter(folio=folio),
    )
    if not con_mes:
        return None
    lista = [entrega for _mes, entrega in con_mes]
    # Each release in the package of its fact's month (not its date's: guardadas.mes_del_hecho).
    meses = sorted({mes for mes, _entrega in con_mes})
    registro = {
        "ocid": ocid,
        "releases": [
            {"url": f"{url_del_mes(mes)}#{e['id']}", "date": e["date"], "tag": e["tag"]}
            for mes, e in con_mes
        ],
        "compiledRelease": estandar.fusionador().create_compiled_release(lista),
    }
    return {
        **_cabecera(url_del_registro(ocid), max(reversed(lista), key=lambda e: e["date"])),
        "packages": [url_del_mes(mes) for mes in meses],
        "records": [registro],
    }


def json_de(paquete: dict) -> bytes:
    # Without `indent`, as the releases are kept: with it Python's json leaves its C encoder
    # for pure Python, and a year-end month (~8 MB) took 1.2 s to write instead of ~0.1 s.
    return json.dumps(paquete, ensure_ascii=False).encode()


def _memorizado(*partes, calcular) -> bytes | None:
    # Nothing to publish is kept as b"": the cache does not tell None from a miss.
    return cache.memorizar("ocds", *partes, calcular=lambda: calcular() or b"") or None


def cuerpo_del_mes(mes: str) -> bytes | None:
    """The bytes the month's address serves (None: 404), computed once per data version: the
    view serves them and the catalogue dates them (publico.huellas)."""
    return _memorizado("entregas", mes, calcular=lambda: paquete_del_mes(mes))


def cuerpo_del_registro(ocid: str) -> bytes | None:
    """The bytes the record's address serves (None: 404), computed once per data version."""

    def calcular() -> bytes | None:
        paquete = paquete_de_registro(ocid)
        return None if paquete is None else json_de(paquete)

    return _memorizado("registro", ocid, calcular=calcular)
