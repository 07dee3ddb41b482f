"""A reason says something (issue 93, item 4), at every door that writes a required reason.

PUERTAS lists each required reason, justification or motive of the product with the service
that writes it: the door that the pages, the admin, the API, the imports and the commands all
go through (the pages and the commands that reach each one are named in its row). Each row is
tried with one U+3164 HANGUL FILLER (what approved three flagged items in the probe) and with
«1234567890» (something visible that is not a reason: the door reads the rule, not only
«not blank»); each is refused with a ValidationError (a command's CommandError) and writes
nothing: no audit event, no pending change, the row as it was.

The state is built once for the module (tests.por_modulo): a request waiting for the strategic
decision with one item flagged 100 % over its reference, one in technical review, one in
admission, and a dictamen issued with a condition whose evidence waits and a contract that
waits for the strategic reviewer."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html
from rest_framework.test import APIClient

from dictamenes import exceptions
from dictamenes.capacidad.services import registro
from dictamenes.emision.services import rectificacion
from dictamenes.models import (
    Area,
    Ausencia,
    CambioPendiente,
    Condicion,
    Contrato,
    DecisionPartida,
    EventoAuditoria,
    Partida,
    ReferenciaPrecio,
    RevisionArea,
    Senal,
    Solicitud,
)
from dictamenes.operacion.services import configuracion
from dictamenes.organizacion.services import emergencia
from dictamenes.personas.services import acceso, control_dual, personas
from dictamenes.roles import Rol
from dictamenes.seguimiento.selectors.contratos import tope_del_dictamen
from dictamenes.seguimiento.services import condiciones, contratos
from dictamenes.senales import services as senales
from dictamenes.suplencias import services as suplencias
from dictamenes.tramite.services import (
    cierre,
    decisiones,
    etapas,
    solicitudes,
    vias,
)
from estandares.motivos import ERROR_MOTIVO, PARAMETROS
from tests.dictamenes import flujo_utils as fu
from tests.por_modulo import de_nuevo, por_modulo

pytestmark = pytest.mark.django_db

RELLENO = "\u3164"  # HANGUL FILLER
CIFRAS = "1234567890"
REGLA = str(ERROR_MOTIVO % PARAMETROS)
RAZON = "Único proveedor certificado para el sistema de cobro; la garantía cubre cinco años."


def _flagged(partida) -> None:
    """2 × $37,500.00 against a sufficient reference of $18,746.00 a piece: 100 % over."""
    Partida.objects.filter(pk=partida.pk).update(
        cantidad=2, precio_unitario=Decimal("37500.00"), unidad="pieza", meses=None
    )
    hoy = timezone.localdate()
    ReferenciaPrecio.objects.create(
        categoria_clave=partida.perfil.categoria.clave,
        perfil_clave=partida.perfil.clave,
        unidad="pieza",
        calculada_el=hoy,
        desde=hoy.replace(year=hoy.year - 2),
        compras=5,
        entes=3,
        suficiente=True,
        mediana=Decimal("18746"),
        cuartil_1=Decimal("16000"),
        cuartil_3=Decimal("21000"),
        minimo=Decimal("15000"),
    )


def _construir() -> dict:
    presentada = fu.presentada(areas=("redes",), titulo="Equipos en admisión")
    # On the fast track, as a request whose items all comply would be (the mesa may move it).
    Solicitud.objects.filter(pk=presentada.pk).update(via="rapida")
    estrategica = fu.revisada(areas=("computo",), titulo="Equipos con precio señalado")
    _flagged(estrategica.partidas.get())
    en_revision = fu.admitida(areas=("computo",), titulo="Equipos en revisión técnica")
    emitida = fu.en_firma(
        areas=("software",),
        titulo="Licencias con condición",
        resultado="condicionado",
        condiciones="Software: Entregar la licencia.",
    )
    fu.firmar(Solicitud.objects.get(pk=emitida.pk))
    dictamen = Solicitud.objects.get(pk=emitida.pk).dictamen_vigente
    condicion = dictamen.obligaciones.get()
    condiciones.condicion_evidencia_subir(
        condicion=condicion,
        usuario=fu.usuario("requirente.sh"),
        archivo=SimpleUploadedFile("licencia.pdf", fu.PDF_MINIMO, content_type="application/pdf"),
    )
    aprobado = tope_del_dictamen(dictamen=dictamen).aprobado
    contrato = contratos.contrato_registrar(
        dictamen=dictamen,
        usuario=fu.usuario("requirente.sh"),
        numero="SH-MOTIVOS-093",
        proveedor="Proveedora de licencias, S.A. de C.V.",
        fecha=dictamen.emitido_en.date(),
        monto=aprobado * 3 / 2,
        motivo_exceso="El contrato incluye la instalación que el dictamen no previó.",
        archivo=SimpleUploadedFile("contrato.pdf", fu.PDF_MINIMO, content_type="application/pdf"),
    )
    assert contrato.autorizacion == Contrato.Autorizacion.PENDIENTE
    senal, _ = Senal.objects.update_or_create(
        solicitud=presentada,
        codigo="cobertura",
        defaults={
            "ente_id": presentada.ente_id,
            "ejercicio": presentada.ejercicio,
            "texto": "Una sola cotización cubre la partida.",
            "detectada_en": presentada.presentada_en,
            "vigente": True,
        },
    )
    # A draft above the office's amount ($500,000.00) whose one item has no quote.
    borrador = fu.borrador(titulo="Equipos con una sola cotización")
    Partida.objects.filter(solicitud=borrador).update(precio_unitario=Decimal("260000.00"))
    Solicitud.objects.filter(pk=borrador.pk).update(monto_estimado=Decimal("520000.00"))
    hoy = timezone.localdate()
    ausencia = registro.ausencia_registrar(
        persona=fu.usuario("revisor.redes"),
        desde=hoy + datetime.timedelta(days=30),
        hasta=hoy + datetime.timedelta(days=34),
        motivo=Ausencia.Motivo.VACACIONES,
        por=fu.usuario("admin"),
    )
    identidad = control_dual.cambio_identidad_pedir(
        persona=fu.usuario("revisor.redes"),
        por=fu.usuario("admin"),
        motivo="Cambio de correo institucional por oficio.",
        email="redes.nuevo@demo.invalid",
    )
    return {
        "estrategica": estrategica,
        "en_revision": en_revision,
        "presentada": presentada,
        "dictamen": dictamen,
        "condicion": condicion,
        "contrato": contrato,
        "senal": senal,
        "ausencia": ausencia,
        "identidad": identidad,
        "borrador": borrador,
    }


mundo_de_motivos = por_modulo(_construir)


@pytest.fixture
def m(mundo_de_motivos):
    return de_nuevo(mundo_de_motivos)


u = fu.usuario


# --- The doors ---------------------------------------------------------------------------------
# Each: (field, the pages and commands that reach the door, the call with the reason `t`).


def _decision_razon(m, t):
    (p,) = m["estrategica"].partidas.all()
    fu.decidir(m["estrategica"], partidas={p.pk: {"resultado": "aprobada", "texto": t}})


def _decision_otro(m, t):
    (p,) = m["estrategica"].partidas.all()
    partidas = {p.pk: {"resultado": "no_aprobada", "motivo": "otro", "texto": t}}
    fu.decidir(m["estrategica"], partidas=partidas)


def _decision_motivos(m, t):
    (p,) = m["estrategica"].partidas.all()
    fu.decidir(
        m["estrategica"], motivos=t, partidas={p.pk: {"resultado": "aprobada", "texto": RAZON}}
    )


def _devolucion(m, t):
    etapas.solicitud_decidir(
        solicitud=m["estrategica"],
        usuario=u("estrategico"),
        motivos=t,
        devolver_a=Area.objects.get(clave="computo"),
    )


def _ajuste(m, t):
    (p,) = m["en_revision"].partidas.all()
    r = p.evaluacion["resultados"][0]
    otro = "no_cumple" if r["resultado"] != "no_cumple" else "cumple"
    fu.revisar(m["en_revision"], "computo", ajustes={r["clave"]: {"resultado": otro, "motivo": t}})


def _prevencion(m, t):
    etapas.admision_resolver(
        solicitud=m["presentada"], usuario=u("mesa"), admitir=False, faltantes=t
    )


def _via_completa(m, t):
    vias.via_pasar_a_completa(solicitud=m["presentada"], usuario=u("mesa"), motivo=t)


def _desistir(m, t):
    cierre.solicitud_desistir(solicitud=m["presentada"], usuario=u("requirente.sh"), motivo=t)


def _cancelar_solicitud(m, t):
    cierre.solicitud_cancelar(solicitud=m["presentada"], usuario=u("estrategico"), motivo=t)


def _cancelar_dictamen(m, t):
    rectificacion.dictamen_cancelar(
        dictamen=m["dictamen"], usuario=u("firmante"), credencial=fu.credencial(), motivo=t
    )


def _rectificar_motivo(m, t):
    fu.proponer(m["dictamen"], motivo=t)


def _rectificar_motivos(m, t):
    fu.proponer(m["dictamen"], motivos=t)


def _condicion_rechazo(m, t):
    condiciones.condicion_rechazar(
        condicion=m["condicion"], usuario=u("revisor.software"), motivo=t
    )


def _contrato_exceso(m, t):
    contratos.contrato_registrar(
        dictamen=m["dictamen"],
        usuario=u("requirente.sh"),
        numero="SH-MOTIVOS-094",
        proveedor="Proveedora de licencias, S.A. de C.V.",
        fecha=m["dictamen"].emitido_en.date(),
        monto=Decimal("1.00"),
        motivo_exceso=t,
    )


def _contrato_autorizar(m, t):
    contratos.contrato_autorizar(
        contrato=m["contrato"], usuario=u("estrategico"), autorizar=True, motivo=t
    )


def _senal(m, t):
    senales.senal_atender(senal=m["senal"], usuario=u("mesa"), atencion="sin_efecto", nota=t)


def _identidad_pedir(m, t):
    control_dual.cambio_identidad_pedir(
        persona=u("revisor.computo"), por=u("admin"), motivo=t, email="c2@demo.invalid"
    )


def _cambio_rechazar(m, t):
    configuracion.cambio_rechazar(cambio=m["identidad"], por=u("admin2"), motivo=t)


def _configuracion_pedir(m, t):
    configuracion.configuracion_pedir(
        tipo=CambioPendiente.Tipo.DIAS_INHABILES,
        accion="agregar",
        pedido={"fecha": "2030-06-11", "descripcion": "Día del servidor público"},
        por=u("admin"),
        motivo=t,
    )


def _rol(m, t):
    personas.rol_otorgar(usuario=u("auditor"), rol=Rol.FIRMANTE, por=u("admin"), motivo=t)


def _acceso(m, t):
    acceso.cuenta_acceso_cambiar(persona=u("auditor"), activo=False, por=u("admin"), motivo=t)


def _ausencia_cancelar(m, t):
    registro.ausencia_cancelar(ausencia=m["ausencia"], por=u("admin"), motivo=t)


def _refuerzo(m, t):
    hoy = timezone.localdate()
    registro.refuerzo_pedir(
        persona=u("revisor.redes"),
        area=Area.objects.get(clave="computo"),
        desde=hoy + datetime.timedelta(days=7),
        hasta=hoy + datetime.timedelta(days=13),
        motivo=t,
        por=u("admin"),
    )


def _suplencia(m, t):
    hoy = timezone.localdate()
    suplencias.sustitucion_crear(
        titular=u("revisor.computo"), suplente=u("revisor.redes"), desde=hoy, hasta=hoy, motivo=t
    )


def _emergencia(m, t):
    call_command("designar_cuenta_emergencia", "auditor", usuario="admin", motivo=t)


def _justificacion(m, t):
    autor = u("requirente.sh")
    solicitudes.solicitud_crear(
        usuario=autor,
        datos={
            "tipo_operacion": "adquisicion",
            "titulo": "Equipos de la prueba de motivos",
            "justificacion": t,
            "alineacion": "Eje 3: gobierno digital eficiente.",
            "monto_estimado": Decimal("20000.00"),
            "ejercicio": timezone.localdate().year,
        },
    )


def _justificacion_cotizaciones(m, t):
    """Asked when presenting above the office's amount with fewer than three valid quotes:
    presentation is the door that requires it (its item's page writes it, and refuses one
    that says nothing: test_la_partida_niega_una_justificacion_que_no_dice_nada)."""
    Partida.objects.filter(solicitud=m["borrador"]).update(justificacion_cotizaciones=t)
    solicitudes.solicitud_presentar(solicitud=m["borrador"], usuario=u("requirente.sh"))


FALTAN_COTIZACIONES = str(
    solicitudes.ERROR_SIN_COTIZACIONES
    % {
        "partida": "Partida de computo",
        "vigentes": 0,
        "total": "$520,000.00",
        "umbral": "$500,000.00",
    }
)


def _ajuste_vacio(m) -> str:
    (p,) = m["en_revision"].partidas.all()
    requisito = p.evaluacion["resultados"][0]["nombre"]
    return str(exceptions.ERROR_AJUSTE_SIN_MOTIVO % {"requisito": requisito})


def _exceso_vacio(m) -> str:
    aprobado = tope_del_dictamen(dictamen=m["dictamen"]).aprobado
    total = m["contrato"].monto + Decimal("1.00")
    return str(
        contratos.ERROR_SIN_MOTIVO_EXCESO
        % {"total": f"${total:,.2f}", "aprobado": f"${aprobado:,.2f}"}
    )


EN_BLANCO = "Este campo no puede estar en blanco."
SENALADA = (
    "Para aprobar la partida «Partida de computo» escriba en ella por qué se aprueba: su "
    "precio está señalado, 100.0 % sobre la mediana de referencia."
)
COTIZACIONES = "Partida.justificacion_cotizaciones"
# field: (where people reach its door, the call, what the door says to one U+3164)
PUERTAS = {
    "DecisionPartida.texto (aprobar una partida señalada)": (
        "página de la solicitud (revisión estratégica)",
        _decision_razon,
        SENALADA,
    ),
    "DecisionPartida.texto («Otro motivo»)": (
        "página de la solicitud (revisión estratégica)",
        _decision_otro,
        str(decisiones.ERROR_OTRO_SIN_TEXTO % {"partida": "Partida de computo"}),
    ),
    "Dictamen.motivos (decisión estratégica)": (
        "página de la solicitud",
        _decision_motivos,
        str(exceptions.ERROR_MOTIVOS),
    ),
    "motivos de la devolución a un área": (
        "página de la solicitud",
        _devolucion,
        str(exceptions.ERROR_DEVOLUCION_SIN_MOTIVO),
    ),
    "OpinionPartida.ajustes[].motivo (cambiar el resultado de un requisito)": (
        "página de la solicitud (revisión técnica)",
        _ajuste,
        _ajuste_vacio,
    ),
    "faltantes de la prevención": (
        "página de la solicitud (admisión)",
        _prevencion,
        str(exceptions.ERROR_FALTAN_FALTANTES),
    ),
    "Solicitud.via_razones (pasar a la vía completa)": (
        "página de la solicitud",
        _via_completa,
        str(vias.ERROR_VIA_SIN_MOTIVO),
    ),
    "motivo del desistimiento": (
        "página de la solicitud",
        _desistir,
        str(exceptions.ERROR_CIERRE_SIN_MOTIVO),
    ),
    "motivo de la cancelación de la solicitud": (
        "página de la solicitud",
        _cancelar_solicitud,
        str(exceptions.ERROR_CIERRE_SIN_MOTIVO),
    ),
    "Dictamen.motivo_cancelacion": (
        "página de la solicitud, con la e.firma",
        _cancelar_dictamen,
        str(rectificacion.ERROR_MOTIVO_CANCELACION),
    ),
    "motivo de la rectificación": (
        "página de la solicitud",
        _rectificar_motivo,
        str(exceptions.ERROR_PROPUESTA_SIN_MOTIVO),
    ),
    "motivos del dictamen rectificado": (
        "página de la solicitud",
        _rectificar_motivos,
        str(exceptions.ERROR_MOTIVOS),
    ),
    "Condicion.motivo_rechazo": (
        "página de la solicitud (condiciones)",
        _condicion_rechazo,
        str(condiciones.ERROR_MOTIVO),
    ),
    "Contrato.motivo_exceso": (
        "página de la solicitud (contratos)",
        _contrato_exceso,
        _exceso_vacio,
    ),
    "Contrato.motivo_autorizacion": (
        "/planeacion/contratos/",
        _contrato_autorizar,
        str(contratos.ERROR_AUTORIZAR_SIN_MOTIVO),
    ),
    "Senal.atencion_nota": (
        "página de la solicitud (señales)",
        _senal,
        str(senales.ERROR_NOTA),
    ),
    "CambioPendiente.motivo (identidad)": (
        "«Personas y roles»",
        _identidad_pedir,
        str(control_dual.ERROR_SIN_MOTIVO),
    ),
    "CambioPendiente.motivo_resolucion": (
        "«Cambios por aprobar»",
        _cambio_rechazar,
        str(control_dual.ERROR_SIN_MOTIVO),
    ),
    "CambioPendiente.motivo (configuración)": (
        "«Vías», «Institución», «Plazos», «Días inhábiles», «Áreas», «Entes», «Motivos», "
        "«Ediciones», «Ausencias»; manage.py cargar_perfil_estado y estandares_importar",
        _configuracion_pedir,
        str(control_dual.ERROR_SIN_MOTIVO),
    ),
    "motivo de un cambio de rol": (
        "«Personas y roles»",
        _rol,
        str(personas.ERROR_ROL_SIN_MOTIVO),
    ),
    "motivo de un cambio de acceso": (
        "«Personas y roles»",
        _acceso,
        str(personas.ERROR_ROL_SIN_MOTIVO),
    ),
    "motivo de la cancelación de una ausencia": (
        "«Ausencias»",
        _ausencia_cancelar,
        str(registro.ERROR_SIN_MOTIVO),
    ),
    "Refuerzo.motivo": ("«Ausencias» (refuerzos)", _refuerzo, str(registro.ERROR_SIN_MOTIVO)),
    "Sustitucion.motivo": ("/solicitudes/suplencias/", _suplencia, EN_BLANCO),
    "motivo de la cuenta de emergencia": (
        "manage.py designar_cuenta_emergencia",
        _emergencia,
        str(emergencia.ERROR_SIN_MOTIVO),
    ),
    "Solicitud.justificacion": (
        "página del borrador; POST /api/v1/solicitudes/ (test_la_api_responde_400_con_el_mensaje)",
        _justificacion,
        EN_BLANCO,
    ),
    COTIZACIONES: (
        "página de la partida (test_la_partida_niega_una_justificacion_que_no_dice_nada); la "
        "presentación la exige",
        _justificacion_cotizaciones,
        FALTAN_COTIZACIONES,
    ),
}


def _escrito() -> tuple:
    """What a refused door must not have written."""
    return (
        EventoAuditoria.objects.count(),
        CambioPendiente.objects.count(),
        DecisionPartida.objects.count(),
        Contrato.objects.count(),
        Solicitud.objects.count(),
        list(CambioPendiente.objects.values_list("estado", "motivo_resolucion").order_by("pk")),
        list(Condicion.objects.values_list("estado", "motivo_rechazo").order_by("pk")),
        list(Senal.objects.values_list("atencion", "atencion_nota").order_by("pk")),
        list(Contrato.objects.values_list("autorizacion", "motivo_autorizacion").order_by("pk")),
        list(Solicitud.objects.values_list("estado", "via", "via_razones").order_by("pk")),
    )


@pytest.mark.parametrize("texto", [RELLENO, CIFRAS], ids=["U+3164", "cifras"])
@pytest.mark.parametrize("campo", list(PUERTAS))
def test_cada_motivo_exigido_se_niega_en_su_puerta(m, campo, texto):
    """One U+3164 gets the door's own message for a missing reason (nothing visible: as if
    empty); «1234567890» the rule's, the same at every door (presentation says which item
    lacks its quotes or their justification)."""
    _donde, llamar, vacio = PUERTAS[campo]
    antes = _escrito()
    with pytest.raises((ValidationError, CommandError)) as error:
        llamar(m, texto)
    if isinstance(error.value, CommandError):
        mensajes = [str(error.value).removesuffix(" No se designó ninguna.")]
    else:
        mensajes = error.value.messages
    if texto == RELLENO:
        esperado = vacio(m) if callable(vacio) else vacio
    else:
        esperado = FALTAN_COTIZACIONES if campo == COTIZACIONES else REGLA
    assert mensajes == [esperado]
    assert _escrito() == antes


def test_la_tabla_trae_cada_motivo_exigido():
    """The fields the product requires a reason for, written by hand: a new one joins the
    table (and this list) or the test says which is missing."""
    assert len(PUERTAS) == 27


def test_la_partida_niega_una_justificacion_que_no_dice_nada(m):
    borrador = m["borrador"]
    (p,) = borrador.partidas.all()
    datos = {c: getattr(p, c) for c in solicitudes.CAMPOS_PARTIDA}

    def guardar(texto):
        return solicitudes.partida_guardar(
            solicitud=borrador,
            usuario=u("requirente.sh"),
            partida=p,
            datos=datos | {"justificacion_cotizaciones": texto},
        )

    with pytest.raises(ValidationError) as error:
        guardar(CIFRAS)
    assert error.value.message_dict == {"justificacion_cotizaciones": [REGLA]}
    # Blanks alone are no justification: kept empty, and the quotes are still missing.
    assert guardar(f"{RELLENO} \u2800").justificacion_cotizaciones == ""
    assert guardar(f"{RELLENO}{RAZON}{RELLENO}").justificacion_cotizaciones == RAZON


def test_la_api_responde_400_con_el_mensaje(demo):
    cliente = APIClient()
    cliente.force_authenticate(u("requirente.sh"))
    datos = {
        "tipo_operacion": "adquisicion",
        "titulo": "Equipos de la prueba de motivos",
        "alineacion": "Eje 3: gobierno digital eficiente.",
        "monto_estimado": "20000.00",
        "ejercicio": timezone.localdate().year,
    }
    antes = Solicitud.objects.count()
    for texto, mensaje in [(RELLENO, "Este campo no puede estar en blanco."), (CIFRAS, REGLA)]:
        r = cliente.post("/api/v1/solicitudes/", datos | {"justificacion": texto}, format="json")
        assert (r.status_code, r.json()) == (400, {"justificacion": [mensaje]})
    assert Solicitud.objects.count() == antes


def test_la_revision_estrategica_niega_el_relleno_junto_a_la_partida_y_conserva_lo_escrito(m, como):
    """The probe: the strategic reviewer approves the flagged item with one U+3164 as its
    reason. The page answers 400, the error beside that item's text, and what was typed kept."""
    solicitud = m["estrategica"]
    (p,) = solicitud.partidas.all()
    escrito = {
        "accion": "decidir",
        "motivos": "Procede: cumple los estándares.",
        f"p{p.pk}_resultado": "aprobada",
    }
    url = reverse("solicitudes:estrategica", args=[solicitud.pk])
    for texto, mensaje in [
        (RELLENO, None),
        ("Ok: 1234567", REGLA),
    ]:
        respuesta = como("estrategico").post(url, escrito | {f"p{p.pk}_texto": texto})
        assert respuesta.status_code == 400
        arbol = lxml_html.fromstring(respuesta.content.decode())
        (error,) = arbol.xpath(f"//span[@id='id_p{p.pk}_texto_error']")
        if mensaje is None:
            mensaje = (
                "Para aprobar la partida «Partida de computo» escriba en ella por qué se "
                "aprueba: su precio está señalado, 100.0 % sobre la mediana de referencia."
            )
        assert " ".join(error.text_content().split()) == mensaje
        (area,) = arbol.xpath(f"//textarea[@name='p{p.pk}_texto']")
        assert area.text_content().strip("\n") == texto
        assert area.get("aria-describedby").endswith(f"id_p{p.pk}_texto_error")
    assert not DecisionPartida.objects.filter(partida__solicitud=solicitud).exists()
    respuesta = como("estrategico").post(url, escrito | {f"p{p.pk}_texto": RAZON})
    assert respuesta.status_code == 302
    assert DecisionPartida.objects.get(partida=p).texto == RAZON


