"""Queries compiled once (comun.consultas): each call answers with its own values, on SQLite
and PostgreSQL alike; the ORM builds the query once."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from dictamenes.comun import consultas
from dictamenes.models import Sustitucion
from dictamenes.suplencias.selectors import titulares_suplidos

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

    assert sorted(titulares_suplidos(usuario=suplente)) == sorted(
        [titulares[0].pk, titulares[1].pk]
    )
    assert titulares_suplidos(usuario=otro) == [titulares[3].pk]
    assert titulares_suplidos(usuario=titulares[0]) == []


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


def test_las_instancias_son_las_que_da_el_orm_con_sus_relaciones_y_anotaciones(demo):
    """instancias() builds what Django builds: each model's fields (converted: dates, JSON,
    decimals), the select_related ones already there (no query to read them), the
    annotations, and prefetch_related."""
    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext

    from dictamenes.models import Partida
    from tests.dictamenes.flujo_utils import presentada

    solicitud = presentada(areas=("computo", "redes"))

    def partidas_de(pk: int):
        return (
            Partida.objects.filter(solicitud_id=pk)
            .select_related("perfil__categoria__area", "solicitud__ente")
            .annotate(cotizadas=Count("cotizaciones"))
            .prefetch_related("perfil__requisitos")
            .order_by("pk")
        )

    def vistas(partidas):
        return [
            (
                p.pk,
                p.descripcion,
                p.cantidad,
                p.precio_unitario,
                p.perfil.categoria.area.clave,
                p.solicitud.ente.siglas,
                p.solicitud.presentada_en,
                p.cotizadas,
                sorted(r.pk for r in p.perfil.requisitos.all()),
            )
            for p in partidas
        ]

    esperadas = vistas(partidas_de(solicitud.pk))
    leidas = consultas.instancias(partidas_de, solicitud.pk)
    with CaptureQueriesContext(connection) as capturadas:
        assert vistas(leidas) == esperadas
    assert len(capturadas) == 0
    assert len(esperadas) == 2 and isinstance(esperadas[0][6], datetime.datetime)
    assert consultas.instancias(partidas_de, solicitud.pk + 1000) == []


def test_un_prefetch_con_su_propia_consulta_no_se_fija(demo):
    from django.db.models import Prefetch

    from dictamenes.models import Partida

    def con_prefetch(pk: int):
        return Partida.objects.filter(solicitud_id=pk).prefetch_related(
            Prefetch("cotizaciones", queryset=Partida.cotizaciones.rel.related_model.objects.all())
        )

    with pytest.raises(TypeError, match="Prefetch"):
        consultas.instancias(con_prefetch, 1)
