"""Issue 76, items 2–5, as the office configures them: the tolerance of a contract over what
was approved, the multiple refused as absurd, the age of a quote that counts, the method per
category and the spread of «según la dispersión», and the law's price tests (central value,
thresholds, the article cited). Each is edited in «Vías de revisión» under dual control, through
the same door (operacion.services.vias.vias_guardar), stated before → after in the pending change
and in the audit event, and refused in Spanish when out of its rule.

The ranges expected here are written by hand from the issue and the model's validators: the
service reads them from the model, so a test that read them too would check nothing."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from dictamenes.exceptions import Conflicto
from dictamenes.models import CambioPendiente, ConfiguracionVias, EventoAuditoria
from dictamenes.models.vias import LEY_ARTICULO_INICIAL
from dictamenes.operacion.services import configuracion
from dictamenes.operacion.services import vias as servicio
from dictamenes.tramite.selectors.vias import vias_vigentes
from tests.dictamenes.dual_utils import aprobar_pendientes, pendientes
from tests.dictamenes.flujo_utils import usuario
from tests.dictamenes.tramite.test_vias_config import URL, _errores, _formulario, guardar
from tests.perfiles import ejemplos

pytestmark = pytest.mark.django_db

# The messages, as a person reads them.
TOLERANCIA = "Escriba un número entero de 0 a 100 por ciento."
VECES = "Escriba un número entero de veces lo aprobado, de 2 a 1000."
ANTIGUEDAD = "Escriba un número entero de días naturales, de 1 a 730."
CV = "Escriba un número entero de 1 a 100 por ciento."
NO_ACEPTABLE = "Escriba un número entero de 1 a 1000 por ciento."
NO_CONVENIENTE = "Escriba un número entero de 1 a 99 por ciento."
CENTRO = (
    "Elija como valor central de la investigación de mercado la media o la mediana de las "
    "cotizaciones válidas."
)
ARTICULO = (
    "Escriba en un renglón el fundamento legal de las pruebas de precio (la ley y su "
    "artículo), de 1 a 300 caracteres."
)
DATOS_PERSONALES = (
    "Este texto se publica en los datos abiertos y en el registro público, donde cualquiera lo "
    "lee, y los datos personales no se publican: quite el correo «juan.perez@hacienda.gob.mx»."
)
CATEGORIA_AJENA = (
    "«mainframe» no es una categoría de la edición vigente de los estándares: elija un método "
    "solo para las que se ofrecen."
)
METODO_SWITCH = "Elija para «Switch» uno de los métodos que se ofrecen, o «el método general»."
METODOS_FORMATO = (
    "Los métodos por categoría no se leyeron: elija en cada categoría un método o «el método "
    "general»."
)
# Each integer's range, from the issue and the model (an oracle that shares no code with the
# service's `rango`).
RANGOS = {
    "contrato_tolerancia_pct": (0, 100, TOLERANCIA),
    "contrato_absurdo_veces": (2, 1000, VECES),
    "cotizacion_antiguedad_dias": (1, 730, ANTIGUEDAD),
    "precio_cv_pct": (1, 100, CV),
    "ley_no_aceptable_pct": (1, 1000, NO_ACEPTABLE),
    "ley_no_conveniente_pct": (1, 99, NO_CONVENIENTE),
}


def _fuera_de_rango():
    """Each integer one past each end of its range (the end itself is allowed below)."""
    for campo, (minimo, maximo, mensaje) in RANGOS.items():
        yield pytest.param({campo: minimo - 1}, {campo: [mensaje]}, id=f"{campo}-bajo")
        yield pytest.param({campo: maximo + 1}, {campo: [mensaje]}, id=f"{campo}-alto")


@pytest.mark.parametrize(
    ("cambios", "esperados"),
    [
        *_fuera_de_rango(),
        # A number typed as text, or a yes, is not a whole number of the page.
        pytest.param({"precio_cv_pct": "25"}, {"precio_cv_pct": [CV]}, id="cv-texto"),
        pytest.param(
            {"contrato_tolerancia_pct": True},
            {"contrato_tolerancia_pct": [TOLERANCIA]},
            id="tolerancia-booleano",
        ),
        pytest.param({"ley_centro": "menor"}, {"ley_centro": [CENTRO]}, id="centro"),
        pytest.param({"ley_articulo": ""}, {"ley_articulo": [ARTICULO]}, id="articulo-vacio"),
        pytest.param({"ley_articulo": "   "}, {"ley_articulo": [ARTICULO]}, id="articulo-blanco"),
        pytest.param(
            {"ley_articulo": "A" * 301}, {"ley_articulo": [ARTICULO]}, id="articulo-largo"
        ),
        pytest.param(
            {"ley_articulo": "LAASSP\nartículo 41"},
            {"ley_articulo": [ARTICULO]},
            id="articulo-dos-renglones",
        ),
        pytest.param(
            {"ley_articulo": "LAASSP, art. 41; dudas: juan.perez@hacienda.gob.mx"},
            {"ley_articulo": [DATOS_PERSONALES]},
            id="articulo-datos-personales",
        ),
        pytest.param(
            {"precio_metodos_categoria": {"switch": "media", "mainframe": "media"}},
            {"precio_metodos_categoria": [CATEGORIA_AJENA]},
            id="metodo-categoria-ajena",
        ),
        pytest.param(
            {"precio_metodos_categoria": {"switch": "moda"}},
            {"precio_metodos_categoria": [METODO_SWITCH]},
            id="metodo-ajeno",
        ),
        pytest.param(
            {"precio_metodos_categoria": ["switch"]},
            {"precio_metodos_categoria": [METODOS_FORMATO]},
            id="metodos-no-diccionario",
        ),
        pytest.param(
            {"precio_metodos_categoria": {"switch": 3}},
            {"precio_metodos_categoria": [METODOS_FORMATO]},
            id="metodo-no-texto",
        ),
    ],
)
def test_cada_regla_se_dice_en_espanol_y_no_guarda_nada(demo, cambios, esperados):
    assert _errores(**cambios) == esperados
    assert ConfiguracionVias.objects.count() == 1
    assert not EventoAuditoria.objects.filter(tipo="vias_revision").exists()


def test_los_extremos_de_cada_rango_valen(demo):
    """Each end of each range is allowed: the lower ends in one version, the upper in the
    next (an off-by-one in either direction fails one of them)."""
    bajos = guardar(**{campo: minimo for campo, (minimo, _, _m) in RANGOS.items()})
    assert {campo: getattr(bajos, campo) for campo in RANGOS} == {
        campo: minimo for campo, (minimo, _, _m) in RANGOS.items()
    }
    altos = guardar(**{campo: maximo for campo, (_, maximo, _m) in RANGOS.items()})
    assert (altos.version, {campo: getattr(altos, campo) for campo in RANGOS}) == (
        3,
        {campo: maximo for campo, (_, maximo, _m) in RANGOS.items()},
    )


@settings(max_examples=ejemplos(150), deadline=None)
@given(
    campo=st.sampled_from(sorted(RANGOS)),
    valor=st.one_of(st.integers(min_value=-5, max_value=1005), st.integers()),
)
def test_un_entero_vale_si_y_solo_si_esta_en_su_rango(campo, valor):
    """The service's range check, on any integer (no query: the rule alone)."""
    datos = {**servicio.valores(ConfiguracionVias(**ConfiguracionVias.objects.iniciales()))}
    datos |= {"cotizaciones_umbral": 0, campo: valor}
    errores = servicio._errores_precio(datos)
    minimo, maximo, mensaje = RANGOS[campo]
    if minimo <= valor <= maximo:
        assert errores == {}
    else:
        assert list(errores) == [campo]
        assert errores[campo].messages == [mensaje]


