"""Split purchases caught (issue 48, item 2): a request that, with the agency's other requests
of the same fiscal year asking for the same category (or profile), reaches the fast track's
threshold goes by the full track, with a reason that names the others and the sum; the mesa
and the strategic reviewer see it on the request's page, and /tramite/ counts the groups."""

from decimal import Decimal

import pytest
from django.utils import timezone

from dictamenes.cifras.selectors.indicadores import fraccionamientos_por_ejercicio
from dictamenes.consola.forms.vias import ViasForm
from dictamenes.models import ConfiguracionVias, Solicitud
from dictamenes.operacion.services import vias as servicio
from dictamenes.tramite.selectors.vias import categorias_vigentes, hermanas_de, partidas_para_via
from dictamenes.tramite.services import cierre, etapas, solicitudes
from estandares import selectors as estandares_selectors
from tests.dictamenes.dual_utils import aprobar_pendientes
from tests.dictamenes.flujo_utils import (
    JUSTIFICACION_COTIZACIONES,
    detalle,
    oficio,
    perfil_de_area,
    usuario,
)
from tests.dictamenes.tramite.test_vias import nueva_version

pytestmark = pytest.mark.django_db

LAPTOP = {
    "nucleos_cpu": 8,
    "ram": 16,
    "almacenamiento": 512,
    "tamano_pantalla": 14,
    "autonomia_bateria": 10,
    "garantia": 3,
    "cifrado_disco": True,
}
SWITCH = {
    "puertos_acceso": 48,
    "velocidad_uplink": 10,
    "vlan_8021q": True,
    "soporte_ipv6": True,
    "garantia": 3,
}
RAPIDA_CUMPLIDAS = [
    "Condición cumplida: la suma de sus partidas, $480,000.00, es menor al umbral de $500,000.00.",
    "Condición cumplida: todas sus partidas usan un perfil de la edición vigente de los "
    "estándares técnicos y su autoevaluación da «Cumple».",
    "Condición cumplida: ninguna partida es de una categoría que siempre va a revisión completa.",
]


def perfil(categoria: str, orden: int = 0):
    vigente = estandares_selectors.publicacion_vigente(fecha=timezone.localdate())
    return vigente.categorias.get(clave=categoria).perfiles.order_by("orden")[orden]


def pedida(*, titulo, de, descripcion, cantidad, precio, specs):
    """A draft of requirente.sh with one item, its declared amount that item's."""
    autor = usuario("requirente.sh")
    solicitud = solicitudes.solicitud_crear(
        usuario=autor,
        ente=autor.perfil.ente,
        datos={
            "tipo_operacion": "adquisicion",
            "titulo": titulo,
            "justificacion": "El equipo de hoy no alcanza para el trabajo de campo.",
            "alineacion": "Eje 3: gobierno digital eficiente.",
            "monto_estimado": cantidad * Decimal(precio),
            "ejercicio": timezone.localdate().year,
        },
    )
    solicitudes.partida_guardar(
        solicitud=solicitud,
        usuario=autor,
        datos={
            "perfil": de,
            "descripcion": descripcion,
            "cantidad": cantidad,
            "precio_unitario": Decimal(precio),
            "capitulo": "5000",
            "partida_especifica": "51501",
            "especificaciones": specs,
            "justificacion_cotizaciones": JUSTIFICACION_COTIZACIONES,
        },
    )
    solicitudes.anexo_agregar(solicitud=solicitud, usuario=autor, tipo="oficio", archivo=oficio())
    return solicitud


def laptops(*, de=None, specs=LAPTOP):
    """The issue's request: 20 laptops × $24,000 = $480,000, under the $500,000 threshold."""
    return pedida(
        titulo="Adquisición de laptops para supervisores",
        de=de or perfil("computadora-portatil"),
        descripcion="Laptop para supervisor",
        cantidad=20,
        precio="24000.00",
        specs=specs,
    )


def presentar(solicitud):
    return solicitudes.solicitud_presentar(solicitud=solicitud, usuario=usuario("requirente.sh"))


def admitir(solicitud):
    etapas.admision_resolver(solicitud=solicitud, usuario=usuario("mesa"), admitir=True)
    solicitud.refresh_from_db()
    return solicitud


