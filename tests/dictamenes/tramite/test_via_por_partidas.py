"""The fast track reads the items, not a typed figure (issue 59, item 5): the track and the
split check add the items (quantity × unit price), and another request counts in a split
purchase only with its items of the same category, never with its whole declared total."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from dictamenes import montos
from dictamenes.models import ConfiguracionVias, EventoAuditoria, Solicitud
from dictamenes.tramite.reglas.vias import (
    Hermana,
    PartidaParaVia,
    fracciones_detectar,
    via_evaluar,
)
from dictamenes.tramite.services import etapas, solicitudes
from estandares.cumplimiento import Veredicto
from tests.dictamenes.flujo_utils import JUSTIFICACION_COTIZACIONES, detalle, usuario
from tests.dictamenes.tramite import test_fraccionamiento as tf
from tests.dictamenes.tramite.test_vias import nueva_version
from tests.perfiles import ejemplos

UMBRAL = Decimal("500000.00")


def config(**cambios) -> ConfiguracionVias:
    """The tracks as version 1 says (never saved): the rule reads plain data."""
    return ConfiguracionVias(**{**ConfiguracionVias.objects.iniciales(), **cambios})


def partida(categoria: str, importe, descripcion: str = "Partida") -> PartidaParaVia:
    return PartidaParaVia(
        descripcion, categoria, categoria.title(), True, Veredicto.CUMPLE, importe=Decimal(importe)
    )


# --- The rule on plain data: an oracle that shares nothing with fracciones_detectar ------------

CENTAVOS = st.integers(min_value=1, max_value=2 * 50_000_000)  # up to $1,000,000.00


@settings(max_examples=ejemplos(200), deadline=None)
@given(propio=CENTAVOS, de_la_otra=CENTAVOS, otra_cosa=CENTAVOS)
def test_la_hermana_cuenta_solo_con_sus_partidas_de_la_categoria(propio, de_la_otra, otra_cosa):
    """Boundary amounts around the threshold: a possible split purchase exactly when this
    request is under the threshold and what both ask of the category reaches it; the other
    request's item of another category never counts."""
    propio, de_la_otra, otra_cosa = (Decimal(c) / 100 for c in (propio, de_la_otra, otra_cosa))
    mias = [partida("laptop", propio)]
    hermanas = [
        Hermana("SOL-1", partida("laptop", de_la_otra)),
        Hermana("SOL-1", partida("servidor", otra_cosa)),
    ]
    fracciones = fracciones_detectar(partidas=mias, hermanas=hermanas, config=config())
    esperado = propio < UMBRAL and propio + de_la_otra >= UMBRAL
    assert bool(fracciones) is esperado
    if esperado:
        [fraccion] = fracciones
        assert (fraccion.folios, fraccion.suma) == (("SOL-1",), propio + de_la_otra)


@settings(max_examples=ejemplos(100), deadline=None)
@given(centavos=st.integers(min_value=0, max_value=2 * 50_000_000))
def test_el_umbral_se_compara_con_la_suma_de_las_partidas(centavos):
    """Two items whose sum straddles the threshold by a cent either way."""
    total = Decimal(centavos) / 100
    mitad = (total / 2).quantize(Decimal("0.01"))
    decidida = via_evaluar(
        partidas=[partida("laptop", mitad), partida("impresora", total - mitad)], config=config()
    )
    assert decidida.via == ("rapida" if total < UMBRAL else "completa")


def test_varias_partidas_de_la_misma_hermana_se_suman():
    mias = [partida("laptop", "100000")]
    hermanas = [
        Hermana("SOL-2", partida("laptop", "200000")),
        Hermana("SOL-2", partida("laptop", "200000")),
        Hermana("SOL-3", partida("telefono-ip", "3000000")),
    ]
    [fraccion] = fracciones_detectar(partidas=mias, hermanas=hermanas, config=config())
    assert (fraccion.folios, fraccion.suma) == (("SOL-2",), Decimal("500000"))


# --- Through the services and the pages ------------------------------------------------------


def _laptops(cantidad: int, precio: str):
    return tf.pedida(
        titulo="Adquisición de laptops para supervisores",
        de=tf.perfil("computadora-portatil"),
        descripcion="Laptop para supervisor",
        cantidad=cantidad,
        precio=precio,
        specs=tf.LAPTOP,
    )


