"""«Vías de revisión» (issue 36, item 1): the administrator keeps the fast track's conditions,
deadlines and service standard as versions, through one audited door."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from dictamenes.consola.forms.todos_los_campos import CAMPO_CASILLAS
from dictamenes.consola.forms.vias import ViasForm
from dictamenes.models import CambioPendiente, ConfiguracionVias, EventoAuditoria
from dictamenes.models.vias import LEY_ARTICULO_INICIAL
from dictamenes.operacion.services import vias as servicio
from dictamenes.tramite.selectors.vias import categorias_vigentes, vias_vigentes
from tests.dictamenes.dual_utils import aprobar_pendientes, pendientes
from tests.dictamenes.flujo_utils import usuario

pytestmark = pytest.mark.django_db

URL = "/cuentas/vias/"
# The page's checkboxes, as its hidden input lists them: a POST without them is refused
# (issue 48, consola.forms.todos_los_campos.TodosLosCampos).
CASILLAS = ViasForm(categorias=[]).casillas
INICIALES = {
    "rapida_activa": True,
    "umbral_monto": "500000.00",
    "categorias_completas": [
        "desarrollo-software",
        "firewall-nueva-generacion",
        "servicio-centro-datos",
    ],
    "dias_revision_rapida": 2,
    "dias_estrategica_rapida": 1,
    "meta_dias_rapida": 10,
    "meta_dias_completa": 20,
    "fraccion_activa": True,
    "fraccion_criterio": "categoria",
    "fraccion_ventana_dias": 0,
    "fraccion_familias": [
        {"nombre": "Red de área local", "categorias": ["punto-acceso", "switch"]},
    ],
    "cotizaciones_umbral": "500000.00",
    "precio_metodo": "mediana",
    "precio_atipico_pct": 50,
    "precio_senal_pct": 25,
    "cotizacion_antiguedad_dias": 90,
    "precio_cv_pct": 25,
    "precio_metodos_categoria": {},
    "ley_centro": "mediana",
    "ley_no_aceptable_pct": 10,
    "ley_no_conveniente_pct": 40,
    "ley_articulo": LEY_ARTICULO_INICIAL,
    "contrato_tolerancia_pct": 10,
    "contrato_absurdo_veces": 10,
    # Issue 80: the signs' thresholds.
    "senal_cobertura_pct": "0.50",
    "senal_cierre_dias": 5,
    "senal_dominante_pct": 60,
    "senal_dominante_contratos": 4,
    "senal_entrega_dias": 20,
}


def _datos(**cambios) -> dict:
    """Every field as the version in force has it, with `cambios`."""
    vigentes = vias_vigentes()
    return {campo: getattr(vigentes, campo) for campo in servicio.CAMPOS} | cambios


def guardar(quien="admin", motivo="", **cambios) -> ConfiguracionVias:
    return servicio.vias_guardar(datos=_datos(**cambios), por=usuario(quien), motivo=motivo)


def _formulario(**cambios) -> dict:
    """The page's fields as the version in force fills them, with `cambios` (as typed): its
    checkboxes listed as the page lists them, and a motivo, which the page asks for (issue 48)."""
    datos = {k: v for k, v in _datos().items() if k != "rapida_activa"}
    # The families as the page writes them, one per line (issue 59).
    datos["fraccion_familias"] = ViasForm.familias_texto(datos["fraccion_familias"])
    # The methods per category as its selects send them, one per category (issue 76).
    datos |= ViasForm.metodos_enviados(datos.pop("precio_metodos_categoria"), categorias_vigentes())
    activa = cambios.pop("rapida_activa", True)
    datos = {
        **datos,
        "motivo": "Acuerdo de prueba",
        CAMPO_CASILLAS: CASILLAS,
        **cambios,
    }
    if activa:
        datos["rapida_activa"] = "on"
    return datos


def _errores(**cambios) -> dict:
    with pytest.raises(ValidationError) as error:
        guardar(**cambios)
    return {
        campo: [str(m) for m in mensajes] for campo, mensajes in error.value.message_dict.items()
    }


def test_solo_una_persona_administradora_cambia_las_vias(como, client):
    respuesta = client.get(URL)
    assert respuesta.status_code == 302
    assert respuesta["Location"] == f"/cuentas/login/?next={URL}"
    for quien in ("auditor", "mesa", "estrategico", "firmante", "requirente.sh"):
        assert como(quien).get(URL).status_code == 403, quien
        assert como(quien).post(URL, _formulario(umbral_monto="1")).status_code == 403, quien
    # The service's own door refuses too (the API, a command, the admin reach it directly).
    with pytest.raises(PermissionDenied) as negado:
        guardar("auditor", umbral_monto=Decimal(1))
    assert str(negado.value) == "Solo una persona administradora cambia las vías de revisión."
    assert ConfiguracionVias.objects.count() == 1
    assert not EventoAuditoria.objects.filter(tipo="vias_revision").exists()


def test_guardar_crea_una_version_nueva_con_su_evento_antes_y_despues(demo):
    primera = vias_vigentes()
    nueva = guardar(
        motivo="Acuerdo 12/2026",
        umbral_monto=Decimal("300000"),
        categorias_completas=["servicio-centro-datos", "firewall-nueva-generacion"],
        meta_dias_rapida=8,
    )
    assert vias_vigentes() == nueva
    assert (nueva.version, nueva.creado_por.username, nueva.motivo) == (
        2,
        "admin",
        "Acuerdo 12/2026",
    )
    # The categories in the edition's order; version 1 is left as it was.
    assert nueva.categorias_completas == ["firewall-nueva-generacion", "servicio-centro-datos"]
    primera.refresh_from_db()
    assert (primera.umbral_monto, primera.meta_dias_rapida) == (Decimal("500000.00"), 10)
    evento = EventoAuditoria.objects.get(tipo="vias_revision")
    assert (evento.usuario.username, evento.motivo) == ("admin", "Acuerdo 12/2026")
    assert evento.descripcion == "Vías de revisión: versión 2"
    assert evento.datos == {
        "version": 2,
        "anterior": 1,
        "antes": INICIALES,
        "despues": INICIALES
        | {
            "umbral_monto": "300000.00",
            "categorias_completas": ["firewall-nueva-generacion", "servicio-centro-datos"],
            "meta_dias_rapida": 8,
        },
    }


def test_sin_cambios_no_hay_version_ni_evento(demo):
    # The same values (the categories in another order, a reason typed): nothing changed.
    with pytest.raises(ValidationError) as error:
        guardar(
            motivo="Revisión anual",
            categorias_completas=list(reversed(vias_vigentes().categorias_completas)),
        )
    assert error.value.messages == ["No cambió nada: las vías son iguales a la versión vigente."]
    assert ConfiguracionVias.objects.count() == 1
    assert not EventoAuditoria.objects.filter(tipo="vias_revision").exists()


DIAS = "Escriba un número entero de días hábiles, de 1 a 120."


@pytest.mark.parametrize(
    ("cambios", "esperados"),
    [
        (
            {"umbral_monto": Decimal("-0.01")},
            {"umbral_monto": ["El umbral no puede ser negativo: escriba 0 o más pesos."]},
        ),
        ({"dias_revision_rapida": 0}, {"dias_revision_rapida": [DIAS]}),
        ({"dias_estrategica_rapida": 121}, {"dias_estrategica_rapida": [DIAS]}),
        ({"meta_dias_completa": 0}, {"meta_dias_completa": [DIAS]}),
        (
            {"meta_dias_rapida": 21},
            {
                "meta_dias_rapida": [
                    "El estándar de servicio de la vía rápida (21 días hábiles) no puede ser "
                    "mayor que el de la vía completa (20 días hábiles)."
                ]
            },
        ),
        (
            {"categorias_completas": ["servicio-centro-datos", "criptografia-cuantica"]},
            {
                "categorias_completas": [
                    "«criptografia-cuantica» no es una categoría de la edición vigente de los "
                    "estándares: elija entre las que se ofrecen."
                ]
            },
        ),
    ],
    ids=["umbral", "dias-revision", "dias-estrategica", "meta-completa", "meta", "categoria"],
)
def test_cada_regla_se_dice_en_espanol_y_no_guarda_nada(demo, cambios, esperados):
    assert _errores(**cambios) == esperados
    assert ConfiguracionVias.objects.count() == 1
    assert not EventoAuditoria.objects.filter(tipo="vias_revision").exists()


def test_los_limites_valen(demo):
    """0 pesos, 1 and 120 days, the same standard for both tracks: all allowed."""
    nueva = guardar(
        umbral_monto=Decimal(0),
        dias_revision_rapida=1,
        dias_estrategica_rapida=120,
        meta_dias_rapida=20,
        categorias_completas=[],
    )
    assert (nueva.version, nueva.umbral_monto, nueva.categorias_completas) == (2, Decimal(0), [])


def test_la_pagina_muestra_los_valores_y_guarda_una_version(como, django_assert_max_num_queries):
    admin = como("admin")
    inicio = admin.get(reverse("inicio")).content.decode()
    assert f'<a href="{URL}">Vías de revisión</a>' in inicio
    vias_vigentes()  # version 1, as on a site in use (a fresh one makes it on the first read)
    # The session, the person, their roles; the tracks, the edition and its categories, the
    # versions and their categories' names; the changes that wait for approval (issue 48).
    with django_assert_max_num_queries(9):
        pagina = admin.get(URL)
    html = pagina.content.decode()
    assert '<h2 id="t-vigentes">Valores vigentes (versión 1)</h2>' in html
    assert "<dd>Menos de $500,000.00</dd>" in html
    assert (
        "<dd>Firewall de nueva generación, Servicio de centro de datos, Desarrollo de software</dd>"
    ) in html
    assert 'name="umbral_monto" value="500,000.00"' in html
    # The categories are offered by name, the marked ones checked.
    assert (
        '<input type="checkbox" name="categorias_completas" value="firewall-nueva-generacion" '
        'id="id_categorias_completas_'
    ) in html
    marcadas = pagina.context["form"]["categorias_completas"].value()
    assert sorted(marcadas) == INICIALES["categorias_completas"]

    respuesta = admin.post(
        URL,
        _formulario(
            umbral_monto="$300,000.00",
            categorias_completas=["servicio-centro-datos"],
            dias_revision_rapida="3",
            motivo="Acuerdo 12/2026",
        ),
    )
    assert respuesta.status_code == 302 and respuesta["Location"] == URL
    # Asked, not saved: version 1 is in force until a second administrator approves it, on
    # their page; the page of the tracks lists it as waiting.
    [cambio] = pendientes(CambioPendiente.Tipo.VIAS)
    assert (cambio.pedido_por.username, cambio.motivo) == ("admin", "Acuerdo 12/2026")
    assert vias_vigentes().version == 1
    assert not EventoAuditoria.objects.filter(tipo="vias_revision").exists()
    # Asking rehearsed the change and forgot the caches it may have filled (operacion's ensayo):
    # one read warms them again, as after any change.
    admin.get(URL)
    with django_assert_max_num_queries(9):
        esperando = admin.get(URL).content.decode()
    assert f'href="/cuentas/cambios/#cambio-{cambio.pk}"' in esperando
    aprobar_pendientes(client=admin)
    admin = como("admin")
    nueva = vias_vigentes()
    assert (nueva.version, nueva.umbral_monto, nueva.dias_revision_rapida) == (
        2,
        Decimal("300000.00"),
        3,
    )
    assert nueva.categorias_completas == ["servicio-centro-datos"]

    # Saving the same again changes nothing and says so.
    otra = admin.post(URL, _formulario())
    assert otra.status_code == 400
    assert otra.context["form"].non_field_errors() == [str(servicio.ERROR_SIN_CAMBIOS)]

    with django_assert_max_num_queries(9):
        html = admin.get(URL).content.decode()
    assert "<dd>Menos de $300,000.00</dd>" in html
    assert (
        '<tr id="version-2"><th scope="row">2</th>\n      '
        '<td data-etiqueta="Guardada por">Fernando Ibarra Moreno</td>'
    ) in html
    assert (
        "<li>Umbral de la vía rápida (MXN): $500,000.00 → $300,000.00</li>"
        "<li>Categorías que siempre van a revisión completa: Firewall de nueva generación, "
        "Servicio de centro de datos, Desarrollo de software → Servicio de centro "
        "de datos</li>"
        "<li>Plazo de la revisión técnica única (días hábiles): 2 días hábiles → 3 días "
        "hábiles</li>"
    ) in html
    assert '<td data-etiqueta="Motivo">Acuerdo 12/2026</td>' in html
    assert (
        '<tr id="version-1"><th scope="row">1</th>\n      '
        '<td data-etiqueta="Guardada por">La configuración inicial</td>'
    ) in html


def test_un_error_no_pierde_lo_escrito(como):
    respuesta = como("admin").post(
        URL,
        _formulario(
            rapida_activa=False,
            umbral_monto="-5",
            categorias_completas=["servicio-centro-datos", "desarrollo-software"],
            meta_dias_rapida="25",
            motivo="Prueba de otoño",
        ),
    )
    assert respuesta.status_code == 400
    form = respuesta.context["form"]
    assert form.errors == {
        "umbral_monto": ["El umbral no puede ser negativo: escriba 0 o más pesos."],
        "meta_dias_rapida": [
            "El estándar de servicio de la vía rápida (25 días hábiles) no puede ser mayor "
            "que el de la vía completa (20 días hábiles)."
        ],
    }
    html = respuesta.content.decode()
    assert "No se guardó nada: corrija lo señalado en cada campo." in html
    assert 'name="umbral_monto" value="-5"' in html
    assert 'name="meta_dias_rapida" value="25"' in html
    assert 'name="motivo" value="Prueba de otoño"' in html
    assert form["categorias_completas"].value() == ["servicio-centro-datos", "desarrollo-software"]
    assert 'name="rapida_activa" id="id_rapida_activa" checked' not in html
    assert ConfiguracionVias.objects.count() == 1


def test_una_categoria_que_la_edicion_vigente_ya_no_tiene_se_avisa(como):
    """A version saved under an older edition may mark a category the edition in force no
    longer has: the page says so, by its clave when no edition names it, and does not offer it."""
    vigentes = vias_vigentes()
    ConfiguracionVias.objects.create(
        **{campo: getattr(vigentes, campo) for campo in servicio.CAMPOS}
        | {"categorias_completas": ["servicio-centro-datos", "mainframe"]},
        version=2,
        creado_en=vigentes.creado_en,
    )
    respuesta = como("admin").get(URL)
    html = respuesta.content.decode()
    assert (
        "La versión vigente marca categorías que la edición vigente de los estándares ya no "
        "tiene: mainframe. No se ofrecen abajo; al guardar una versión nueva dejan de estar "
        "marcadas."
    ) in html
    assert 'value="mainframe"' not in html
    assert respuesta.context["form"]["categorias_completas"].value() == [
        "servicio-centro-datos",
        "mainframe",
    ]
