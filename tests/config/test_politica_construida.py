"""The Content-Security-Policy header is built once per kind of page (issue 64, item 1: it
was 0.1–0.2 ms of every request). Each answer must carry the very bytes django-csp's own
middleware builds for it: our pages, the third-party ones with inline style attributes, a
page whose view changes its policy, a page that asks for a nonce, and a change of the
identity providers' settings."""

import pytest
from csp.constants import NONCE
from csp.middleware import CSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory

from config import seguridad

CABECERA = "Content-Security-Policy"


class _SoloDjangoCsp(seguridad.PoliticaDeContenidoMiddleware):
    """Our policy parts, built by django-csp's own process_response, every time."""

    process_response = CSPMiddleware.process_response


def _dos_veces(ruta, preparar=lambda request, response: None):
    """The header of the same answer from ours (twice: built, then from the cache) and from
    django-csp's build."""
    cabeceras = []
    for middleware in (seguridad.PoliticaDeContenidoMiddleware,) * 2 + (_SoloDjangoCsp,):
        request = RequestFactory().get(ruta)
        response = HttpResponse("x")
        m = middleware(HttpResponse)
        m.process_request(request)
        preparar(request, response)
        cabeceras.append(m.process_response(request, response).get(CABECERA))
    return cabeceras


@pytest.mark.parametrize("ruta", ["/", "/flujos/solicitud/", "/admin/", "/api/v1/docs/"])
def test_la_politica_de_cada_pagina_es_la_de_django_csp(ruta):
    nuestra, de_cache, de_django_csp = _dos_veces(ruta)
    assert nuestra == de_cache == de_django_csp
    assert ("style-src-attr 'unsafe-inline'" in nuestra) is (ruta != "/")


def test_la_vista_que_cambia_su_politica_lleva_la_suya():
    def ajustar(request, response):
        response._csp_update = {"img-src": ["https://mapas.example"]}

    nuestra, de_cache, de_django_csp = _dos_veces("/", ajustar)
    assert nuestra == de_cache == de_django_csp
    assert "https://mapas.example" in nuestra
    # And the next page without that change does not keep it.
    assert "https://mapas.example" not in _dos_veces("/")[0]


def test_cada_nonce_es_nuevo_en_su_cabecera():
    def pedir_nonce(request, response):
        response._csp_update = {"script-src": [NONCE]}
        str(request.csp_nonce)

    nuestra, otra, _ = _dos_veces("/", pedir_nonce)
    assert "'nonce-" in nuestra and "'nonce-" in otra
    assert nuestra != otra


def test_otro_proveedor_de_identidad_cambia_la_politica(settings):
    antes = _dos_veces("/")[0]
    proveedores = dict(settings.SOCIALACCOUNT_PROVIDERS)
    oidc = dict(proveedores["openid_connect"])
    oidc["APPS"] = [{"settings": {"server_url": "https://idp.example/realms/estado"}}]
    proveedores["openid_connect"] = oidc
    settings.SOCIALACCOUNT_PROVIDERS = proveedores
    nuestra, de_cache, de_django_csp = _dos_veces("/")
    assert nuestra == de_cache == de_django_csp != antes
    assert "https://idp.example" in nuestra


def test_otra_politica_en_los_ajustes_cambia_la_cabecera(settings):
    antes = _dos_veces("/")[0]
    politica = {"DIRECTIVES": {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]}}
    politica["DIRECTIVES"]["img-src"] = ["'self'"]
    settings.CONTENT_SECURITY_POLICY = politica
    nuestra, de_cache, de_django_csp = _dos_veces("/")
    assert nuestra == de_cache == de_django_csp != antes
    assert "data:" not in nuestra