@pytest.mark.django_db
def test_un_monto_escrito_menor_no_lleva_a_la_via_rapida(demo, como):
    """The issue's case: $100,000 declared, items worth $10,000,000. The draft's page says the
    full track (by the items) and the request cannot be presented until they agree."""
    solicitud = _laptops(400, "25000.00")
    solicitudes.solicitud_actualizar(
        solicitud=solicitud,
        usuario=usuario("requirente.sh"),
        datos={"monto_estimado": Decimal("100000.00")},
    )
    pagina = como("requirente.sh").get(detalle(solicitud)).content.decode()
    assert "Vía de revisión si la presenta ahora:" in pagina
    assert (
        "Condición no cumplida: la suma de sus partidas, $10,000,000.00, no es menor al umbral de "
        "$500,000.00." in pagina
    )
    with pytest.raises(ValidationError) as rechazo:
        tf.presentar(solicitud)
    assert rechazo.value.code == "monto_no_cuadra"
    solicitud.refresh_from_db()
    assert (solicitud.estado, solicitud.via) == ("borrador", "")


@pytest.mark.django_db
def test_una_compra_chica_y_honesta_no_es_fraccionamiento_de_una_grande(demo):
    """The issue's other way round (SOL-2026-00007): a $3,470,000 request, full track on its
    own, with two laptops among its switches, does not make a $90,000 laptop request a
    possible split purchase: it counts with its $70,000 of laptops, not its whole total."""
    autor = usuario("requirente.sh")
    grande = tf.pedida(
        titulo="Red de oficinas regionales",
        de=tf.perfil_de_area("redes"),
        descripcion="Switch de acceso",
        cantidad=80,
        precio="42500.00",  # $3,400,000.00
        specs=tf.SWITCH,
    )
    solicitudes.partida_guardar(
        solicitud=grande,
        usuario=autor,
        datos={
            "perfil": tf.perfil("computadora-portatil"),
            "descripcion": "Laptop para el jefe de red",
            "cantidad": 2,
            "precio_unitario": Decimal("35000.00"),
            "capitulo": "5000",
            "partida_especifica": "51501",
            "especificaciones": tf.LAPTOP,
            "justificacion_cotizaciones": JUSTIFICACION_COTIZACIONES,
        },
    )
    solicitudes.solicitud_actualizar(
        solicitud=grande, usuario=autor, datos={"monto_estimado": Decimal("3470000.00")}
    )
    grande = tf.presentar(grande)
    assert grande.via == "completa"
    chica = tf.presentar(_laptops(3, "30000.00"))  # $90,000.00 of laptops
    assert (chica.via, chica.via_fraccion) == ("rapida", [])

    # $450,000 of laptops in another request: with the others' $160,000 of laptops they reach
    # the threshold, and the sum says laptops only.
    laptops = tf.presentar(_laptops(15, "30000.00"))
    assert laptops.via == "completa"
    assert laptops.via_fraccion == [
        {
            "criterio": "categoria",
            "nombre": "Computadora portátil",
            "folios": sorted([grande.folio, chica.folio]),
            "suma": "610000.00",
        }
    ]


# --- The fiscal year: the current one or the next, at every door ------------------------------


def _nueva(ejercicio) -> dict:
    return {
        "tipo_operacion": "adquisicion",
        "titulo": "Laptops para supervisores",
        "justificacion": "El equipo de hoy no alcanza.",
        "alineacion": "Eje 3",
        "monto_estimado": "90000.00",
        "ejercicio": ejercicio,
    }


def _error_ejercicio() -> str:
    anio = timezone.localdate().year
    return str(montos.ERROR_EJERCICIO % {"actual": anio, "siguiente": anio + 1})


@pytest.mark.django_db
@pytest.mark.parametrize("desfase", [-1, 2, 74])
def test_el_ejercicio_fuera_de_rango_se_rechaza_en_la_pagina_y_en_la_api(demo, como, desfase):
    anio = timezone.localdate().year
    antes = Solicitud.objects.count()
    r = como("requirente.sh").post(reverse("solicitudes:nueva"), _nueva(anio + desfase))
    assert r.status_code == 400
    assert r.context["form"].errors["ejercicio"] == [_error_ejercicio()]

    api = APIClient()
    api.force_authenticate(usuario("requirente.sh"))
    r = api.post("/api/v1/solicitudes/", _nueva(anio + desfase), format="json")
    assert r.status_code == 400
    assert r.json() == {"ejercicio": [_error_ejercicio()]}  # named by its field
    assert Solicitud.objects.count() == antes