def test_el_servicio_guarda_el_articulo_normalizado_y_los_metodos_en_orden_de_la_edicion(demo):
    nueva = guardar(
        ley_articulo="  LAASSP, artículo 41  ",
        precio_metodos_categoria={"switch": "menor", "servidor": "dispersion"},
    )
    assert nueva.ley_articulo == "LAASSP, artículo 41"
    # Servidor comes before Switch in the edition in force.
    assert list(nueva.precio_metodos_categoria.items()) == [
        ("servidor", "dispersion"),
        ("switch", "menor"),
    ]


# The page's rows that change, as the pending change states them (label, before, after).
FILAS = [
    (
        "Una cotización cuenta hasta estos días después de su fecha",
        "90 días naturales",
        "60 días naturales",
    ),
    ("«según la dispersión»: la media hasta este coeficiente de variación (%)", "25 %", "20 %"),
    (
        "Método del precio de mercado por categoría",
        "ninguna: todas siguen el método general",
        "Servidor: según la dispersión: la media si las cotizaciones coinciden, si no la "
        "mediana; Switch: menor precio válido",
    ),
    (
        "Valor central de la investigación de mercado (pruebas de la ley)",
        "mediana de las cotizaciones válidas",
        "media de las cotizaciones válidas",
    ),
    ("Precio no aceptable: más de este porcentaje sobre el valor central (%)", "10 %", "15 %"),
    ("Precio no conveniente: más de este porcentaje bajo el valor central (%)", "40 %", "35 %"),
    ("Fundamento legal de las pruebas de precio", LEY_ARTICULO_INICIAL, "LAASSP, artículo 41"),
    ("Tolerancia de un contrato sobre lo aprobado (%)", "10 %", "0 %"),
    (
        "Rechazar un contrato de más de estas veces lo aprobado",
        "10 veces lo aprobado",
        "20 veces lo aprobado",
    ),
]
NUEVOS = {
    "cotizacion_antiguedad_dias": 60,
    "precio_cv_pct": 20,
    "precio_metodos_categoria": {"servidor": "dispersion", "switch": "menor"},
    "ley_centro": "media",
    "ley_no_aceptable_pct": 15,
    "ley_no_conveniente_pct": 35,
    "ley_articulo": "LAASSP, artículo 41",
    "contrato_tolerancia_pct": 0,
    "contrato_absurdo_veces": 20,
}


