"""The e.firma's password never reaches an error report (Django's SafeExceptionReporterFilter,
what a 500's mail and log show of the POST): on signing, cancelling and rectifying, under the
name the page's form sends it with (cancelling and rectifying prefix their fields)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.views.debug import SafeExceptionReporterFilter

from dictamenes.emision import acciones as emision
from dictamenes.expediente.views import dictamen as vistas


class _Propuesta:
    pk = 1


# The forms as the request's page draws them (emisión's section of the registry).
FORMAS = emision.en_la_pagina(
    {"firma": True, "cancelar": True, "rectificar": _Propuesta()}, {}, decisiones=None
)
CASOS = {
    "firma": (vistas.firma, FORMAS["firma_form"], {"pk": 1}),
    "cancelar": (vistas.cancelar, FORMAS["cancelar"], {"pk": 1, "dictamen_pk": 1}),
    "rectificar": (vistas.rectificar, FORMAS["rectificar_form"], {"pk": 1, "dictamen_pk": 1}),
}


@pytest.mark.parametrize("nombre", CASOS)
def test_la_contrasena_de_la_efirma_no_llega_a_un_reporte_de_error(nombre, rf):
    vista, form, llaves = CASOS[nombre]
    campo = form["contrasena"].html_name
    request = rf.post("/", {campo: "la-contrasena-de-la-llave", "otro": "visible"})
    request.user = AnonymousUser()
    vista(request, **llaves)  # anonymous: to the login, after the view's decorators ran
    reporte = SafeExceptionReporterFilter().get_post_parameters(request)
    assert "la-contrasena-de-la-llave" not in reporte.values()
    assert reporte["otro"] == "visible"
