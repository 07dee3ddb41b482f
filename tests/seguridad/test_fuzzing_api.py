"""Fuzzing of the whole HTTP API with schemathesis, from the schema it publishes.

Every operation of /api/v1/esquema/ gets generated requests (valid and invalid) as a
requirente and as the auditor, against a database that holds requests in several states and a
signed dictamen, with every check Schemathesis has (CHEQUEOS): no server error; the status
code, content type, headers and body the schema documents; every request the schema allows is
accepted and every one it forbids is refused (positive_data_acceptance,
negative_data_rejection); the credential is enforced (ignored_auth), and so on. Only
max_response_time is left out: it is not a check Schemathesis registers but a time limit of
its runner, and on the shared two cores of CI a slow second says nothing about the API.

Bounded for CI: a fixed number of examples per operation and role, derandomized, so a run is
reproducible: 20 under `make test` (about a minute on PostgreSQL), 200 under `make
pruebas-profundas` (tests/perfiles.py). Each example runs inside a savepoint that is
rolled back, so what one example creates (a draft through POST) is not seen by the next.
"""

import os

import pytest
import schemathesis
from django.core import signals
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.config import SchemathesisConfig

from dictamenes.models import Dictamen, Solicitud
from estandares.models import Categoria, Perfil, Publicacion, Requisito
from tests.dictamenes.flujo_utils import (
    borrador,
    en_firma,
    firmar,
    presentada,
    usuario,
)
from tests.perfiles import PERFIL, ejemplos
from tests.por_modulo import llaves_comprobar

# The mark makes pytest-django create the test database; each test also runs in a savepoint.
pytestmark = pytest.mark.django_db

ROLES = ["requirente.sh", "auditor"]
# make test draws 20 per operation; make pruebas-profundas ten times as many (tests/perfiles.py).
EJEMPLOS_POR_OPERACION = ejemplos(20)
# Every check Schemathesis registers (a newer version's new checks too).
load_all_checks()
CHEQUEOS = CHECKS.get_all()

# The coverage phase (the schema's boundaries: each length and pattern at its edge) runs under
# `make pruebas-profundas` for every operation. Under `make test` it is left out for one: creating
# a request, whose «justificación» carries the motive pattern (dictamenes.api.campos.patron_motivo,
# 21,870 characters: "" or at least ten visible characters, said through lookaheads). Schemathesis
# cannot read that pattern's least length, so it asks Hypothesis for strings of length 1 and 2 that
# match it: about 1,000 draws each, none possible, both cases dropped; some 60 s of CPU at
# collection in each process of the suite, for no case. That operation is still fuzzed (valid and
# invalid bodies, every check) in both profiles, and the pattern is the field's own
# (test_el_esquema_de_la_api_pide_lo_mismo_que_el_campo).
SIN_COBERTURA_EN_CI = [
    {
        "include-path": "/api/v1/solicitudes/",
        "include-method": "POST",
        "phases": {"coverage": {"enabled": False}},
    }
]
schema = schemathesis.openapi.from_wsgi(
    "/api/v1/esquema/",
    get_wsgi_application(),
    config=SchemathesisConfig.from_dict(
        {"operations": SIN_COBERTURA_EN_CI if PERFIL == "ci" else []}
    ),
)

# Real primary keys (and versions) per path, filled by the `datos_fuzz` fixture, so that path
# parameters hit existing objects and not only random numbers that answer 404.
_REALES: dict[str, list] = {}


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    reales = _REALES.get(context.operation.path.split("{")[0])
    if not reales or not path_parameters or len(path_parameters) != 1:
        return st.just(path_parameters)
    (nombre,) = path_parameters
    return st.just(path_parameters) | st.sampled_from(reales).map(lambda v: {nombre: v})


