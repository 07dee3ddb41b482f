"""The annual programme's lines on a real PostgreSQL, while a request is presented: a line is
never corrected after a request took it, and a line withdrawn meanwhile is skipped, not a
failed presentation. (See tests/backends/paralelo.py: no wait here is endless.)"""

import time

import pytest
from django.db import transaction
from django.utils import timezone

from dictamenes.models import LineaPrograma, Solicitud
from dictamenes.planeacion.services import programa as planeacion
from dictamenes.tramite.services import solicitudes
from tests.backends.paralelo import Momento, en_paralelo
from tests.backends.plugin import require_postgres
from tests.dictamenes.flujo_utils import borrador, usuario

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
LINEA = {
    "categoria": "computadora-escritorio",
    "perfil": "",
    "descripcion": "Equipos de ventanilla",
    "cantidad": "20",
    "monto_estimado": "300000",
    "capitulo": "5000",
    "partida_especifica": "51501",
    "mes": "3",
}


def _linea():
    autor = usuario("requirente.sh")
    return planeacion.linea_agregar(
        ente=autor.perfil.ente,
        ejercicio=timezone.localdate().year,
        usuario=autor,
        datos=LINEA,
    )


def _lento(momento, accion):
    """Run `accion` in a transaction that holds its locks 1.5 s after `momento`."""
    with momento.anuncia(), transaction.atomic():
        accion()
        momento.llego()
        time.sleep(1.5)


def test_una_correccion_mientras_se_presenta_espera_y_se_rechaza(demo):
    require_postgres()
    linea, solicitud, autor = _linea(), borrador(), usuario("requirente.sh")
    presentando = Momento("el primer hilo presente la solicitud (sin confirmar aún)")

    def presentar(_):
        _lento(
            presentando, lambda: solicitudes.solicitud_presentar(solicitud=solicitud, usuario=autor)
        )

    def corregir(_):
        presentando.esperar()
        planeacion.linea_corregir(linea=linea, usuario=autor, datos={**LINEA, "mes": "9"})

    _resultados, errores = en_paralelo(lambda f: f(None), [presentar, corregir])

    assert len(errores) == 1, errores
    assert "ya está vinculada a la solicitud" in errores[0].messages[0]
    linea.refresh_from_db()
    assert (linea.solicitud_id, linea.mes_previsto) == (solicitud.pk, 3)


def test_una_linea_retirada_mientras_se_presenta_se_salta(demo):
    require_postgres()
    linea, solicitud, autor = _linea(), borrador(), usuario("requirente.sh")
    retirando = Momento("el primer hilo retire la línea (sin confirmar aún)")

    def retirar(_):
        _lento(retirando, lambda: planeacion.linea_retirar(linea=linea, usuario=autor))

    def presentar(_):
        retirando.esperar()
        solicitudes.solicitud_presentar(solicitud=solicitud, usuario=autor)

    _resultados, errores = en_paralelo(lambda f: f(None), [retirar, presentar])

    assert errores == []
    assert not LineaPrograma.objects.exists()
    solicitud = Solicitud.objects.get(pk=solicitud.pk)
    assert solicitud.estado == Solicitud.Estado.ADMISION
    assert solicitud.planeada is False