def aviso(folios: str, suma: str, de="de la misma categoría «Computadora portátil»") -> str:
    return (
        f"Posible fraccionamiento: con {folios}, {de}, suman {suma}, que no es menor al umbral "
        "de $500,000.00 de la vía rápida."
    )


def test_tres_laptops_iguales_la_segunda_y_la_tercera_van_a_la_via_completa(demo, como):
    primera = presentar(laptops())
    assert primera.via == "rapida"
    assert primera.via_razones == RAPIDA_CUMPLIDAS
    assert primera.via_fraccion == []

    segunda = presentar(laptops())
    assert segunda.via == "completa"
    assert segunda.via_razones == [
        *RAPIDA_CUMPLIDAS,
        aviso(primera.folio, "$960,000.00"),
    ]
    tercera = presentar(laptops())
    assert tercera.via == "completa"
    assert tercera.via_razones[-1] == aviso(f"{primera.folio} y {segunda.folio}", "$1,440,000.00")
    # The history says it, with what tied them.
    evento = tercera.eventos.get(tipo="via")
    assert evento.descripcion == "Sigue la vía completa"
    assert evento.datos["via_fraccion"] == [
        {
            "criterio": "categoria",
            "nombre": "Computadora portátil",
            "folios": [primera.folio, segunda.folio],
            "suma": "1440000.00",
        }
    ]

    # At admission the first one sees the two that came after it: all three go full.
    primera = admitir(primera)
    assert primera.via == "completa"
    assert primera.via_razones[-1] == aviso(f"{segunda.folio} y {tercera.folio}", "$1,440,000.00")
    assert primera.eventos.filter(tipo="via").last().descripcion == (
        "Al admitirla, sigue la vía completa"
    )

    # The mesa sees the warning on the page, with a link to each of the others.
    pagina = como("mesa").get(detalle(tercera)).content.decode()
    assert 'id="aviso-fraccionamiento"' in pagina
    for otra in (primera, segunda):
        assert f'<a href="{detalle(otra)}">{otra.folio}</a>' in pagina
    assert "suman $1,440,000.00 con esta" in pagina
    assert aviso(f"{primera.folio} y {segunda.folio}", "$1,440,000.00") in pagina
    # And so does the strategic reviewer, once it is under review.
    pagina = como("estrategico").get(detalle(primera)).content.decode()
    assert 'id="aviso-fraccionamiento"' in pagina
    assert f'<a href="{detalle(tercera)}">{tercera.folio}</a>' in pagina

    # The indicators: one group this year (three requests, counted once).
    assert fraccionamientos_por_ejercicio() == [
        {"ejercicio": timezone.localdate().year, "grupos": 1}
    ]
    publica = como("requirente.sh").get("/tramite/").content.decode()
    assert "Posibles fraccionamientos detectados" in publica
    assert f"<dt>{timezone.localdate().year}</dt><dd>1 grupo</dd>" in publica


def test_dos_solicitudes_de_cosas_distintas_siguen_la_via_rapida(demo, como):
    laptop = presentar(laptops())
    switches = pedida(
        titulo="Switches para oficinas regionales",
        de=perfil_de_area("redes"),
        descripcion="Switch de acceso",
        cantidad=12,
        precio="40000.00",
        specs=SWITCH,
    )
    switches = presentar(switches)
    assert (switches.via, switches.via_fraccion) == ("rapida", [])
    assert (admitir(laptop).via, admitir(switches).via) == ("rapida", "rapida")
    assert 'id="aviso-fraccionamiento"' not in como("mesa").get(detalle(switches)).content.decode()
    assert fraccionamientos_por_ejercicio() == []


def test_las_cerradas_sin_compra_y_los_borradores_no_cuentan(demo):
    desistida = presentar(laptops())
    cierre.solicitud_desistir(
        solicitud=desistida, usuario=usuario("requirente.sh"), motivo="Se compró por otra vía."
    )
    laptops()  # a draft: not a request yet
    otra = presentar(laptops())
    assert (otra.via, otra.via_fraccion) == ("rapida", [])