@pytest.mark.parametrize("multilinea", [False, True], ids=["una-linea", "varias-lineas"])
def test_el_esquema_de_la_api_pide_lo_mismo_que_el_campo(multilinea):
    """Schemathesis builds the bodies of POST /api/v1/solicitudes/ from the schema's pattern:
    for every kind of reason, it and the field (TextoApi of a reason) agree."""
    import re

    from rest_framework import serializers

    from dictamenes.api.campos import TextoApi, patron_motivo

    patron = re.compile(patron_motivo(multilinea=multilinea))
    campo = TextoApi(multilinea=multilinea, motivo=True, max_length=500)
    for texto in [
        RELLENO,
        RELLENO * 20,
        "\u2800" * 12,
        CIFRAS,
        "1234567890a",
        "Sí.",
        "Procede.",
        "..........",
        "No procede.",
        "Oficio 7/2026",
        f"{RELLENO}No procede.{RELLENO}",
        "Обоснование закупки",
        "a\u0301bcd\u200befghij",
        RAZON,
    ]:
        try:
            campo.run_validation(texto)
            aceptado = True
        except (serializers.ValidationError, ValidationError):
            aceptado = False
        assert bool(patron.fullmatch(texto)) == aceptado, texto


def test_la_opinion_de_la_partida_no_es_un_relleno(m):
    """The technical opinion per item is an opinion, not a reason (any visible text is one,
    «Cumple.» included), but one U+3164 is none, through the service as on the page: refused
    with the opinion's own message, and no review is written."""
    solicitud = m["en_revision"]
    (p,) = solicitud.partidas.all()
    antes = RevisionArea.objects.count()
    with pytest.raises(ValidationError) as error:
        etapas.revision_area_concluir(
            solicitud=solicitud,
            usuario=u("revisor.computo"),
            area=Area.objects.get(clave="computo"),
            opinion="favorable",
            observaciones="Sin observaciones mayores.",
            partidas={p.pk: {"opinion": RELLENO, "ajustes": {}}},
        )
    assert error.value.messages == [
        str(exceptions.ERROR_OPINION_FALTANTE) % {"partida": p.descripcion}
    ]
    assert RevisionArea.objects.count() == antes
