"""A provider of its own for each test module (tests.backends.proveedor_oidc), with dummy
redirect URIs on a closed port: the redirects are read, never followed."""

import pytest
import requests

from tests.backends.proveedor_oidc import proveedor_iniciado

CB = "http://127.0.0.1:9/cb"  # nothing listens there: the redirect is read, never followed
SALIDA = "http://127.0.0.1:9/salida"
LLAVE_CB = "http://127.0.0.1:9/llave/cb"


@pytest.fixture(scope="module")
def proveedor():
    servidor = proveedor_iniciado(
        oidc_redirect_uris=[CB],
        oidc_post_logout_redirect_uris=[SALIDA],
        llave_redirect_uris=[LLAVE_CB],
    )
    yield servidor
    servidor.stop()


@pytest.fixture(scope="module")
def descubrimiento(proveedor):
    return requests.get(proveedor.discovery_url, timeout=10).json()