@pytest.fixture(scope="module")
def datos_fuzz(django_db_setup, django_db_blocker):
    """The demo catalogues, a request per state (two agencies) and a signed dictamen, built
    once for the module inside a transaction that is rolled back at the end."""
    # Django's test client does the same: a request's end must not close the test's
    # connection (it is inside a transaction, so Django would drop it).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("cargar_demo", "--sin-solicitudes", stdout=open(os.devnull, "w"))  # noqa: SIM115
            borrador(requirente="requirente.rc", titulo="Del Registro Civil")
            borrador(titulo="Borrador de Hacienda")
            presentada(titulo="Presentada de Hacienda")
            firmar(en_firma(areas=("computo",)))
            _REALES.update(
                {
                    "/api/v1/solicitudes/": list(Solicitud.objects.values_list("pk", flat=True)),
                    "/api/v1/dictamenes/": list(Dictamen.objects.values_list("pk", flat=True)),
                    "/api/v1/estandares/publicaciones/": list(
                        Publicacion.objects.values_list("version", flat=True)
                    ),
                    "/api/v1/estandares/categorias/": list(
                        Categoria.objects.values_list("pk", flat=True)[:20]
                    ),
                    "/api/v1/estandares/perfiles/": list(
                        Perfil.objects.values_list("pk", flat=True)[:20]
                    ),
                    "/api/v1/estandares/requisitos/": list(
                        Requisito.objects.values_list("pk", flat=True)[:20]
                    ),
                }
            )
            fichas = {rol: Token.objects.create(user=usuario(rol)).key for rol in ROLES}
            llaves_comprobar()
            yield fichas
        finally:
            _REALES.clear()
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)


@pytest.mark.parametrize("rol", ROLES)
@schema.parametrize()
@settings(
    max_examples=EJEMPLOS_POR_OPERACION,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_la_api_no_falla_y_cumple_su_esquema(case, rol, datos_fuzz, contador_fuzz):
    contador_fuzz[rol] += 1
    with transaction.atomic():
        credencial = {"Authorization": f"Token {datos_fuzz[rol]}"}
        respuesta = case.call(headers=credencial)
        if respuesta.status_code >= 500:
            contador_fuzz[f"5xx:{rol}"] += 1
        elif 200 <= respuesta.status_code < 300:
            contador_fuzz[f"2xx:{rol}"] += 1
        try:
            # The credential is ours, not generated: ignored_auth then retries without it.
            case.validate_response(respuesta, checks=CHEQUEOS, headers=credencial)
        finally:
            transaction.set_rollback(True)


def test_todos_los_chequeos_de_schemathesis_estan_encendidos():
    assert {chequeo.__name__ for chequeo in CHEQUEOS} >= {
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
        "response_headers_conformance",
        "negative_data_rejection",
        "positive_data_acceptance",
        "use_after_free",
        "ensure_resource_availability",
        "ignored_auth",
        "missing_required_header",
        "unsupported_method",
        "allow_header_conformance",
        "object_level_authorization",
    }


@pytest.mark.parametrize(
    ("url", "estado", "mensaje"),
    [
        # A NUL reached PostgreSQL, which refuses it: these answered 500. Now refused with
        # the other control characters (estandares.entradas).
        ("/api/v1/estandares/perfiles/?version=2024%00", 400, "de control o de dirección (U+0000)"),
        ("/api/v1/estandares/categorias/?version=%00", 400, "de control o de dirección (U+0000)"),
        ("/api/v1/estandares/publicaciones/2024%00/", 404, "No encontrado"),
        # A malformed id answered Django's HTML page, not the API's JSON.
        ("/api/v1/estandares/perfiles/0.5/", 404, "No encontrado"),
        ("/api/v1/dictamenes/-1.5/pdf/", 404, "No encontrado"),
        ("/api/v1/solicitudes/0.5/", 404, "No encontrado"),
    ],
)
def test_una_entrada_rara_da_un_error_claro_en_json(datos_fuzz, url, estado, mensaje):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {datos_fuzz['auditor']}")
    respuesta = api.get(url)
    assert respuesta.status_code == estado
    assert respuesta["Content-Type"] == "application/json"
    assert mensaje in str(respuesta.json())