@pytest.mark.django_db
@pytest.mark.parametrize("desfase", [0, 1])
def test_el_ejercicio_actual_o_el_siguiente_se_aceptan(demo, desfase):
    api = APIClient()
    api.force_authenticate(usuario("requirente.sh"))
    anio = timezone.localdate().year + desfase
    r = api.post("/api/v1/solicitudes/", _nueva(anio), format="json")
    assert r.status_code == 201
    assert Solicitud.objects.get(pk=r.json()["id"]).ejercicio == anio


@pytest.mark.django_db
def test_un_borrador_de_un_ejercicio_pasado_no_se_presenta_ni_se_cambia_a_otro(demo):
    solicitud = _laptops(3, "30000.00")
    anio = timezone.localdate().year
    Solicitud.objects.filter(pk=solicitud.pk).update(ejercicio=anio - 1)  # drafted last year
    solicitud.refresh_from_db()
    with pytest.raises(ValidationError) as rechazo:
        tf.presentar(solicitud)
    assert rechazo.value.messages == [_error_ejercicio()]
    with pytest.raises(ValidationError) as rechazo:
        solicitudes.solicitud_actualizar(
            solicitud=solicitud, usuario=usuario("requirente.sh"), datos={"ejercicio": 2100}
        )
    assert rechazo.value.message_dict == {"ejercicio": [_error_ejercicio()]}
    solicitudes.solicitud_actualizar(
        solicitud=solicitud, usuario=usuario("requirente.sh"), datos={"ejercicio": anio}
    )
    assert tf.presentar(solicitud).estado == Solicitud.Estado.ADMISION


# --- A later request re-examines the earlier ones ------------------------------------------


@pytest.mark.django_db
def test_una_posterior_pasa_a_la_via_completa_a_la_anterior_aun_sin_decidir(demo, como):
    """Issue 59, item 5: the first of two $480,000 laptop requests went by the fast track and
    stayed there until admission; now the second one's presentation moves it, with an event
    and a reason its people read on its page."""
    primera = tf.presentar(tf.laptops())
    assert primera.via == "rapida"
    segunda = tf.presentar(tf.laptops())
    primera.refresh_from_db()
    assert primera.via == "completa"
    assert primera.via_razones == [*tf.RAPIDA_CUMPLIDAS, tf.aviso(segunda.folio, "$960,000.00")]
    eventos = list(
        EventoAuditoria.objects.filter(solicitud=primera, tipo="via")
        .order_by("numero")
        .values_list("descripcion", "usuario", "datos__por_posterior")
    )
    assert eventos == [
        ("Sigue la vía rápida", usuario("requirente.sh").pk, None),
        (
            f"Con {segunda.folio}, presentada después, es un posible fraccionamiento: sigue "
            "la vía completa",
            None,
            segunda.folio,
        ),
    ]
    for persona in ("requirente.sh", "mesa"):
        pagina = como(persona).get(detalle(primera)).content.decode()
        assert '<h2 id="t-via">Vía de revisión: Vía completa</h2>' in pagina
        assert f"<li>{tf.aviso(segunda.folio, '$960,000.00')}</li>" in pagina
        assert f'<a href="{detalle(segunda)}">{segunda.folio}</a>' in pagina
    # Admitted, it reviews by every area: the full track's reviews.
    primera = tf.admitir(primera)
    assert primera.via == "completa"


