"""Finding a dictamen by the folio a person typed: spaces, case and separators as they come.

A folio is the pattern of the institution's texts it was issued under
(TextosInstitucionales.folio_dictamen, such as «SGD/DGPDGT/DT/{anio}/{numero:04d}» or
«AGD-ANH-{anio}-{numero:05d}»). What a person types is read against every pattern the
institution has had: its letters and digits in order, whatever stands between them («AGD ANH
2026 7» is «AGD-ANH-2026-00007»), each pattern giving at most one folio, looked up on the
unique index: never a scan of the table, however many dictámenes there are."""

import re
import string
import unicodedata

from django.conf import settings

from dictamenes.models import Dictamen, TextosInstitucionales

# How the error message names each separator a pattern uses (others by the character itself).
NOMBRES_DE_SEPARADORES = {
    "/": "diagonales",
    "-": "guiones",
    ".": "puntos",
    "_": "guiones bajos",
    " ": "espacios",
}
# The fields a dictamen's pattern may use (organizacion.services.textos.PATRONES): the year is
# four digits, which is what splits it from a number written right after it.
_CAMPOS = {"anio": "[0-9]{4}", "numero": "[0-9]{1,12}"}


def folio_normalizar(folio: str) -> str:
    """The folio without spaces, in capitals: " sgd / dt/2026/7" → "SGD/DT/2026/7"."""
    return "".join((folio or "").split()).upper()


def _esqueleto(texto: str) -> str:
    """Only the letters and digits, in capitals, compatibility forms folded: what is left of
    a folio once whatever separates its parts is gone."""
    return "".join(c for c in unicodedata.normalize("NFKC", texto).upper() if c.isalnum())


def patrones_de_folio() -> list[str]:
    """Every pattern the dictámenes' folios have had, the one in force first. One query, on a
    table of a few versions."""
    patrones = TextosInstitucionales.objects.order_by("-version").values_list(
        "folio_dictamen", flat=True
    )
    return list(dict.fromkeys(patrones)) or [settings.DICTAMENES_FOLIO_DICTAMEN]


def _lector(patron: str) -> re.Pattern | None:
    """A pattern as a regular expression over a folio's skeleton (None: not one to read)."""
    partes, vistos = [], set()
    try:
        piezas = list(string.Formatter().parse(patron))
    except ValueError:
        return None
    for literal, campo, _formato, _conversion in piezas:
        partes.append(re.escape(_esqueleto(literal)))
        if campo is None:
            continue
        if campo not in _CAMPOS:
            return None
        partes.append(f"(?P={campo})" if campo in vistos else f"(?P<{campo}>{_CAMPOS[campo]})")
        vistos.add(campo)
    return re.compile("".join(partes))


def folio_candidatos(*, folio: str, patrones: list[str]) -> list[str]:
    """The folio `folio` would be in each pattern, written as the pattern writes it: at most
    one a pattern. Pure: no query."""
    esqueleto, candidatos = _esqueleto(folio), []
    for patron in patrones:
        lector = _lector(patron)
        coincide = lector.fullmatch(esqueleto) if lector else None
        if coincide is None:
            continue
        valores = {campo: int(valor) for campo, valor in coincide.groupdict().items()}
        try:
            candidatos.append(patron.format(**valores))
        except (KeyError, IndexError, ValueError):
            continue
    return list(dict.fromkeys(candidatos))


def separadores(patrones: list[str]) -> list[str]:
    """The separators the patterns write between a folio's parts, as the error names them:
    those of the pattern in force first. Pure: no query."""
    vistos = []
    for patron in patrones:
        for literal, _campo, _formato, _conversion in string.Formatter().parse(patron):
            for caracter in literal:
                if not caracter.isalnum() and caracter not in vistos:
                    vistos.append(caracter)
    return [NOMBRES_DE_SEPARADORES.get(c, f"«{c}»") for c in vistos]


def dictamen_por_folio(*, folio: str, patrones: list[str] | None = None) -> Dictamen | None:
    """The dictamen whose folio is `folio` as a person typed it, or None. The folio as issued
    (the usual case, and what a QR carries), in capitals and without spaces, is one query on
    the unique index; otherwise one more (two without `patrones`): the folio it would be in
    each of the institution's patterns, on the same index."""
    buscado = folio_normalizar(folio)
    if not buscado:
        return None
    exacto = Dictamen.objects.filter(folio=buscado).first()
    if exacto is not None:
        return exacto
    candidatos = folio_candidatos(
        folio=folio, patrones=patrones_de_folio() if patrones is None else patrones
    )
    candidatos = [c for c in candidatos if c != buscado]
    if not candidatos:
        return None
    return Dictamen.objects.filter(folio__in=candidatos).order_by("pk").first()
