"""Issue 34, items 3 and 4 on the request's page: the decider reads what the requester declared,
chooses an opinion nobody chose for them, and decides with the areas' opinions above the form;
the requester sees what is missing and the next step first; a refusal is an error beside its
field. Exact texts, and their order in the HTML."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from dictamenes import exceptions
from dictamenes.models import Solicitud
from dictamenes.tramite.forms.pasos import ERROR_OPINION_SIN_ELEGIR, ERROR_SIN_AREA
from dictamenes.tramite.services import decisiones, etapas, solicitudes
from estandares import selectors as estandares_selectors
from estandares.models import Perfil
from tests.dictamenes import flujo_utils as fu

pytestmark = pytest.mark.django_db

LICENCIA = "Windows 11 Pro, licencia por volumen (contrato Microsoft 2026)"


def _con_declaracion(titulo="Equipos con licencia declarada"):
    """A draft with one item of a profile that asks for the OS licence in writing."""
    vigente = estandares_selectors.publicacion_vigente(fecha=timezone.localdate())
    perfil = Perfil.objects.get(
        categoria__publicacion=vigente,
        categoria__clave="computadora-escritorio",
        clave="intermedio",
    )
    autor = fu.usuario("requirente.sh")
    solicitud = solicitudes.solicitud_crear(
        usuario=autor,
        datos={
            "tipo_operacion": "adquisicion",
            "titulo": titulo,
            "justificacion": "Equipos para el área de finanzas.",
            "alineacion": "Eje 3.",
            "monto_estimado": Decimal("36000.00"),
            "ejercicio": timezone.localdate().year,
        },
    )
    solicitudes.partida_guardar(
        solicitud=solicitud,
        usuario=autor,
        datos={
            "perfil": perfil,
            "descripcion": "Equipo intermedio de finanzas",
            "cantidad": 2,
            "precio_unitario": Decimal("18000.00"),
            "capitulo": "5000",
            "partida_especifica": "51501",
            # Too little RAM and the rest missing: the engine says "No cumple" on those. Only
            # the licence is a declaration.
            "especificaciones": {
                "ram": "8 GB",
                "licencia_sistema_operativo": f"  {LICENCIA}\n",
            },
        },
    )
    solicitudes.anexo_agregar(
        solicitud=solicitud, usuario=autor, tipo="oficio", archivo=fu.oficio()
    )
    return solicitud


def _admitida_con_declaracion():
    solicitud = _con_declaracion()
    solicitudes.solicitud_presentar(solicitud=solicitud, usuario=fu.usuario("requirente.sh"))
    etapas.admision_resolver(solicitud=solicitud, usuario=fu.usuario("mesa"), admitir=True)
    solicitud.refresh_from_db()
    return solicitud


def _borrador_vacio():
    return solicitudes.solicitud_crear(
        usuario=fu.usuario("requirente.sh"),
        datos={
            "tipo_operacion": "adquisicion",
            "titulo": "Borrador recién creado",
            "justificacion": "Por escribir.",
            "alineacion": "Por escribir.",
            "monto_estimado": Decimal("1000.00"),
            "ejercicio": timezone.localdate().year,
        },
    )


def _orden(pagina, *textos):
    """Each text is on the page, in this order."""
    posiciones = [pagina.index(t) for t in textos]
    assert posiciones == sorted(posiciones), list(zip(textos, posiciones, strict=True))


# --- 3. The reviewer sees every declaration ----------------------------------------------


def test_declaraciones_de_da_el_nombre_del_requisito_y_el_texto_declarado(demo):
    partida = _con_declaracion().partidas.get()
    assert estandares_selectors.declaraciones_de(partida=partida) == [
        ("Licencia del sistema operativo", LICENCIA)
    ]


def test_el_revisor_lee_la_declaracion_junto_a_su_requisito(demo, como):
    solicitud = _admitida_con_declaracion()
    pagina = como("revisor.computo").get(fu.detalle(solicitud)).content.decode()
    formulario = reverse("solicitudes:revision_area", args=[solicitud.pk, "computo"])
    fila = (
        'Licencia del sistema operativo<span class="ayuda">Declaración presentada; su contenido '
        'lo valora el área revisora</span><div class="declaracion"><span '
        f'class="declaracion__etiqueta">Declaró la dependencia:</span> {LICENCIA}</div></th>'
    )
    assert fila in pagina
    _orden(pagina, f'action="{formulario}"', fila, "Concluir revisión del área")


@pytest.mark.parametrize("lector", ["requirente.sh", "revisor.computo", "mesa", "auditor"])
def test_cada_lector_ve_las_declaraciones_en_la_tabla_de_partidas(demo, como, lector):
    solicitud = _admitida_con_declaracion()
    r = como(lector).get(fu.detalle(solicitud))
    assert r.status_code == 200
    pagina = r.content.decode()
    declaraciones = (
        '<p class="declaraciones__titulo">Declaraciones por escrito:</p><dl class="declaraciones">'
        f"<div><dt>Licencia del sistema operativo</dt><dd>{LICENCIA}</dd></div></dl>"
    )
    assert declaraciones in pagina
    _orden(pagina, '<h2 id="t-partidas">', declaraciones, '<h2 id="t-anexos">')


# --- 3. No opinion is preselected --------------------------------------------------------


def test_la_opinion_del_area_no_viene_elegida(demo, como):
    solicitud = _admitida_con_declaracion()
    pagina = como("revisor.computo").get(fu.detalle(solicitud)).content.decode()
    assert '<option value="" selected>Elija la opinión del área</option>' in pagina
    assert '<option value="favorable" selected>' not in pagina


def test_sin_elegir_la_opinion_se_dice_junto_al_campo_y_nada_se_pierde(demo, como):
    solicitud = _admitida_con_declaracion()
    partida = solicitud.partidas.get()
    r = como("revisor.computo").post(
        reverse("solicitudes:revision_area", args=[solicitud.pk, "computo"]),
        {
            f"computo-p{partida.pk}_opinion": "Le faltan casi todos los datos.",
            "computo-observaciones": "Pedir la ficha técnica.",
        },
    )
    assert r.status_code == 400
    pagina = r.content.decode()
    assert (
        '<select name="computo-opinion" required aria-invalid="true" '
        'aria-describedby="id_computo-opinion_error" id="id_computo-opinion">'
    ) in pagina
    assert (
        f'<span class="error" id="id_computo-opinion_error">{ERROR_OPINION_SIN_ELEGIR}</span>'
    ) in pagina
    assert '<div class="campo campo--error">\n  <label for="id_computo-opinion">' in pagina
    assert "Le faltan casi todos los datos.</textarea>" in pagina
    assert "Pedir la ficha técnica.</textarea>" in pagina
    assert solicitud.revisiones.count() == 0


# --- 3. The strategic form -----------------------------------------------------------------


def test_la_revision_estrategica_muestra_primero_las_opiniones_de_las_areas(demo, como):
    solicitud = fu.revisada(areas=("computo", "redes"))
    pagina = como("estrategico").get(fu.detalle(solicitud)).content.decode()
    computo = fu.usuario("revisor.computo").get_full_name()
    redes = fu.usuario("revisor.redes").get_full_name()
    _orden(
        pagina,
        "<h3>Revisión estratégica</h3>",
        "<h4>Lo que opinaron las áreas</h4>",
        "<strong>Equipo de cómputo e impresión</strong> (ronda 1): "
        f'<span class="opinion-area opinion-area--favorable">Favorable</span> — {computo}. '
        "Sin observaciones mayores.",
        "<li><em>Partida de computo</em>: Cumple lo esencial.</li>",
        f'<span class="opinion-area opinion-area--favorable">Favorable</span> — {redes}.',
        "<legend>Acción</legend>",
        '<button type="submit" class="boton">Registrar</button>',
        '<h2 id="t-revisiones">Opiniones por área</h2>',
    )
    # The fields a decision may not use are marked so that the page shows them only then.
    assert '<div class="campo campo--si-devuelve">\n  <label for="id_area">' in pagina
    assert '<div class="campo--si-decide decision-partidas" id="decision-partidas">' in pagina
    assert '<div class="campo campo--si-decide">\n  <label for="id_condiciones">' in pagina


def test_devolver_sin_area_y_decidir_sin_decision_se_dicen_junto_al_campo(demo, como):
    solicitud = fu.revisada()
    c = como("estrategico")
    url = reverse("solicitudes:estrategica", args=[solicitud.pk])
    r = c.post(url, {"accion": "devolver", "motivos": "Revisar de nuevo el disco."})
    assert r.status_code == 400
    pagina = r.content.decode()
    assert f'<span class="error" id="id_area_error">{ERROR_SIN_AREA}</span>' in pagina
    assert '<div class="campo campo--si-devuelve campo--error">' in pagina
    assert "Revisar de nuevo el disco.</textarea>" in pagina

    r = c.post(url, {"accion": "decidir", "motivos": "Procede: cumple los estándares."})
    assert r.status_code == 400
    pagina = r.content.decode()
    pk = solicitud.partidas.get().pk
    falta = decisiones.ERROR_SIN_DECISION % {"partida": "Partida de computo"}
    assert f'<span class="error" id="id_p{pk}_resultado_error">{falta}</span>' in pagina
    solicitud.refresh_from_db()
    assert solicitud.estado == Solicitud.Estado.REVISION_ESTRATEGICA


def test_la_negativa_del_servicio_queda_junto_al_campo_que_la_causa(demo, como):
    solicitud = fu.revisada()
    # Every item refused, yet conditions written: the service refuses (no favorable has none).
    r = como("estrategico").post(
        reverse("solicitudes:estrategica", args=[solicitud.pk]),
        fu.campos_decision(
            solicitud, "no_favorable", motivos="No procede.", condiciones="Acreditar X."
        ),
    )
    assert r.status_code == 400
    pagina = r.content.decode()
    texto = decisiones.ERROR_CONDICIONES_SIN_APROBADAS
    error = f'<span class="error" id="id_condiciones_error">{texto}</span>'
    assert error in pagina
    # The banner says it too, as an error; and the field is shown although :has() would hide it.
    assert f'<li class="mensaje mensaje--error">{texto}</li>' in pagina
    assert '<div class="campo campo--si-decide campo--error">' in pagina
    _orden(pagina, "<legend>Acción</legend>", error, "Registrar</button>")


# --- 4. A draft: what is missing, and the next step first ----------------------------------


def test_un_borrador_vacio_lista_lo_que_falta_y_agregar_partida_es_lo_primero(demo, como):
    solicitud = _borrador_vacio()
    pagina = como("requirente.sh").get(fu.detalle(solicitud)).content.decode()
    partida_nueva = reverse("solicitudes:partida_nueva", args=[solicitud.pk])
    assert (
        '<ul class="faltantes">'
        f"<li>{exceptions.ERROR_SIN_PARTIDAS}</li>"
        f'<li>{exceptions.ERROR_SIN_OFICIO} <a href="#adjuntar-anexo">Adjuntar el oficio de '
        "solicitud</a></li></ul>"
    ) in pagina
    _orden(
        pagina,
        "<h3>Lo que falta para presentarla</h3>",
        f'<a class="boton" href="{partida_nueva}">Agregar partida</a>',
        'id="adjuntar-anexo"',
        '<button type="submit" class="boton boton--claro">Presentar solicitud</button>',
    )
    assert '<button type="submit" class="boton">Presentar solicitud</button>' not in pagina


def test_con_partida_y_sin_oficio_solo_falta_el_oficio(demo, como):
    solicitud = _borrador_vacio()
    solicitudes.partida_guardar(
        solicitud=solicitud,
        usuario=fu.usuario("requirente.sh"),
        datos={
            "perfil": fu.perfil_de_area("computo"),
            "descripcion": "Equipo básico",
            "cantidad": 1,
            "precio_unitario": Decimal("1000.00"),
            "capitulo": "5000",
            "partida_especifica": "51501",
            "especificaciones": {},
        },
    )
    pagina = como("requirente.sh").get(fu.detalle(solicitud)).content.decode()
    assert (
        f'<ul class="faltantes"><li>{exceptions.ERROR_SIN_OFICIO} <a href="#adjuntar-anexo">'
        "Adjuntar el oficio de solicitud</a></li></ul>"
    ) in pagina


def test_un_borrador_completo_tiene_presentar_como_accion_principal(demo, como):
    solicitud = fu.borrador()
    pagina = como("requirente.sh").get(fu.detalle(solicitud)).content.decode()
    partida_nueva = reverse("solicitudes:partida_nueva", args=[solicitud.pk])
    assert "Lo que falta para presentarla" not in pagina
    _orden(
        pagina,
        "Tiene lo necesario para presentarla.",
        '<button type="submit" class="boton">Presentar solicitud</button>',
        f'<a href="{partida_nueva}">Agregar partida</a>',
    )
    assert f'<a class="boton" href="{partida_nueva}">' not in pagina


def test_lo_que_falta_es_lo_mismo_que_rechaza_presentar(demo, como):
    solicitud = _borrador_vacio()
    c = como("requirente.sh")
    r = c.post(reverse("solicitudes:presentar", args=[solicitud.pk]))
    assert r.status_code == 400
    pagina = r.content.decode()
    assert f'<li class="mensaje mensaje--error">{exceptions.ERROR_SIN_PARTIDAS}</li>' in pagina
    assert f"<li>{exceptions.ERROR_SIN_PARTIDAS}</li>" in pagina  # already in the checklist


# --- 4. A prevention puts the fix before "Enviar corrección" -------------------------------


def test_en_la_prevencion_la_correccion_va_antes_de_enviarla(demo, como):
    solicitud = fu.presentada()
    etapas.admision_resolver(
        solicitud=solicitud,
        usuario=fu.usuario("mesa"),
        admitir=False,
        faltantes="Falta la cotización firmada.",
    )
    pagina = como("requirente.sh").get(fu.detalle(solicitud)).content.decode()
    _orden(
        pagina,
        "<h3>Lo que pidió la mesa de control</h3>",
        "<blockquote>Falta la cotización firmada.</blockquote>",
        "Corrija su solicitud (partidas, datos generales o anexos) y envíe la corrección a más "
        "tardar el ",
        "Editar datos generales",
        "Agregar partida",
        'id="adjuntar-anexo"',
        "<h3>Subsanar la prevención</h3>",
        "Enviar corrección</button>",
    )


# --- 4. Errors are errors, beside their field ------------------------------------------------


def test_la_admision_sin_decision_marca_el_grupo_de_opciones(demo, como):
    solicitud = fu.presentada()
    r = como("mesa").post(reverse("solicitudes:admision", args=[solicitud.pk]), {})
    assert r.status_code == 400
    pagina = r.content.decode()
    assert (
        '<div class="campo campo--error">\n  <fieldset aria-invalid="true" '
        'aria-describedby="id_decision_error"><legend>Decisión</legend>'
    ) in pagina
    assert '<span class="error" id="id_decision_error">' in pagina


def test_prevenir_sin_decir_que_falta_se_dice_junto_a_ese_campo(demo, como):
    solicitud = fu.presentada()
    r = como("mesa").post(
        reverse("solicitudes:admision", args=[solicitud.pk]), {"decision": "prevenir"}
    )
    assert r.status_code == 400
    pagina = r.content.decode()
    assert (
        f'<span class="error" id="id_faltantes_error">{exceptions.ERROR_FALTAN_FALTANTES}</span>'
    ) in pagina
    assert 'aria-invalid="true" aria-describedby="id_faltantes_error" id="id_faltantes"' in pagina
    assert f'<li class="mensaje mensaje--error">{exceptions.ERROR_FALTAN_FALTANTES}</li>' in pagina


def test_el_servicio_dice_que_falta_la_opinion_o_el_resultado_no_los_motivos(demo):
    """What the API and any other caller read when the opinion or the result is missing: the
    same words as the page's field, not «Escriba los motivos…»."""
    from django.core.exceptions import ValidationError

    solicitud = fu.admitida()
    with pytest.raises(ValidationError) as exc:
        fu.revisar(solicitud, "computo", opinion="")
    assert exc.value.messages == [str(exceptions.ERROR_OPINION_SIN_ELEGIR)]
    fu.revisar(solicitud, "computo")
    with pytest.raises(ValidationError) as exc:
        fu.decidir(solicitud, partidas={}, motivos="Procede: cumple los estándares.")
    assert exc.value.messages == [decisiones.ERROR_SIN_DECISION % {"partida": "Partida de computo"}]