def _pedido_en_la_pagina(admin, **cambios):
    return admin.post(
        URL,
        _formulario(
            cotizacion_antiguedad_dias="60",
            precio_cv_pct="20",
            metodo__switch="menor",
            metodo__servidor="dispersion",
            ley_centro="media",
            ley_no_aceptable_pct="15",
            ley_no_conveniente_pct="35",
            ley_articulo=" LAASSP, artículo 41 ",
            contrato_tolerancia_pct="0",
            contrato_absurdo_veces="20",
            motivo="Acuerdo de precios 76",
            **cambios,
        ),
    )


def test_se_piden_en_la_pagina_otra_persona_los_aprueba_y_la_version_nueva_los_tiene(como):
    admin = como("admin")
    html = admin.get(URL).content.decode()
    # One select per category, labelled by its name, «el método general» chosen by default.
    assert (
        '<label for="id_metodo__switch">Switch</label><select name="metodo__switch" '
        'id="id_metodo__switch">\n  <option value="" selected>El método general</option>'
    ) in html
    assert '<fieldset id="ley"><legend>Pruebas de precio de la ley</legend>' in html
    # Each field's rule in one sentence, tied to it for screen readers.
    assert (
        'aria-describedby="id_contrato_absurdo_veces_helptext"' in html
        and '<span class="ayuda" id="id_contrato_absurdo_veces_helptext">Un contrato de más '
        "de estas veces el total aprobado en el dictamen se rechaza. De 2 a 1000.</span>"
    ) in html

    respuesta = _pedido_en_la_pagina(admin)
    assert respuesta.status_code == 302, respuesta.content.decode()[:2000]
    [cambio] = pendientes(CambioPendiente.Tipo.VIAS)
    assert [
        (f["campo"], f["antes"], f["despues"]) for f in cambio.datos["filas"] if f["cambia"]
    ] == FILAS
    assert vias_vigentes().version == 1

    # Who asked cannot apply it: not on the page, not through the service.
    respuesta = admin.post(
        reverse("cuentas:cambio_resolver", args=[cambio.pk]), {"accion": "aprobar"}
    )
    assert respuesta.status_code == 403
    with pytest.raises(PermissionDenied):
        configuracion.cambio_aprobar(cambio=cambio, por=usuario("admin"))
    assert vias_vigentes().version == 1

    aprobar_pendientes(client=admin)
    nueva = vias_vigentes()
    assert nueva.version == 2
    assert {campo: getattr(nueva, campo) for campo in NUEVOS} == NUEVOS
    evento = EventoAuditoria.objects.get(tipo="vias_revision")
    assert {c: evento.datos["antes"][c] for c in NUEVOS} == {
        "cotizacion_antiguedad_dias": 90,
        "precio_cv_pct": 25,
        "precio_metodos_categoria": {},
        "ley_centro": "mediana",
        "ley_no_aceptable_pct": 10,
        "ley_no_conveniente_pct": 40,
        "ley_articulo": LEY_ARTICULO_INICIAL,
        "contrato_tolerancia_pct": 10,
        "contrato_absurdo_veces": 10,
    }
    assert {c: evento.datos["despues"][c] for c in NUEVOS} == NUEVOS

    admin = como("admin")
    html = admin.get(URL).content.decode()
    for campo, antes, despues in FILAS:
        assert f"<li>{campo[0].upper()}{campo[1:]}: {antes} → {despues}</li>" in html, campo
    assert '<option value="menor" selected>menor precio válido</option>' in html
    assert (
        '<div id="vigente-ley"><dt>Pruebas de precio de la ley</dt><dd>Valor central: media de '
        "las cotizaciones válidas; no aceptable, más de 15 % sobre él; no conveniente, más de "
        "35 % bajo él (LAASSP, artículo 41)</dd></div>"
    ) in html
    assert (
        '<div id="vigente-contratos"><dt>Contratos sobre lo aprobado</dt><dd>Más de 0 % sobre '
        "lo aprobado espera la autorización de la revisión estratégica; más de 20 veces lo "
        "aprobado se rechaza</dd></div>"
    ) in html


