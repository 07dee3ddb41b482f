"""Validate an OCDS package with the standard's own checker, libcoveocds, offline.

libcoveocds reads the standard's schemas and codelists from a ZIP laid out as the standard's
repository is (here built in memory from publico/ocds/esquemas), and each extension a package
lists over HTTP, with ocdsextensionregistry's session; the record package schema's reference to
the versioned release schema it fetches with jsonref's `requests`. Those two are given an
adapter that answers from the files here, and the local extension from this site, through
Django's test client: so the check sees exactly what the site serves, and nothing leaves the
machine: while it validates, requests' own transport (the one anything not answered here would
take) fails with «sin red» (`_sin_red`)."""

import contextlib
import copy
import functools
import io
import tempfile
import zipfile
from pathlib import Path

import jsonref
import requests
import urllib3
from django.test import Client
from libcoveocds.api import ocds_json_output
from libcoveocds.config import LibCoveOCDSConfig
from ocdsextensionregistry import util as registro
from requests.adapters import BaseAdapter, HTTPAdapter

from publico.ocds import estandar

_ESTANDAR_URL = f"https://standard.open-contracting.org/schema/{estandar.ETIQUETA}/"
_ARCHIVO = "https://github.com/open-contracting-extensions/{}/archive/master.zip"


def _zip(carpeta: Path, raiz: str, dentro: str = "") -> bytes:
    """The folder as a ZIP whose first entry is its top folder, as GitHub's archives are."""
    salida = io.BytesIO()
    with zipfile.ZipFile(salida, "w") as archivo:
        archivo.writestr(f"{raiz}/", "")
        for ruta in sorted(carpeta.rglob("*")):
            if ruta.is_file():
                archivo.write(ruta, f"{raiz}/{dentro}{ruta.relative_to(carpeta).as_posix()}")
    return salida.getvalue()


@functools.cache
def _zip_del_estandar() -> bytes:
    return _zip(estandar.ESTANDAR, f"standard-{estandar.ETIQUETA}", "schema/")


@functools.cache
def _carpeta() -> str:
    return tempfile.mkdtemp(prefix="ocds-validador-")


class _Local(BaseAdapter):
    """Answers the standard's and the extensions' addresses from here (404 for anything else)."""

    def send(self, request, **kwargs):
        respuesta = requests.Response()
        respuesta.url = request.url
        respuesta.request = request
        # requests-cache reads the raw response's URL.
        respuesta.raw = urllib3.HTTPResponse(
            body=io.BytesIO(b""), status=200, preload_content=False, request_url=request.url
        )
        contenido = self._contenido(request.url)
        respuesta.status_code = 404 if contenido is None else 200
        respuesta.reason = "Not Found" if contenido is None else "OK"
        respuesta._content = contenido or b""
        return respuesta

    def _contenido(self, url: str) -> bytes | None:
        for carpeta, ruta in estandar.EXTENSIONES_OFICIALES.items():
            nombre = ruta.name
            if url == _ARCHIVO.format(nombre):
                return _zip(ruta, f"{nombre}-master")
            if url.startswith(carpeta):
                archivo = ruta / url.removeprefix(carpeta)
                return archivo.read_bytes() if archivo.is_file() else None
        if url.startswith(_ESTANDAR_URL):
            archivo = estandar.ESTANDAR / url.removeprefix(_ESTANDAR_URL)
            return archivo.read_bytes() if archivo.is_file() else None
        local = estandar.url_extension_local()
        if url.startswith(local):
            respuesta = Client().get(url.removeprefix(local.split("/datos-abiertos")[0]))
            return b"".join(respuesta) if respuesta.status_code == 200 else None
        return None

    def close(self):
        pass


def _montar() -> None:
    adaptador = _Local()
    for prefijo in (
        *estandar.extensiones(),
        "https://github.com/open-contracting-extensions/",
    ):
        registro.session.mount(prefijo, adaptador)
    sesion = requests.Session()
    sesion.mount("https://standard.open-contracting.org/", adaptador)
    jsonref.requests = sesion


# What was refused, for the test that shows nothing goes out.
RECHAZADAS: list[str] = []


@contextlib.contextmanager
def _sin_red():
    """Any request that reaches the network (an address not answered by `_Local`) fails."""

    def rechazar(self, request, **kwargs):
        RECHAZADAS.append(request.url)
        raise requests.ConnectionError(f"sin red en las pruebas: {request.url}")

    original = HTTPAdapter.send
    HTTPAdapter.send = rechazar
    try:
        yield
    finally:
        HTTPAdapter.send = original


def validar(paquete: dict) -> dict:
    """libcoveocds' report on a release or record package: "validation_errors" (each with the
    field it names), "extensions" (with "invalid_extension", every extension it could not
    load) and its further checks."""
    _montar()
    configuracion = LibCoveOCDSConfig({"standard_zip": _zip_del_estandar(), "context": "api"})
    with _sin_red():
        return ocds_json_output(
            # It writes the patched schema there ("extended_schema.json"), by default in the
            # current folder: one folder of its own per process, outside the repository.
            _carpeta(),
            json_data=copy.deepcopy(paquete),
            lib_cove_ocds_config=configuracion,
            schema_version=estandar.VERSION,
        )


def errores(paquete: dict) -> list:
    """The validation errors, after checking that every listed extension was loaded (an
    extension libcoveocds cannot load it skips in silence, and would validate nothing)."""
    informe = validar(paquete)
    assert informe["extensions"]["invalid_extension"] == {}, informe["extensions"]
    return informe["validation_errors"]