def test_otro_ente_no_cuenta_y_otro_ejercicio_el_mismo_anio_si(demo):
    """Issue 59, item 5: the same purchase presented the same day under the next fiscal year
    is a possible split purchase too (it escaped before: this test said «rapida»)."""
    primera = presentar(laptops())
    del_otro_anio = laptops()
    Solicitud.objects.filter(pk=del_otro_anio.pk).update(ejercicio=timezone.localdate().year + 1)
    del_otro_anio = presentar(del_otro_anio)
    assert del_otro_anio.via == "completa"
    assert del_otro_anio.via_razones[-1] == aviso(primera.folio, "$960,000.00")
    Solicitud.objects.filter(pk__in=[primera.pk, del_otro_anio.pk]).update(
        estado=Solicitud.Estado.DESISTIDA
    )
    # Another agency's requirente asks for the same.
    autor = usuario("requirente.rc")
    ajena = laptops()
    Solicitud.objects.filter(pk=ajena.pk).update(ente=autor.perfil.ente, creada_por=autor)
    ajena.refresh_from_db()
    ajena = solicitudes.solicitud_presentar(solicitud=ajena, usuario=autor)
    assert ajena.via == "rapida"


def test_la_regla_se_configura_activa_criterio_y_ventana(demo):
    primera = presentar(laptops())
    # Off: nothing is looked for.
    nueva_version(fraccion_activa=False)
    assert presentar(laptops()).via == "rapida"
    # By profile: the same category with another profile is something else.
    nueva_version(fraccion_activa=True, fraccion_criterio="perfil")
    avanzada = presentar(laptops(de=perfil("computadora-portatil", 1), specs={}))
    assert avanzada.via_fraccion == []
    mismo_perfil = presentar(laptops())
    assert mismo_perfil.via_razones[-1].startswith(
        "Posible fraccionamiento: con "
    ) and mismo_perfil.via_razones[-1].endswith(
        ", del mismo perfil técnico «Computadora portátil · Básico», suman $1,440,000.00, que "
        "no es menor al umbral de $500,000.00 de la vía rápida."
    )
    # A window of 30 days: a request presented 40 days before is out of it.
    nueva_version(fraccion_criterio="categoria", fraccion_ventana_dias=30)
    Solicitud.objects.exclude(pk=primera.pk).update(estado=Solicitud.Estado.DESISTIDA)
    Solicitud.objects.filter(pk=primera.pk).update(
        presentada_en=timezone.now() - timezone.timedelta(days=40)
    )
    assert presentar(laptops()).via == "rapida"
    Solicitud.objects.filter(pk=primera.pk).update(
        presentada_en=timezone.now() - timezone.timedelta(days=20)
    )
    assert presentar(laptops()).via == "completa"


def test_la_ventana_cruza_el_cambio_de_anio(demo):
    """Issue 59, item 5: a window of 30 days around a January presentation reaches a request
    presented in December for the year before: the same purchase under two fiscal years."""
    nueva_version(fraccion_ventana_dias=30)
    diciembre = presentar(laptops())
    anio = timezone.localdate().year
    Solicitud.objects.filter(pk=diciembre.pk).update(
        ejercicio=anio - 1, presentada_en=timezone.now() - timezone.timedelta(days=20)
    )
    enero = presentar(laptops())
    assert enero.ejercicio == anio
    assert enero.via == "completa"
    assert enero.via_razones[-1] == aviso(diciembre.folio, "$960,000.00")
    # Out of the window, it does not count, whatever the year.
    Solicitud.objects.filter(pk=diciembre.pk).update(
        presentada_en=timezone.now() - timezone.timedelta(days=40)
    )
    Solicitud.objects.filter(pk=enero.pk).update(estado=Solicitud.Estado.DESISTIDA)
    assert presentar(laptops()).via == "rapida"


def test_sobre_el_umbral_no_se_nombran_hermanas(demo):
    """A request already over the threshold goes full by its own amount: no split warning."""
    presentar(laptops())
    # 25 laptops: its items add up to $600,000 (the declared total agrees, issue 59).
    grande = pedida(
        titulo="Adquisición de laptops para supervisores",
        de=perfil("computadora-portatil"),
        descripcion="Laptop para supervisor",
        cantidad=25,
        precio="24000.00",
        specs=LAPTOP,
    )
    grande = presentar(grande)
    assert (grande.via, grande.via_fraccion) == ("completa", [])