@pytest.mark.parametrize(
    ("cambios", "esperados"),
    [
        ({"contrato_tolerancia_pct": "101"}, {"contrato_tolerancia_pct": [TOLERANCIA]}),
        ({"contrato_absurdo_veces": "1"}, {"contrato_absurdo_veces": [VECES]}),
        ({"cotizacion_antiguedad_dias": "731"}, {"cotizacion_antiguedad_dias": [ANTIGUEDAD]}),
        ({"precio_cv_pct": "0"}, {"precio_cv_pct": [CV]}),
        ({"ley_no_aceptable_pct": "1001"}, {"ley_no_aceptable_pct": [NO_ACEPTABLE]}),
        ({"ley_no_conveniente_pct": "100"}, {"ley_no_conveniente_pct": [NO_CONVENIENTE]}),
        ({"ley_centro": "menor"}, {"ley_centro": [CENTRO]}),
        ({"ley_articulo": "  "}, {"ley_articulo": [ARTICULO]}),
        ({"ley_articulo": "B" * 301}, {"ley_articulo": [ARTICULO]}),
        (
            {"ley_articulo": "LAASSP art. 41, juan.perez@hacienda.gob.mx"},
            {"ley_articulo": [DATOS_PERSONALES]},
        ),
        ({"metodo__switch": "moda"}, {"metodo__switch": [METODO_SWITCH]}),
    ],
    ids=lambda v: ",".join(v) if isinstance(v, dict) else None,
)
def test_la_pagina_refusa_cada_valor_con_su_mensaje_y_no_pide_nada(como, cambios, esperados):
    respuesta = como("admin").post(URL, _formulario(**cambios))
    assert respuesta.status_code == 400
    assert respuesta.context["form"].errors == esperados
    assert "No se guardó nada: corrija lo señalado en cada campo." in respuesta.content.decode()
    assert not CambioPendiente.objects.filter(tipo=CambioPendiente.Tipo.VIAS).exists()
    assert ConfiguracionVias.objects.count() == 1


def test_un_formulario_sin_el_metodo_de_una_categoria_no_la_vacia(como):
    """A POST that leaves a category's select out would read as «el método general»: it is
    refused whole, as any field left out (issue 48)."""
    guardar(precio_metodos_categoria={"switch": "menor"})
    datos = _formulario(precio_cv_pct="30")
    del datos["metodo__switch"]
    respuesta = como("admin").post(URL, datos)
    assert respuesta.status_code == 400
    assert respuesta.context["form"].non_field_errors() == [
        "El formulario no trajo «Switch»: no se cambió nada. Recargue la página y envíelo "
        "completo; cada cambio dice todos sus valores."
    ]
    assert not CambioPendiente.objects.exists()
    assert vias_vigentes().precio_metodos_categoria == {"switch": "menor"}


def test_al_aprobar_se_revisan_otra_vez(como):
    """A stored change altered after it was asked (a category no edition has) is refused on
    approval in Spanish and applies nothing."""
    assert _pedido_en_la_pagina(como("admin")).status_code == 302
    [cambio] = pendientes(CambioPendiente.Tipo.VIAS)
    cambio.datos["pedido"]["precio_metodos_categoria"] = {"mainframe": "media"}
    cambio.save(update_fields=["datos"])
    with pytest.raises(Conflicto) as error:
        configuracion.cambio_aprobar(cambio=cambio, por=usuario("admin2"))
    assert str(error.value.message) == CATEGORIA_AJENA
    assert vias_vigentes().version == 1


def test_un_cambio_pedido_antes_de_la_issue_76_deja_sus_valores_como_estan(como):
    """A change asked before these fields existed names none of them: approved, it keeps those
    of the version in force (changed in between here, so not the defaults)."""
    guardar(contrato_absurdo_veces=5, precio_metodos_categoria={"switch": "media"})
    respuesta = como("admin").post(URL, _formulario(umbral_monto="300,000.00"))
    assert respuesta.status_code == 302
    [cambio] = pendientes(CambioPendiente.Tipo.VIAS)
    for campo in NUEVOS:
        del cambio.datos["pedido"][campo]
    cambio.save(update_fields=["datos"])
    aprobar_pendientes()
    nueva = vias_vigentes()
    assert (nueva.version, nueva.contrato_absurdo_veces, nueva.precio_metodos_categoria) == (
        3,
        5,
        {"switch": "media"},
    )
