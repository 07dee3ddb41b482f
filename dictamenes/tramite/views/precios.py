"""The price of one item of a request (issue 62): typed, market (its quotes, each counted or
why it was left out) and reference (median, quartiles, lowest, purchases and agencies), where
the typed price stands, and a chart of the profile's last 24 months with this item on it.
Whoever can see the request sees it; anyone else, and an item of another request, gets 404.
Constant queries whatever the history: the reference's chart is its own `serie`."""

import hashlib
import json

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from dictamenes.precios import cercas
from dictamenes.precios import selectors as precios
from dictamenes.precios.selectors import partidas as precios_tramite
from dictamenes.tramite.selectors import access

REGLAS_COTIZACIONES = _(
    "Cada cotización cuenta una vez: no cuentan la de un ente público, la fechada después del "
    "día en que se revisa o más de %(dias)s días antes, la vencida, la que repite el proveedor "
    "(por su RFC o su nombre), el archivo o el precio y la fecha de otra, ni la que se aleja "
    "más de %(pct)s %% de la mediana de las que quedan. Las que se alejan más de %(pct)s %% "
    "de la mediana de referencia se señalan para revisarlas."
)


@login_required
@require_GET
def partida_precio(request, pk, partida_pk):
    solicitud = access.solicitud_para(usuario=request.user, pk=pk)
    partida = get_object_or_404(
        solicitud.partidas.select_related("perfil__categoria"), pk=partida_pk
    )
    precio = precios_tramite.precios_de_partidas(solicitud=solicitud, partidas=[partida])[
        partida.pk
    ]
    normal = precios_tramite.precio_normal_de(partida)
    # Each quote as filed (its dates and file) beside what the market price made of it: why
    # it does not count, and whether it is far from the reference (issue 76, item 3).
    filas = {c.pk: c for c in partida.cotizaciones.all()}
    cotizaciones = [(filas[c.pk], motivo, nota) for c, motivo, nota in precio.mercado.filas]
    grafica = precios_tramite.grafica_de(referencia=precio.referencia, precio_normal=normal)
    return render(
        request,
        "solicitudes/precio_partida.html",
        {
            "solicitud": solicitud,
            "p": partida,
            "precio": precio,
            "normal": normal,
            "cotizaciones": cotizaciones,
            "reglas_cotizaciones": reglas_cotizaciones(precio.partida.precio_config),
            "regla_cercas": cercas.REGLA,
            "grafica": grafica,
            "grafica_clave": grafica and _clave_grafica(partida, precio, normal),
            "otros": precios.compras_de_otros(
                categoria_clave=partida.perfil.categoria.clave,
                perfil_clave=partida.perfil.clave,
                unidad=partida.unidad,
                ente_id=solicitud.ente_id,
            ),
        },
    )


def reglas_cotizaciones(config) -> str:
    """What the market research leaves out and why, with the office's figures (issue 76)."""
    return str(
        REGLAS_COTIZACIONES
        % {
            "dias": config.cotizacion_antiguedad_dias,
            "pct": config.precio_atipico_pct,
        }
    )


def _clave_grafica(partida, precio, normal) -> str:
    """The chart and its table, rendered once for what they show (the template's {% cache %}):
    the item's description and normalised price, its unit and everything of the reference
    they draw. A key made of the content itself cannot go stale."""
    referencia = precio.referencia
    contenido = [
        partida.descripcion,
        str(precio.unidad_normal),
        str(normal),
        referencia.pk,
        str(referencia.desde),
        str(referencia.calculada_el),
        str(referencia.mediana),
        referencia.serie,
    ]
    return hashlib.sha256(json.dumps(contenido, default=str).encode()).hexdigest()
