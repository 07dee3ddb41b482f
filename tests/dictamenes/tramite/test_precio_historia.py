"""The price history as the reviewer reads it (issue 76, item 1): on an item's price page, the
purchases the reference leaves out by its fences, each with its reason, and, among the other
agencies' purchases, which are contracts and who checked them against their documents."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dictamenes.models import PrecioObservado
from dictamenes.precios import services
from tests.dictamenes.flujo_utils import borrador, usuario
from tests.dictamenes.tramite.test_precio_partida import texto
from tests.publico.precios_utils import observacion

pytestmark = pytest.mark.django_db


def test_la_pagina_del_precio_lista_las_excluidas_y_quien_verifico_los_contratos(como):
    solicitud = borrador()  # SH's draft: one item of the cómputo area's profile
    partida = solicitud.partidas.select_related("perfil__categoria").get()
    perfil = partida.perfil
    hoy = timezone.localdate()
    # RC's purchases (SH's own are not «other agencies'»): 10 and 400 outside the fences of
    # 10…400: Q1 at 1.5 → 105, Q3 at 4.5 → 135, IQR 30: fences 60 and 180.
    for i, precio in enumerate([10, 100, 110, 120, 130, 140, 400]):
        observacion("RC" if i % 2 else "SH", perfil, str(precio), hoy - datetime.timedelta(days=i))
    contratado = PrecioObservado.objects.get(precio=120)
    contratado.ente = contratado.ente.__class__.objects.get(siglas="RC")
    contratado.fuente = PrecioObservado.Fuente.CONTRATADO
    contratado.verificado_por = usuario("mesa")
    contratado.save()
    services.referencia_recalcular(clave=(perfil.categoria.clave, perfil.clave, "pieza"), hoy=hoy)
    pagina = texto(
        como("requirente.sh").get(
            reverse("solicitudes:partida_precio", args=[solicitud.pk, partida.pk])
        )
    )
    assert "Compras que la referencia deja fuera" in pagina
    assert "De 7 compras en la ventana, con cercas de $60.00 a $180.00 por pieza: 2 excluidas." in (
        pagina
    )
    assert (
        "$10.00 (aprobado): muy por debajo del resto: menor que la cerca inferior 60.00" in pagina
    )
    assert "$400.00 (aprobado): muy por encima del resto: mayor que la cerca superior 180.00" in (
        pagina
    )
    nombre = usuario("mesa").get_full_name()
    assert f"(precio pagado según los contratos), verificado contra el contrato por {nombre}" in (
        pagina
    )