def test_las_hermanas_se_leen_en_una_consulta(demo, django_assert_num_queries):
    for _ in range(3):
        presentar(laptops())
    solicitud = laptops()
    propias = partidas_para_via(solicitud=solicitud)
    vigentes = ConfiguracionVias.objects.vigentes()
    with django_assert_num_queries(1):
        hermanas = hermanas_de(solicitud=solicitud, partidas=propias, config=vigentes)
    assert len(hermanas) == 3


def _formulario(**cambios) -> dict:
    """«Vías de revisión» as the version in force fills it, with `cambios` (as typed)."""
    vigentes = ConfiguracionVias.objects.vigentes()
    datos = {campo: getattr(vigentes, campo) for campo in servicio.CAMPOS}
    datos["umbral_monto"] = f"{vigentes.umbral_monto:,.2f}"
    datos["fraccion_familias"] = ViasForm.familias_texto(vigentes.fraccion_familias)
    # One select per category (issue 76).
    datos |= ViasForm.metodos_enviados(datos.pop("precio_metodos_categoria"), categorias_vigentes())
    datos = {k: v for k, v in datos.items() if v is not False}
    # The page lists its checkboxes and asks for a motivo (dual control, issue 48).
    casillas = "rapida_activa,categorias_completas,fraccion_activa"
    return {**datos, "motivo": "Acuerdo de prueba", "casillas_enviadas": casillas, **cambios}


def test_la_pagina_de_vias_guarda_la_regla_y_dice_lo_que_cambio(demo, como):
    admin = como("admin")
    html = admin.get("/cuentas/vias/").content.decode()
    assert (
        '<div id="vigente-fraccionamiento"><dt>Posibles fraccionamientos</dt><dd>Se buscan las '
        "solicitudes del mismo ente que piden la misma categoría (cualquiera de sus perfiles), "
        "en todo el ejercicio fiscal y las presentadas el mismo año con otro</dd></div>"
    ) in html
    assert (
        '<input type="checkbox" name="fraccion_activa" aria-describedby="id_fraccion_activa_'
        'helptext" id="id_fraccion_activa" checked>'
    ) in html
    assert 'name="fraccion_ventana_dias" value="0"' in html

    # A window the rule does not take, said in Spanish; nothing saved.
    malo = admin.post("/cuentas/vias/", _formulario(fraccion_ventana_dias="400"))
    assert malo.status_code == 400
    assert malo.context["form"].errors["fraccion_ventana_dias"] == [
        "Escriba un número entero de días naturales, de 0 (todo el ejercicio fiscal) a 366."
    ]
    assert ConfiguracionVias.objects.count() == 1

    datos = _formulario(fraccion_criterio="perfil", fraccion_ventana_dias="90")
    assert admin.post("/cuentas/vias/", datos).status_code == 302
    # It waits for a second administrator (issue 48, 1).
    assert ConfiguracionVias.objects.count() == 1
    aprobar_pendientes()
    nueva = ConfiguracionVias.objects.vigentes()
    assert (nueva.version, nueva.fraccion_criterio, nueva.fraccion_ventana_dias) == (
        2,
        "perfil",
        90,
    )
    assert nueva.fraccion_activa
    html = admin.get("/cuentas/vias/").content.decode()
    assert (
        "<li>Solicitudes relacionadas: las que piden: la misma categoría (cualquiera de sus "
        "perfiles) → el mismo perfil técnico</li>"
        "<li>Ventana de la búsqueda (días naturales): en todo el ejercicio fiscal y las "
        "presentadas el mismo año con otro → de cualquier ejercicio fiscal, presentadas hasta "
        "90 días antes o después</li>"
    ) in html

    # Unchecked, the search is off (and the public page no longer describes it).
    datos.pop("fraccion_activa")
    assert admin.post("/cuentas/vias/", datos).status_code == 302
    aprobar_pendientes()
    assert not ConfiguracionVias.objects.vigentes().fraccion_activa
    assert 'id="regla-fraccionamiento"' not in como("auditor").get("/tramite/").content.decode()