@pytest.mark.django_db
def test_la_anterior_prevenida_se_reexamina_y_la_ya_en_revision_avisa(demo, como):
    prevenida = tf.presentar(tf.laptops())
    etapas.admision_resolver(
        solicitud=prevenida, usuario=usuario("mesa"), admitir=False, faltantes="La cotización."
    )
    admitida = tf.admitir(tf.presentar(tf.laptops()))  # the fast track's single review
    # (presented after the prevented one: that one was moved already by this one)
    prevenida.refresh_from_db()
    assert (prevenida.estado, prevenida.via) == ("prevenida", "completa")
    assert admitida.via == "completa"  # at admission it saw the prevented one

    # A request already in review keeps its track (the flow has given it its single review),
    # but its page now warns of the later one, for the strategic reviewer, with an event.
    nueva_version(umbral_monto=Decimal("2000000.00"))
    en_revision = tf.admitir(tf.presentar(tf.laptops()))
    assert (en_revision.estado, en_revision.via, en_revision.via_fraccion) == (
        "revision_tecnica",
        "rapida",
        [],
    )
    posterior = tf.presentar(_laptops(60, "30000.00"))  # $1,800,000.00 of laptops
    en_revision.refresh_from_db()
    assert en_revision.via == "rapida"
    assert en_revision.via_fraccion == [
        {
            "criterio": "categoria",
            "nombre": "Computadora portátil",
            "folios": sorted([prevenida.folio, admitida.folio, posterior.folio]),
            "suma": "3240000.00",  # 3 × $480,000 + $1,800,000
        }
    ]
    ultimo = en_revision.eventos.filter(tipo="via").order_by("-numero").first()
    assert (ultimo.descripcion, ultimo.usuario, ultimo.datos["por_posterior"]) == (
        f"Con {posterior.folio}, presentada después, es un posible fraccionamiento; su revisión "
        "única ya empezó y sigue la vía rápida: la revisión estratégica lo ve en esta página",
        None,
        posterior.folio,
    )
    pagina = como("estrategico").get(detalle(en_revision)).content.decode()
    assert 'id="aviso-fraccionamiento"' in pagina
    assert f'<a href="{detalle(posterior)}">{posterior.folio}</a>' in pagina


@pytest.mark.django_db
def test_una_posterior_grande_por_si_misma_tambien_reexamina_a_la_anterior(demo, como):
    """The later request goes full by its own total ($1.62 M, servers included), and still its
    five laptops, with the earlier one's twenty, pass the threshold: the earlier one, already
    in its single fast review, is warned (review found by an outside probe: the later request's
    own result once decided whether the earlier one was looked at)."""
    anterior = tf.admitir(tf.presentar(tf.laptops()))
    assert (anterior.via, anterior.estado) == ("rapida", "revision_tecnica")
    grande = _laptops(5, "24000.00")
    autor = usuario("requirente.sh")
    solicitudes.partida_guardar(
        solicitud=grande,
        usuario=autor,
        datos={
            "perfil": tf.perfil("servidor"),
            "descripcion": "Servidores de rack",
            "cantidad": 5,
            "precio_unitario": Decimal("300000.00"),
            "capitulo": "5000",
            "partida_especifica": "51501",
            "especificaciones": {},
            "justificacion_cotizaciones": JUSTIFICACION_COTIZACIONES,
        },
    )
    solicitudes.solicitud_actualizar(
        solicitud=grande, usuario=autor, datos={"monto_estimado": Decimal("1620000.00")}
    )
    grande = tf.presentar(grande)
    assert grande.via == "completa"
    anterior.refresh_from_db()
    assert anterior.via == "rapida"  # its single review has begun
    assert [f["folios"] for f in anterior.via_fraccion] == [[grande.folio]]
    evento = EventoAuditoria.objects.filter(solicitud=anterior, tipo="via").latest("numero")
    assert evento.datos["por_posterior"] == grande.folio
    assert (
        tf.aviso(grande.folio, "$600,000.00")
        in como("estrategico").get(detalle(anterior)).content.decode()
    )


@pytest.mark.django_db
@pytest.mark.parametrize("desfase", [-1, 2])
def test_el_servicio_mismo_rechaza_el_ejercicio_fuera_de_rango(demo, desfase):
    """Issue 76, item 9: the service's own check, reached directly (the form and the API have
    theirs before it): a loader or a command that calls solicitud_crear gets the same refusal."""
    from dictamenes.tramite.services import solicitudes

    anio = timezone.localdate().year
    antes = Solicitud.objects.count()
    datos = _nueva(anio + desfase) | {"monto_estimado": Decimal("90000.00")}
    with pytest.raises(ValidationError) as error:
        solicitudes.solicitud_crear(usuario=usuario("requirente.sh"), datos=datos)
    assert error.value.message_dict == {"ejercicio": [_error_ejercicio()]}
    assert Solicitud.objects.count() == antes
