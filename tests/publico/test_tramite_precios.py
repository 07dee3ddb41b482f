"""/tramite/ states the price rules (issue 62) from the version in force of the office's
configuration: the amount from which each item needs three quotes, how the market price is
worked out and which quotes are left out, when an item is flagged, and what a reference price
is, with a link to the «Precios de referencia TIC» dataset."""

import pytest

from dictamenes.consola.forms.todos_los_campos import CAMPO_CASILLAS
from tests.dictamenes.dual_utils import aprobar_pendientes
from tests.dictamenes.flujo_utils import usuario
from tests.publico.test_tramite_vias import (
    CASILLAS,
    LEY_Y_CONTRATOS,
    metodos_generales,
    pagina,
    seccion,
    texto,
)

pytestmark = pytest.mark.django_db


def _precios(client) -> str:
    return texto(seccion(pagina(client), "t-precios"))


def test_la_pagina_dice_las_reglas_del_precio_y_enlaza_los_precios_de_referencia(client):
    html = seccion(pagina(client), "t-precios")
    precios = texto(html)
    # The defaults of the configuration (models.vias.VIAS_INICIALES).
    assert (
        "Cotizaciones. Cuando la suma de las partidas de una solicitud (cantidad por precio "
        "unitario) pasa de $500,000.00, cada partida lleva al menos tres cotizaciones que "
        "cuenten el día en que se presenta, o una justificación de por qué lleva menos;"
    ) in precios
    assert (
        "Precio de mercado. Cada cotización cuenta una vez: no cuentan la de un ente público, "
        "la fechada después del día o con más de 90 días, la vencida, la que repite el "
        "proveedor (por su RFC o su nombre), el archivo o el precio y la fecha de otra, ni las "
        "que se alejan más de 50 % de la mediana de las que quedan (fuera de línea); el precio "
        "de mercado es la mediana de las cotizaciones que quedan."
    ) in precios
    assert (
        "Precio de referencia. Es lo que el Estado mismo aprobó y pagó por el mismo perfil "
        "técnico de los estándares en los últimos 24 meses: los precios unitarios "
        "de las partidas aprobadas por dictámenes vigentes, al precio pagado cuando todos sus "
        "contratos fueron verificados contra su documento por la mesa de control o la revisión "
        "estratégica, y nunca por encima del aprobado más la tolerancia. Antes se dejan fuera, "
        "de cada lado, las compras a más de 1.5 veces el rango intercuartílico de los cuartiles. "
        "Solo hay precio de referencia con al menos 3 compras de 2 entes distintos. "
        "Los precios se comparan en la unidad de cada tipo: por pieza, por mes "
        "de servicio, por licencia al año. Cada ente cuenta una vez: de lo que queda se toma "
        "la mediana de lo que pagó cada ente, y la referencia es la mediana de esas medianas"
    ) in precios
    # Issue 93, item 5: the rule with the figures of its replay (bench/results/trinquete-*).
    assert (
        "80 partidas de un ente aprobadas a 1.25 veces la referencia y contratadas a 1.1 veces "
        "lo aprobado la subían 26.1 % cuando contaba cada compra, y la suben 0.4 % con esta regla"
    ) in precios
    assert (
        "Señal. Una partida cuyo precio unitario pasa en más de 25 % la mediana de su precio "
        "de referencia se señala a quien revisa."
    ) in precios
    # Issue 76: the law's tests and the contracts over what was approved.
    assert (
        "Pruebas de precio de la ley. Frente al valor central de la investigación de mercado "
        "(mediana de las cotizaciones válidas), un precio es no aceptable cuando lo pasa en más "
        "de 10 % y no conveniente cuando queda más de 40 % por debajo (Ley de Adquisiciones, "
        "Arrendamientos y Servicios del Sector Público (DOF 16/04/2025): precio no aceptable y "
        "precio no conveniente)."
    ) in precios
    assert (
        "Contratos. Un contrato cuyo total pasa lo que aprobó el dictamen en más de 10 % espera "
        "a la revisión estratégica y no cuenta, ni en las cifras ni en los datos abiertos, "
        "hasta que ella lo autoriza; uno de más de 10 veces lo aprobado no se registra."
    ) in precios
    assert (
        '<a href="/datos-abiertos/precios-referencia.csv">Precios de referencia TIC (CSV)</a>'
    ) in html


def test_un_cambio_de_la_configuracion_cambia_la_pagina(client):
    client.force_login(usuario("admin"))
    respuesta = client.post(
        "/cuentas/vias/",
        {
            "rapida_activa": "on",
            "umbral_monto": "500,000",
            "categorias_completas": ["servicio-centro-datos"],
            "dias_revision_rapida": "3",
            "dias_estrategica_rapida": "2",
            "meta_dias_rapida": "8",
            "meta_dias_completa": "15",
            "fraccion_ventana_dias": "0",
            "fraccion_criterio": "categoria",
            "fraccion_familias": "",
            "cotizaciones_umbral": "250,000.50",
            "precio_metodo": "menor",
            "precio_atipico_pct": "30",
            "precio_senal_pct": "10",
            **LEY_Y_CONTRATOS,
            **metodos_generales(),
            "motivo": "Acuerdo 13/2026",
            CAMPO_CASILLAS: CASILLAS,
        },
    )
    assert respuesta.status_code == 302
    client.logout()
    # Asked, not in force until a second administrator approves it (issue 48).
    assert "pasa de $500,000.00," in _precios(client)
    aprobar_pendientes(client=client)
    client.logout()

    precios = _precios(client)
    assert "pasa de $250,000.50, cada partida lleva al menos tres cotizaciones" in precios
    assert (
        "se alejan más de 30 % de la mediana de las que quedan (fuera de línea); el precio de "
        "mercado es la más baja de las cotizaciones que quedan."
    ) in precios
    assert "pasa en más de 10 % la mediana de su precio de referencia" in precios
    assert "$500,000.00" not in precios and "25 %" not in precios


def test_el_metodo_segun_la_dispersion_y_el_de_cada_categoria_se_dicen(client):
    """Issue 76, item 4: the page names the rule «según la dispersión» and each category with a
    method of its own (the first version of the page had no words for the former: a 500)."""
    from dictamenes.models import ConfiguracionVias

    vigente = ConfiguracionVias.objects.vigentes()
    ConfiguracionVias.objects.filter(pk=vigente.pk).update(
        precio_metodo="dispersion", precio_cv_pct=20, precio_metodos_categoria={"switch": "menor"}
    )
    precios = _precios(client)
    assert (
        "el precio de mercado es el promedio de las que quedan si su coeficiente de variación "
        "no pasa de 20 %, y si no su mediana. En Switch, la más baja de las cotizaciones que "
        "quedan."
    ) in precios
