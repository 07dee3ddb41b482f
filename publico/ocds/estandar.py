"""The OCDS 1.1 schemas as this site publishes against them: the standard's, brought unchanged
into publico/ocds/esquemas (README and SHA256SUMS there), patched with the extensions its
releases use, and the merger that compiles a request's releases into its record.

The release schema is patched with JSON Merge Patch (RFC 7396, the json-merge-patch package),
as the standard's own tools do (ocdsextensionregistry.ProfileBuilder), but from the files here:
nothing is downloaded, at run time or in the tests."""

import functools
import json
import re
from pathlib import Path

import json_merge_patch
from django.conf import settings
from django.urls import reverse
from ocdsmerge import Merger

ESQUEMAS = Path(__file__).resolve().parent / "esquemas"
ESTANDAR = ESQUEMAS / "estandar"
# The local extension: written here, served by the site (publico/ocds/extension/).
EXTENSION_LOCAL = Path(__file__).resolve().parent / "extension"
VERSION = "1.1"
ETIQUETA = "1__1__5"

_RAW = "https://raw.githubusercontent.com/open-contracting-extensions/{}/master/"
# Each extension the releases use: the address of its folder, as packages list it (with
# "extension.json" after it), and its files here. The order is the order of the patches.
EXTENSIONES_OFICIALES = {
    _RAW.format(nombre): ESQUEMAS / "extensiones" / nombre
    for nombre in ("ocds_budget_breakdown_extension", "ocds_budget_and_spend_extension")
}


def url_extension_local(*, base: str | None = None) -> str:
    """The address of the local extension's folder (its extension.json is below it)."""
    raiz = settings.DICTAMENES_URL_PUBLICA if base is None else base
    return raiz.rstrip("/") + reverse("ocds_extension", args=["extension.json"]).removesuffix(
        "extension.json"
    )


def extensiones() -> dict[str, Path]:
    """Folder address -> files here, for every extension a package lists."""
    return {**EXTENSIONES_OFICIALES, url_extension_local(): EXTENSION_LOCAL}


def urls_de_extensiones() -> list[str]:
    """What every package lists in its "extensions"."""
    return [carpeta + "extension.json" for carpeta in extensiones()]


def _leer(ruta: Path) -> dict:
    return json.loads(ruta.read_text(encoding="utf-8"))


@functools.cache
def esquema_de_entregas() -> dict:
    """The release schema of OCDS 1.1.5 with every extension's patch applied."""
    esquema = _leer(ESTANDAR / "release-schema.json")
    for carpeta in (*EXTENSIONES_OFICIALES.values(), EXTENSION_LOCAL):
        esquema = json_merge_patch.merge(esquema, _leer(carpeta / "release-schema.json"))
    return esquema


@functools.cache
def fusionador() -> Merger:
    """ocdsmerge's merger over the patched schema: it knows which arrays merge by "id"
    (parties, documents, items, contracts, budgetBreakdown)."""
    return Merger(schema=esquema_de_entregas())


PREFIJO_DE_EJEMPLO = "ocds-xxxxxx"
_PREFIJO = re.compile(r"^ocds-[a-z0-9]{6}$")


def comprobar_prefijo(app_configs=None, **kwargs):
    """`manage.py check --deploy`: the ocid prefix is the publisher's own, not the demo's."""
    from django.core.checks import Warning

    prefijo = settings.OCDS_PREFIJO_OCID
    if prefijo != PREFIJO_DE_EJEMPLO and _PREFIJO.match(prefijo):
        return []
    return [
        Warning(
            f"El prefijo de ocid «{prefijo}» no es uno asignado: los procesos se publicarían en "
            "OCDS con identificadores que no son únicos en el mundo.",
            hint="Pida un prefijo (ocds- y seis letras o números) al Open Contracting "
            "Partnership (data@open-contracting.org) y póngalo en DJANGO_OCDS_PREFIJO_OCID.",
            id="publico.W161",
        )
    ]
