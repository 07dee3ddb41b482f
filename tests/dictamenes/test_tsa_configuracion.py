"""Without a timestamping authority nothing is signed, and the deployment check says so."""

import io

from django.core.management import call_command


def _revision_de_despliegue() -> str:
    salida = io.StringIO()
    call_command("check", "--deploy", "--tag", "security", stdout=salida, stderr=salida)
    return salida.getvalue()


def test_check_deploy_avisa_si_no_hay_tsa(settings):
    settings.DICTAMENES_TSA = {**settings.DICTAMENES_TSA, "URL": ""}
    assert "dictamenes.W151" in _revision_de_despliegue()
    assert "DJANGO_TSA_URL" in _revision_de_despliegue()


def test_check_deploy_calla_con_una_tsa(settings):
    settings.DICTAMENES_TSA = {**settings.DICTAMENES_TSA, "URL": "https://tsa.ejemplo.gob.mx/tsa"}
    assert "dictamenes.W151" not in _revision_de_despliegue()
