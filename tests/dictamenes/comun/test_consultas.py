"""Queries compiled once (comun.consultas): each call answers with its own values, on SQLite
and PostgreSQL alike; the ORM builds the query once."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from dictamenes.comun import consultas
from dictamenes.models import Sustitucion
from dictamenes.tramite.selectors import tramite

pytestmark = pytest.mark.django_db


def test_los_suplidos_son_los_de_hoy_y_de_quien_pregunta(demo):
    Usuario = get_user_model()
    suplente, otro = Usuario.objects.create_user("suplente"), Usuario.objects.create_user("otro")
    titulares = [Usuario.objects.create_user(f"titular{i}") for i in range(4)]
    hoy = timezone.localdate()
    dia = datetime.timedelta(days=1)
    for titular, desde, hasta, quien in (
        (titulares[0], hoy - dia, hoy + dia, suplente),  # today
        (titulares[1], hoy, hoy, suplente),  # today only
        (titulares[2], hoy - 3 * dia, hoy - dia, suplente),  # over
        (titulares[3], hoy, hoy + dia, otro),  # someone else's
    ):
        Sustitucion.objects.create(titular=titular, suplente=quien, desde=desde, hasta=hasta)

    assert sorted(tramite.titulares_suplidos(usuario=suplente)) == sorted(
        [titulares[0].pk, titulares[1].pk]
    )
    assert tramite.titulares_suplidos(usuario=otro) == [titulares[3].pk]
    assert tramite.titulares_suplidos(usuario=titulares[0]) == []


def _suplencias(suplente: int, hoy: datetime.date):
    return Sustitucion.objects.filter(suplente_id=suplente, desde__lte=hoy).values_list("pk")


def test_la_consulta_se_arma_una_vez_y_cada_llamada_lleva_sus_valores(demo, monkeypatch):
    armadas = []

    def contada(suplente, hoy):
        armadas.append((suplente, hoy))
        return _suplencias(suplente, hoy)

    Usuario = get_user_model()
    a, b = Usuario.objects.create_user("a"), Usuario.objects.create_user("b")
    hoy = timezone.localdate()
    s = Sustitucion.objects.create(titular=b, suplente=a, desde=hoy, hasta=hoy)
    assert consultas.filas(contada, a.pk, hoy) == [(s.pk,)]
    assert consultas.filas(contada, b.pk, hoy) == []
    assert consultas.filas(contada, a.pk, hoy - datetime.timedelta(days=1)) == []
    assert len(armadas) == 1


def test_solo_enteros_y_fechas_y_cada_valor_debe_llegar_a_la_consulta(demo):
    with pytest.raises(TypeError):
        consultas.filas(_suplencias, "3", timezone.localdate())
    with pytest.raises(TypeError):
        consultas.filas(_suplencias, 3, timezone.now())
    with pytest.raises(ValueError, match="no llegó"):
        consultas.filas(
            lambda suplente, hoy: _suplencias(suplente, timezone.localdate()),
            3,
            timezone.localdate(),
        )
