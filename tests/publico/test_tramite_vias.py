"""/tramite/ (issue 36, items 1, 2, 3 and 5): the review tracks and the service standard as the
administrator keeps them, how each item is decided, and the published catalogue of reasons
with its yearly counts."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone

from dictamenes.consola.forms.todos_los_campos import CAMPO_CASILLAS
from dictamenes.consola.forms.vias import ViasForm
from dictamenes.models import DecisionPartida, MotivoRechazo
from dictamenes.models.vias import LEY_ARTICULO_INICIAL
from dictamenes.tramite.selectors.vias import categorias_vigentes
from tests.conocidos import dictamen_registrado
from tests.dictamenes.dual_utils import aprobar_pendientes
from tests.dictamenes.flujo_utils import borrador, usuario

pytestmark = pytest.mark.django_db

URL = "/tramite/"
# The page's checkboxes, as its hidden input lists them: a POST without them is refused
# (issue 48, consola.forms.todos_los_campos.TodosLosCampos).
CASILLAS = ViasForm(categorias=[]).casillas
MOTIVOS = [
    "No se alinea con el Programa de Gobierno Digital",
    "Justificación insuficiente",
    "Cantidad o especificaciones mayores a la necesidad",
    "No cumple los estándares técnicos vigentes",
    "Precio por encima de la referencia",  # issue 76: «Reducir a la referencia» cites it
    "Precio por encima del de mercado",
    "Duplica bienes o servicios existentes",
    "Tecnología obsoleta o sin soporte",
    "Riesgo de seguridad de la información no mitigado",
    "Otro motivo",
]


def pagina(client) -> str:
    respuesta = client.get(URL)
    assert respuesta.status_code == 200
    return respuesta.content.decode()


def seccion(html: str, id_: str) -> str:
    return re.search(rf'<section aria-labelledby="{id_}">.*?</section>', html, re.S).group(0)


def texto(fragmento: str) -> str:
    """The words a person reads: tags out, blanks as single spaces."""
    return re.sub(r" ([,.;:])", r"\1", " ".join(re.sub(r"<[^>]+>", " ", fragmento).split()))


def tabla_de_motivos(html: str) -> tuple[list[str], dict[str, list[str]]]:
    """(the year columns, {reason: its counts}) as the table shows them."""
    tabla = re.search(r'<table class="tabla" id="motivos-no-aprobacion">.*?</table>', html, re.S)
    tabla = tabla.group(0)
    anios = re.findall(r'<th scope="col" class="num">(\d+)</th>', tabla)
    filas = {
        nombre: re.findall(r'<td class="num">(\d+)</td>', celdas)
        for nombre, celdas in re.findall(
            r'<tr><th scope="row">([^<]+)(?:<br><span class="ayuda">[^<]*</span>)?</th>(.*?)</tr>',
            tabla,
            re.S,
        )
    }
    return anios, filas


# The price settings, fields of the same page since issue 62, as they are.
PRECIOS = {
    "cotizaciones_umbral": "500,000.00",
    "precio_metodo": "mediana",
    "precio_atipico_pct": "50",
    "precio_senal_pct": "25",
}
# Issue 76's fields, as version 1 has them: the page sends every one.
LEY_Y_CONTRATOS = {
    "cotizacion_antiguedad_dias": "90",
    "precio_cv_pct": "25",
    "ley_centro": "mediana",
    "ley_no_aceptable_pct": "10",
    "ley_no_conveniente_pct": "40",
    "ley_articulo": LEY_ARTICULO_INICIAL,
    "contrato_tolerancia_pct": "10",
    "contrato_absurdo_veces": "10",
    # Issue 80: the signs' thresholds, fields of the same page.
    "senal_cobertura_pct": "0.50",
    "senal_cierre_dias": "5",
    "senal_dominante_pct": "60",
    "senal_dominante_contratos": "4",
    "senal_entrega_dias": "20",
}


def metodos_generales() -> dict:
    """Every category of the edition in force on the general method, as the page sends it."""
    return ViasForm.metodos_enviados({}, categorias_vigentes())


def test_lo_guardado_en_la_pagina_de_vias_se_ve_en_tramite_enseguida(client):
    vias = texto(seccion(pagina(client), "t-vias"))
    assert "la suma de sus partidas es menor al umbral de $500,000.00;" in vias
    assert (
        "ninguna partida es de una categoría que siempre va a revisión completa: Firewall de "
        "nueva generación, Servicio de centro de datos, Desarrollo de software."
    ) in vias

    client.force_login(usuario("admin"))
    respuesta = client.post(
        "/cuentas/vias/",
        {
            "rapida_activa": "on",
            "umbral_monto": "300,000",
            "categorias_completas": ["servicio-centro-datos"],
            "dias_revision_rapida": "3",
            "dias_estrategica_rapida": "2",
            "meta_dias_rapida": "8",
            "meta_dias_completa": "15",
            "fraccion_activa": "on",
            "fraccion_criterio": "categoria",
            "fraccion_ventana_dias": "0",
            # Every field of the page is sent (issue 48); the families since issue 59.
            "fraccion_familias": "Red de área local: switch, punto-acceso",
            **PRECIOS,
            **LEY_Y_CONTRATOS,
            **metodos_generales(),
            "motivo": "Acuerdo 12/2026",
            CAMPO_CASILLAS: CASILLAS,
        },
    )
    assert respuesta.status_code == 302
    # Asked, not yet in force (issue 48): /tramite/ still says the old threshold until a
    # second administrator approves; then it says the new one at once.
    client.logout()
    assert "menor al umbral de $500,000.00;" in texto(seccion(pagina(client), "t-vias"))
    aprobar_pendientes(client=client)
    client.logout()

    html = pagina(client)
    vias = texto(seccion(html, "t-vias"))
    assert "Una solicitud sigue la vía rápida cuando cumple las tres condiciones:" in vias
    assert "la suma de sus partidas es menor al umbral de $300,000.00;" in vias
    assert (
        "todas sus partidas usan un perfil de la edición vigente de los estándares técnicos y "
        "su autoevaluación da «Cumple» («Cumple con observaciones» no basta);"
    ) in vias
    assert (
        "ninguna partida es de una categoría que siempre va a revisión completa: Servicio de "
        "centro de datos."
    ) in vias
    assert (
        "la toma cualquier persona revisora de las áreas involucradas y tiene 3 días hábiles. "
        "La revisión estratégica tiene 2 días hábiles. La revisión estratégica y la firma con "
        "e.firma se mantienen, como en la vía completa."
    ) in vias
    assert (
        "La mesa de control puede pasar una solicitud a la vía completa, con un motivo que "
        "queda registrado; nadie puede pasar a la vía rápida una solicitud que no cumple las "
        "condiciones."
    ) in vias
    estandar = texto(seccion(html, "t-estandar"))
    assert "Vía rápida 8 días hábiles Vía completa 15 días hábiles" in estandar
    assert 'En la <a href="#t-vias">vía rápida</a> hay una sola revisión técnica' in html

    # The fast track switched off: the page says every request follows the full track.
    client.force_login(usuario("admin"))
    inactiva = client.post(
        "/cuentas/vias/",
        {
            "umbral_monto": "300000",
            "categorias_completas": ["servicio-centro-datos"],
            "dias_revision_rapida": "3",
            "dias_estrategica_rapida": "2",
            "meta_dias_rapida": "8",
            "meta_dias_completa": "15",
            "fraccion_activa": "on",
            "fraccion_criterio": "categoria",
            "fraccion_ventana_dias": "0",
            "fraccion_familias": "Red de área local: switch, punto-acceso",
            **PRECIOS,
            **LEY_Y_CONTRATOS,
            **metodos_generales(),
            "motivo": "Se suspende la vía rápida",
            CAMPO_CASILLAS: CASILLAS,
        },
    )
    assert inactiva.status_code == 302
    aprobar_pendientes(client=client)
    client.logout()
    html = pagina(client)
    assert texto(seccion(html, "t-vias")) == (
        "Vías de revisión Hoy la vía rápida no está activa: toda solicitud sigue la vía "
        "completa, con una revisión técnica por cada área."
    )
    assert 'href="#t-vias"' not in html


def test_cada_partida_se_decide_y_el_resultado_se_sigue_de_ellas(client):
    decision = texto(seccion(pagina(client), "t-decision"))
    assert (
        "Aprobada: por la cantidad y el monto solicitados. "
        "Aprobada por menor monto o cantidad: por menos de lo solicitado, con uno de los motivos "
        "del catálogo publicado abajo; el dictamen dice la cantidad y el monto que se aprueban. "
        "No aprobada: con uno de los motivos del catálogo publicado abajo y, cuando hace falta, "
        "una explicación."
    ) in decision
    assert (
        "El resultado del dictamen se sigue de sus partidas: si no se aprueba ninguna, es no "
        "favorable; si se aprueba al menos una, es favorable condicionado cuando la Dirección "
        "General fija condiciones y favorable cuando no."
    ) in decision


def _con_dictamen(solicitud, *, ejercicio: int, cancelado: bool = False) -> None:
    """A dictamen on record for the request, as the counts read it (issued; cancelled or not)."""
    type(solicitud).objects.filter(pk=solicitud.pk).update(ejercicio=ejercicio)
    dictamen_registrado(solicitud, cancelado=cancelado)


def _decidir(partida, resultado: str, motivo: str | None = None) -> None:
    DecisionPartida.objects.update_or_create(
        partida=partida,
        defaults={
            "resultado": resultado,
            "cantidad_aprobada": 0 if motivo else partida.cantidad,
            "monto_aprobado": Decimal(0) if motivo else partida.importe,
            "motivo": MotivoRechazo.objects.get(clave=motivo) if motivo else None,
            "decidida_por": usuario("estrategico"),
            "decidida_en": timezone.now(),
        },
    )


def test_la_tabla_de_motivos_cuenta_exacto_por_ejercicio(client, django_assert_max_num_queries):
    hoy = timezone.localdate().year
    a = borrador(areas=("computo", "redes", "seguridad"), titulo="Equipo y red")
    p1, p2, p3 = a.partidas.order_by("id")
    _con_dictamen(a, ejercicio=hoy - 1)
    _decidir(p1, "no_aprobada", "duplicidad")
    _decidir(p2, "no_aprobada", "duplicidad")
    _decidir(p3, "aprobada")
    b = borrador(areas=("computo", "redes"), titulo="Red")
    q1, q2 = b.partidas.order_by("id")
    _con_dictamen(b, ejercicio=hoy)
    _decidir(q1, "no_aprobada", "precio-fuera-de-mercado")
    _decidir(q2, "aprobada")
    # Not counted: a cancelled dictamen, and a decision whose dictamen is not issued yet.
    c = borrador(areas=("computo",), titulo="Cancelado")
    _con_dictamen(c, ejercicio=hoy, cancelado=True)
    _decidir(c.partidas.get(), "no_aprobada", "duplicidad")
    d = borrador(areas=("computo",), titulo="Sin dictamen")
    _decidir(d.partidas.get(), "no_aprobada", "duplicidad")

    # The tracks' version 1 exists, as on a site in use. The page's reads, whatever the number
    # of reasons, years or decisions: the deadlines of the five steps (one each), the areas,
    # the tracks, their categories' names, the counts and the catalogue.
    pagina(client)
    with django_assert_max_num_queries(10):
        html = pagina(client)
    anios, filas = tabla_de_motivos(html)
    assert anios == [str(hoy - 1), str(hoy)]
    assert list(filas) == MOTIVOS
    assert filas["Duplica bienes o servicios existentes"] == ["2", "0"]
    assert filas["Precio por encima del de mercado"] == ["0", "1"]
    for nombre in set(MOTIVOS) - {
        "Duplica bienes o servicios existentes",
        "Precio por encima del de mercado",
    }:
        assert filas[nombre] == ["0", "0"], nombre
    motivos = seccion(html, "t-motivos")
    assert (
        '<th scope="row">Duplica bienes o servicios existentes<br><span class="ayuda">El ente '
        "ya cuenta con ellos, o el Estado los contrata de forma consolidada.</span></th>"
    ) in motivos
    assert '<a href="/datos-abiertos/motivos-no-aprobacion.csv">' in motivos


def test_sin_partidas_no_aprobadas_cada_motivo_dice_cero_este_ejercicio(client):
    anios, filas = tabla_de_motivos(pagina(client))
    assert anios == [str(timezone.localdate().year)]
    assert filas == {nombre: ["0"] for nombre in MOTIVOS}
    # A reason taken out of the catalogue is no longer published.
    MotivoRechazo.objects.filter(clave="obsolescencia").update(activo=False)
    _anios, filas = tabla_de_motivos(pagina(client))
    assert "Tecnología obsoleta o sin soporte" not in filas
    assert len(filas) == len(MOTIVOS) - 1
