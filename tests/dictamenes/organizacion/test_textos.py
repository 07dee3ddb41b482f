"""Free text, as people type it (issue 18, finding 5).

Titles and texts accepted control characters (\\x01, ESC) and direction overrides (U+202E,
U+2066) that then reached the public register, the open data, the e-mails and the console
log, and a justification of 2 MB was accepted. Now every text is NFC, a single-line field
refuses control and direction characters, a multi-line one allows only tab and newline, and
every text has a maximum length: on the page's form, in the API and in every service that
calls full_clean()."""

import unicodedata
from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from rest_framework.test import APIClient

from dictamenes.comun import auditoria
from dictamenes.models import Dictamen, EventoAuditoria, Partida, Solicitud
from estandares import entradas
from estandares.models import Categoria, Publicacion, Requisito
from tests.dictamenes.flujo_utils import usuario

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


def datos(**cambios) -> dict:
    return {
        "tipo_operacion": "adquisicion",
        "titulo": "Renovación de equipo",
        "justificacion": "Equipos con más de diez años de uso.",
        "alineacion": "Eje 3: gobierno digital eficiente.",
        "monto_estimado": "250000.00",
        "ejercicio": timezone.localdate().year,
    } | cambios


def api_de(username):
    api = APIClient()
    api.force_authenticate(usuario(username))
    return api


def error_de(caracteres: str) -> str:
    return str(entradas.ERROR_CARACTERES % {"caracteres": caracteres})


# (title sent, the characters the message names)
TITULOS_HOSTILES = {
    "rlo": ("Compra de equipo \u202efdp.exe", "U+202E"),
    "lri": ("Compra \u2066de\u2069 equipo", "U+2066, U+2069"),
    "control": ("Compra\x01 de equipo", "U+0001"),
    "escape": ("Compra \x1b[31mde equipo", "U+001B"),
    "tabulador": ("Compra\tde equipo", "U+0009"),
    "salto": ("Compra\nde equipo", "U+000A"),
    "marca-rtl": ("Compra de equipo\u200f", "U+200F"),
    "separador": ("Compra\u2028de equipo", "U+2028"),
    "nulo": ("Compra\x00de equipo", "U+0000"),
    # Issue 33: the format characters (Unicode category Cf) and the tag block, each as the
    # outside probe sent it.
    "espacio-de-ancho-cero": ("Compra\u200bde equipo", "U+200B"),
    "no-union-de-ancho-cero": ("Compra\u200cde equipo", "U+200C"),
    "union-de-ancho-cero": ("Compra\u200dde equipo", "U+200D"),
    "union-de-palabras": ("Compra\u2060de equipo", "U+2060"),
    "bom": ("\ufeffCompra de equipo", "U+FEFF"),
    "guion-suave": ("Compra de equi\u00adpo", "U+00AD"),
    "etiquetas": ("Compra de equipo\U000e0001\U000e0041\U000e007f", "U+E0001, U+E0041, U+E007F"),
    "etiqueta-sin-asignar": ("Compra de equipo\U000e0000", "U+E0000"),
}


def test_un_titulo_con_caracteres_de_control_o_direccion_se_rechaza(demo, como):
    """Through the page's form and through the API: 400, the Spanish message naming the
    characters, and nothing saved (no request, no audit event)."""
    pagina = como("requirente.sh")
    api = api_de("requirente.sh")
    eventos = EventoAuditoria.objects.count()
    for caso, (titulo, nombrados) in TITULOS_HOSTILES.items():
        en_pagina = pagina.post(reverse("solicitudes:nueva"), datos(titulo=titulo))
        en_api = api.post("/api/v1/solicitudes/", datos(titulo=titulo), format="json")
        assert (en_pagina.status_code, en_api.status_code) == (400, 400), caso
        assert escape(error_de(nombrados)) in en_pagina.content.decode(), caso
        assert error_de(nombrados) in en_api.json()["titulo"], caso
    assert not Solicitud.objects.exists()
    assert EventoAuditoria.objects.count() == eventos


# Titles that show as blank (issue 33): each counts as empty.
TITULOS_EN_BLANCO = {
    "relleno-hangul": "\u3164",
    "braille-en-blanco": "\u2800",
    "rellenos-repetidos": "\u3164\u3164\u3164",
    "braille-repetido": "\u2800 \u2800\u2800",
    "invisibles": "\u200b\ufeff",
    "rellenos-hangul-iniciales": "\u115f\u1160\uffa0",
    "etiquetas": "\U000e0041\U000e007f",
    "selector-de-variante": "\ufe0f\u3164",
}


def test_un_titulo_que_se_ve_en_blanco_cuenta_como_vacio(demo, como):
    """The page says the field is required and the API that it is blank, as for "": a
    person reads nothing, however many characters were sent."""
    pagina = como("requirente.sh")
    api = api_de("requirente.sh")
    eventos = EventoAuditoria.objects.count()
    # What an empty title gets, in each place.
    vacio = pagina.post(reverse("solicitudes:nueva"), datos(titulo=""))
    assert vacio.context["form"].errors["titulo"] == ["Este campo es requerido."]
    vacio = api.post("/api/v1/solicitudes/", datos(titulo=""), format="json")
    assert vacio.json()["titulo"] == ["Este campo no puede estar en blanco."]
    for caso, titulo in TITULOS_EN_BLANCO.items():
        en_pagina = pagina.post(reverse("solicitudes:nueva"), datos(titulo=titulo))
        en_api = api.post("/api/v1/solicitudes/", datos(titulo=titulo), format="json")
        assert (en_pagina.status_code, en_api.status_code) == (400, 400), caso
        assert en_pagina.context["form"].errors["titulo"] == ["Este campo es requerido."], caso
        assert en_api.json()["titulo"] == ["Este campo no puede estar en blanco."], caso
    assert not Solicitud.objects.exists()
    assert EventoAuditoria.objects.count() == eventos


def test_un_titulo_con_relleno_y_letras_se_acepta(demo):
    """Only a title made of nothing but blanks is empty: a filler among letters is refused
    by no rule (it is a letter of Hangul), and a Braille blank between words is kept."""
    respuesta = api_de("requirente.sh").post(
        "/api/v1/solicitudes/", datos(titulo="Equipo\u2800de cómputo"), format="json"
    )
    assert respuesta.status_code == 201
    assert Solicitud.objects.get().titulo == "Equipo\u2800de cómputo"


def test_el_servicio_tambien_cuenta_como_vacio_lo_que_se_ve_en_blanco(demo):
    from dictamenes.tramite.services import solicitudes

    with pytest.raises(ValidationError) as error:
        solicitudes.solicitud_crear(
            usuario=usuario("requirente.sh"),
            datos=datos(titulo="\u3164", monto_estimado=Decimal(1)),
        )
    assert error.value.message_dict["titulo"] == ["Este campo no puede estar en blanco."]
    assert not Solicitud.objects.exists()


def test_un_texto_de_varias_lineas_quita_los_de_formato_y_rechaza_las_etiquetas(demo, como):
    """A justification pasted from a word processor is accepted and stored without its
    format characters (issue 48: it is published): soft hyphen, zero-width space, BOM, word
    joiner, Mongolian vowel separator, interlinear anchor, an emoji's joiner. The tag block
    is refused there too, and a required text of nothing but invisible characters is empty."""
    cliente = como("requirente.sh")
    pegada = (
        "Equi\u00adpos con más\u200b de \ufeffdiez\u2060 años\u180e \ufff9"
        "\U0001f469\u200d\U0001f4bb."
    )
    assert (
        cliente.post(reverse("solicitudes:nueva"), datos(justificacion=pegada)).status_code == 302
    )
    assert (
        Solicitud.objects.get().justificacion
        == "Equipos con más de diez años \U0001f469\U0001f4bb."
    )

    oculta = cliente.post(
        reverse("solicitudes:nueva"),
        datos(justificacion="Equipos con más de diez años\U000e0041\U000e0042"),
    )
    assert oculta.status_code == 400
    assert oculta.context["form"].errors["justificacion"] == [error_de("U+E0041, U+E0042")]
    vacia = cliente.post(reverse("solicitudes:nueva"), datos(justificacion="\u200b\n\u2800"))
    assert vacia.status_code == 400
    assert vacia.context["form"].errors["justificacion"] == ["Este campo es requerido."]
    assert Solicitud.objects.count() == 1


def test_la_importacion_rechaza_los_invisibles_y_un_folio_en_blanco(demo):
    from dictamenes.operacion.services import importacion
    from tests.dictamenes.operacion.test_importacion_historica import _csv, importar

    fila = "2019,SH,adquisicion,2019-03-04,2019-03-15,favorable,{folio},1000,{categorias}"
    with pytest.raises(importacion.ImportacionError) as error:
        importar(
            _csv(
                fila.format(folio="\u3164", categorias=""),
                fila.format(folio="DT-2019-00\u200b2", categorias=""),
                fila.format(folio="DT-2019-003", categorias="Redes\U000e0041"),
            )
        )
    assert error.value.errores == [
        "fila 2, columna «folio»: es obligatoria",
        "fila 3, columna «folio»: tiene caracteres no permitidos: U+200B",
        "fila 4, columna «categorias»: tiene caracteres no permitidos: U+E0041",
    ]
    assert not Solicitud.objects.filter(importada=True).exists()


def test_el_programa_anual_rechaza_una_descripcion_en_blanco_o_con_invisibles(demo):
    from dictamenes.models import LineaPrograma
    from dictamenes.planeacion.services import programa as planeacion
    from tests.dictamenes.planeacion.test_planeacion import ENCABEZADO, importar

    fila = "computadora-escritorio,basico,{},20,300000,5000,51501,3"
    with pytest.raises(planeacion.ProgramaError) as error:
        importar("\n".join((ENCABEZADO, fila.format("\u2800"), fila.format("Laptops\u2060"))))
    assert error.value.errores == [
        "fila 2, columna «descripcion»: falta la descripción",
        f"fila 3, columna «descripcion»: {error_de('U+2060')}",
    ]
    assert not LineaPrograma.objects.exists()


def test_una_justificacion_de_2_mb_se_rechaza_en_la_pagina_y_en_la_api(demo, como):
    # Letters only, so that the form's body stays 2 MB (under the 2.5 MB Django reads).
    enorme = "x" * (2 * MB)
    pagina = como("requirente.sh").post(reverse("solicitudes:nueva"), datos(justificacion=enorme))
    api = api_de("requirente.sh").post(
        "/api/v1/solicitudes/", datos(justificacion=enorme), format="json"
    )
    assert (pagina.status_code, api.status_code) == (400, 400)
    # The field's own message, with the maximum: not Django's "request too big".
    assert "como máximo 10000 caracteres" in pagina.content.decode()
    assert api.json()["justificacion"] == [
        "Asegúrese de que este campo no tenga más de 10000 caracteres."
    ]
    assert not Solicitud.objects.exists()


def test_el_servicio_tambien_limita_el_largo(demo):
    """full_clean() enforces a TextField's maximum too (Django checks it only in forms)."""
    from dictamenes.tramite.services import solicitudes

    with pytest.raises(ValidationError) as error:
        solicitudes.solicitud_crear(
            usuario=usuario("requirente.sh"),
            datos=datos(justificacion="x" * (entradas.LARGO_MAX + 1), monto_estimado=Decimal(1)),
        )
    assert "justificacion" in error.value.message_dict
    assert not Solicitud.objects.exists()


def test_un_titulo_escrito_descompuesto_se_guarda_compuesto(demo, como):
    descompuesto = "Renovacio\u0301n de equipo de co\u0301mputo"
    assert not unicodedata.is_normalized("NFC", descompuesto)
    respuesta = como("requirente.sh").post(reverse("solicitudes:nueva"), datos(titulo=descompuesto))
    assert respuesta.status_code == 302
    solicitud = Solicitud.objects.get()
    assert solicitud.titulo == "Renovación de equipo de cómputo"
    # Found by what a person types with a composed "ó".
    lista = como("mesa").get(reverse("solicitudes:lista"), {"q": "cómputo"})
    assert solicitud in lista.context["pagina"]


def test_el_api_tambien_guarda_compuesto(demo):
    respuesta = api_de("requirente.sh").post(
        "/api/v1/solicitudes/", datos(titulo="Cafe\u0301 de la mesa"), format="json"
    )
    assert respuesta.status_code == 201
    assert respuesta.json()["titulo"] == "Café de la mesa"
    assert Solicitud.objects.get().titulo == "Café de la mesa"


def test_un_texto_de_varias_lineas_conserva_tabuladores_y_saltos(demo, como):
    # A browser sends a textarea's lines joined by CR LF.
    justificacion = "Antecedentes:\r\n\t1. Equipo del 2000.\r\n\t2. Sin garantía.\rFin."
    respuesta = como("requirente.sh").post(
        reverse("solicitudes:nueva"), datos(justificacion=justificacion)
    )
    assert respuesta.status_code == 302
    assert Solicitud.objects.get().justificacion == (
        "Antecedentes:\n\t1. Equipo del 2000.\n\t2. Sin garantía.\nFin."
    )


@pytest.mark.parametrize(
    ("texto", "nombrados"),
    [("Uno\x0bdos", "U+000B"), ("Uno \u202edos", "U+202E"), ("Uno\x7f", "U+007F")],
)
def test_un_texto_de_varias_lineas_rechaza_los_demas_caracteres(demo, como, texto, nombrados):
    respuesta = como("requirente.sh").post(reverse("solicitudes:nueva"), datos(justificacion=texto))
    assert respuesta.status_code == 400
    assert escape(error_de(nombrados)) in respuesta.content.decode()
    assert not Solicitud.objects.exists()


# --- The audit chain: the free text of an event ---------------------------------------------


def test_un_evento_con_texto_descompuesto_conserva_su_cadena(db):
    """The service hashes an event before full_clean() normalises it: the model normalises as
    the event is built, so the stored text is the hashed one and the chain holds."""
    with transaction.atomic():
        evento = auditoria.evento_registrar(
            tipo="prueba",
            descripcion="Revisio\u0301n",
            motivo="Lí\u0301nea uno\r\nlínea dos",
        )
    guardado = EventoAuditoria.objects.get(pk=evento.pk)
    assert guardado.descripcion == "Revisión"
    assert guardado.motivo == "Lí\u0301nea uno\nlínea dos".replace("i\u0301", "í")
    assert auditoria.cadena_verificar().integra


def test_un_evento_con_caracteres_de_direccion_no_se_registra(db):
    antes = EventoAuditoria.objects.count()
    with pytest.raises(ValidationError) as error, transaction.atomic():
        auditoria.evento_registrar(tipo="prueba", descripcion="Bien", motivo="mal \u202e")
    assert error_de("U+202E") in error.value.message_dict["motivo"]
    assert EventoAuditoria.objects.count() == antes


def test_un_evento_leido_de_la_base_no_se_normaliza():
    """An old event is read as stored, so that its hash is checked against its own bytes."""
    crudo = EventoAuditoria.from_db("default", ["motivo"], ["e\u0301"])
    assert crudo.motivo == "e\u0301"


def test_un_motivo_firmado_se_guarda_tal_como_se_firmo(demo):
    """A cancellation's reason goes into its cadena (its SHA-256) before the row is saved:
    it is normalised first (CR LF read as LF), so the stored reason is exactly the one signed."""
    import hashlib

    from dictamenes.emision.services import rectificacion
    from tests.dictamenes.flujo_utils import credencial, en_firma, firmar

    dictamen = firmar(en_firma())
    motivo = "Error de captura.\r\nSe emitirá uno nuevo."
    rectificacion.dictamen_cancelar(
        dictamen=dictamen, usuario=usuario("firmante"), credencial=credencial(), motivo=motivo
    )
    dictamen.refresh_from_db()
    assert dictamen.motivo_cancelacion == "Error de captura.\nSe emitirá uno nuevo."
    huella = hashlib.sha256(dictamen.motivo_cancelacion.encode()).hexdigest()
    assert huella in dictamen.cadena_cancelacion.split("|")


# --- Every text field people type into --------------------------------------------------------

MODELOS_DE_TEXTO = [
    (Solicitud, ["titulo"], ["justificacion", "alineacion"]),
    (Partida, ["descripcion"], []),
    (Dictamen, ["firmante_nombre", "firmante_cargo"], ["condiciones", "motivos"]),
    (EventoAuditoria, ["descripcion"], ["motivo"]),
    (Publicacion, ["titulo", "version"], ["notas"]),
    (Categoria, ["nombre"], ["descripcion"]),
    (Requisito, ["nombre", "fundamento", "ayuda"], []),
]


@pytest.mark.parametrize(("modelo", "cortos", "largos"), MODELOS_DE_TEXTO, ids=str)
def test_cada_texto_tiene_su_tipo_y_un_maximo(modelo, cortos, largos):
    for nombre in cortos:
        campo = modelo._meta.get_field(nombre)
        assert isinstance(campo, entradas.TextoCorto), nombre
        assert entradas.UNA_LINEA in campo.validators
    for nombre in largos:
        campo = modelo._meta.get_field(nombre)
        assert isinstance(campo, entradas.TextoLargo), nombre
        assert entradas.VARIAS_LINEAS in campo.validators
        assert campo.max_length
        assert any(getattr(v, "limit_value", None) == campo.max_length for v in campo.validators)


def test_ningun_campo_de_texto_libre_se_queda_sin_tipo():
    """A CharField or TextField added later is either a TextoCorto/TextoLargo or listed here
    as internal (codes, hashes, folios, signatures, machine-written text)."""
    from django.apps import apps

    internos = {
        "dictamenes.Consecutivo.serie",
        "dictamenes.EventoAuditoria.tipo",
        "dictamenes.EventoAuditoria.anterior_hash",
        "dictamenes.EventoAuditoria.hash",
        "dictamenes.Aviso.asunto",
        "dictamenes.Aviso.mensaje",
        "dictamenes.Aviso.html",
        "dictamenes.Aviso.ultimo_error",
        "dictamenes.Ente.tipo",
        "dictamenes.Perfil.rfc",
        "dictamenes.Perfil.curp",
        # What an identity provider asserted (dictamenes.personas.services.identidad), never typed.
        "dictamenes.AccesoPendiente.proveedor",
        "dictamenes.AccesoPendiente.proveedor_nombre",
        "dictamenes.AccesoPendiente.uid",
        "dictamenes.AccesoPendiente.curp",
        "dictamenes.AccesoPendiente.nombre",
        "dictamenes.PlazoEtapa.etapa",
        # Issue 80: a sign's code and what was done about it, chosen from lists; a supplier's key
        # (precios.reglas.nombre_normalizado of a name); the keyed hash of who signs a quote;
        # the quote's phone, stored as its ten digits by the quote service
        # (cotizaciones.services.telefono_normalizado), never as typed.
        "dictamenes.Senal.codigo",
        "dictamenes.Senal.atencion",
        "dictamenes.SenalProveedor.clave",
        "dictamenes.Cotizacion.firmante_huella",
        "dictamenes.Cotizacion.telefono",
        # Issue 88: the supplier's RFC, stored compact and in capitals by the door
        # (estandares.identidad.proveedor_rfc_leer) after its check digit is validated; a code,
        # never free text.
        "dictamenes.Cotizacion.proveedor_rfc",
        "dictamenes.Contrato.proveedor_rfc",
        # A periodic command's run (operacion.services.corridas): its name, its result code and
        # what the command said, written by the wrapper, never typed.
        "dictamenes.CorridaPeriodica.nombre",
        "dictamenes.CorridaPeriodica.resultado",
        "dictamenes.CorridaPeriodica.mensaje",
        # The review track: a code the rule chooses from a list (tramite.selectors.vias), never
        # typed.
        "dictamenes.Solicitud.via",
        "dictamenes.ConfiguracionVias.fraccion_criterio",
        # Price (issue 62): codes chosen from a list (the unit, the method, the source), never
        # typed.
        "dictamenes.ConfiguracionVias.precio_metodo",
        # Issue 76: the strategic reviewer's word on a contract and the law's central value,
        # codes chosen from a list, never typed.
        "dictamenes.Contrato.autorizacion",
        "dictamenes.ConfiguracionVias.ley_centro",
        "dictamenes.Partida.unidad",
        "dictamenes.PrecioObservado.unidad",
        "dictamenes.PrecioObservado.fuente",
        "dictamenes.ReferenciaPrecio.unidad",
        "dictamenes.Dictamen.folio",
        "dictamenes.TextosInstitucionales.membrete_imagen_sha256",
        "dictamenes.Dictamen.resultado",
        "dictamenes.DecisionPartida.resultado",
        "dictamenes.Dictamen.contenido_sha256",
        # The kept capacity plan's key: a SHA-256 the code computes (issue 64), never typed.
        "dictamenes.PlanGuardado.clave",
        "dictamenes.Dictamen.cadena_original",
        "dictamenes.Dictamen.sello",
        "dictamenes.Dictamen.certificado_numero",
        "dictamenes.Dictamen.certificado_rfc",
        "dictamenes.Dictamen.certificado_pem",
        "dictamenes.Dictamen.pdf_sha256",
        "dictamenes.PdfAnterior.sha256",
        # An open-data address and the hash of its bytes (publico.huellas), never typed.
        "dictamenes.HuellaConjunto.clave",
        "dictamenes.HuellaConjunto.sha256",
        # An OCDS release as published, JSON the site wrote (publico.ocds.entregas).
        "dictamenes.EntregaOCDS.entrega",
        "dictamenes.EntregaOCDSHistorica.hecho",
        "dictamenes.EntregaOCDSHistorica.entrega",
        "dictamenes.Condicion.estado",
        "dictamenes.CambioPendiente.tipo",
        "dictamenes.CambioPendiente.estado",
        "dictamenes.Ausencia.motivo",  # one of its choices (issue 50)
        # One of its choices, the article before each name (issue 61).
        "dictamenes.TextosInstitucionales.institucion_articulo",
        "dictamenes.TextosInstitucionales.unidad_resuelve_articulo",
        "dictamenes.TextosInstitucionales.unidad_firma_articulo",
        "dictamenes.EvidenciaCondicion.content_type",
        "dictamenes.EvidenciaCondicion.sha256",
        "dictamenes.RespuestaEncuesta.etapa_final",
        "dictamenes.RespuestaEnEspera.etapa_final",
        "dictamenes.Dictamen.cadena_cancelacion",
        "dictamenes.Dictamen.sello_cancelacion",
        "dictamenes.LineaPrograma.capitulo",
        "dictamenes.LineaPrograma.partida_especifica",
        "dictamenes.Solicitud.folio",
        "dictamenes.Solicitud.tipo_operacion",
        "dictamenes.Solicitud.estado",
        "dictamenes.Solicitud.resultado",
        "dictamenes.Partida.capitulo",
        "dictamenes.Partida.partida_especifica",
        "dictamenes.Partida.veredicto",
        "dictamenes.Anexo.tipo",
        "dictamenes.Anexo.content_type",
        "dictamenes.Anexo.sha256",
        "dictamenes.RevisionArea.opinion",
        "estandares.Publicacion.estado",
        "estandares.Requisito.clave",
        "estandares.Requisito.tipo",
        "estandares.Requisito.unidad",
    }
    sin_tipo = []
    for app in ("dictamenes", "estandares"):
        for modelo in apps.get_app_config(app).get_models():
            for campo in modelo._meta.local_concrete_fields:
                nombre = f"{app}.{modelo.__name__}.{campo.name}"
                es_texto = type(campo) in (models.CharField, models.TextField)
                if es_texto and nombre not in internos:
                    sin_tipo.append(nombre)
    assert sin_tipo == []


# --- The form fields for plain forms -----------------------------------------------------------


class Formulario(forms.Form):
    nombre = entradas.TextoCortoField(label="Nombre", max_length=20)
    motivo = entradas.TextoLargoField(label="Motivo", required=False)


@pytest.mark.parametrize(
    ("datos_", "limpios"),
    [
        ({"nombre": "  Jose\u0301 "}, {"nombre": "José", "motivo": ""}),
        ({"nombre": "A", "motivo": "uno\r\n\tdos\r"}, {"nombre": "A", "motivo": "uno\n\tdos"}),
    ],
)
def test_los_campos_de_formulario_normalizan(datos_, limpios):
    formulario = Formulario(datos_)
    assert formulario.is_valid(), formulario.errors
    assert formulario.cleaned_data == limpios


def test_los_campos_de_formulario_rechazan_y_limitan():
    formulario = Formulario({"nombre": "a\u202eb", "motivo": "x" * (entradas.LARGO_MAX + 1)})
    assert not formulario.is_valid()
    assert formulario.errors["nombre"] == [error_de("U+202E")]
    assert "como máximo 10000 caracteres" in formulario.errors["motivo"][0]
    # NUL is named once, by ours, not again by Django's own validator.
    assert Formulario({"nombre": "a\x00"}).errors["nombre"] == [error_de("U+0000")]


def test_el_mensaje_nombra_a_lo_mas_cinco_caracteres():
    texto = "".join(chr(c) for c in range(1, 9))
    assert entradas.caracteres_prohibidos(texto, multilinea=False) == list(texto)
    with pytest.raises(ValidationError) as error:
        entradas.UNA_LINEA(texto)
    assert error.value.messages == [error_de("U+0001, U+0002, U+0003, U+0004, U+0005")]


@pytest.mark.parametrize(
    ("campo", "valor", "mensaje"),
    [
        ("monto_estimado", "-1", "El monto debe ser mayor que cero."),
        ("monto_estimado", "0", "El monto debe ser mayor que cero."),
        # The current fiscal year or the next (issue 59, item 5; it said 2020 to 2100).
        ("ejercicio", "0", "El ejercicio fiscal de una solicitud es el actual"),
        ("ejercicio", "32767", "El ejercicio fiscal de una solicitud es el actual"),
    ],
)
def test_la_pagina_rechaza_el_monto_y_el_ejercicio_que_la_api_rechaza(
    demo, como, campo, valor, mensaje
):
    """The API's schema says amount > 0 and a fiscal year from 2020 to 2100 (issue 20); the
    page now refuses the same values, with the message in Spanish and nothing saved."""
    # tests/dictamenes/test_api.py::test_la_api_rechaza_lo_que_el_esquema_no_permite: the API.
    pagina = como("requirente.sh").post(reverse("solicitudes:nueva"), datos(**{campo: valor}))
    assert pagina.status_code == 400
    assert mensaje in pagina.content.decode()
    assert not Solicitud.objects.exists()


# --- The API's schema says the same ------------------------------------------------------------

# Each character of the issue and its neighbours, alone, after a letter, and between letters.
RAROS = [
    *"\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u3164\u2800\u115f\u1160\uffa0\ufe0f\u034f",
    "\U000e0000",
    "\U000e0001",
    "\U000e0041",
    "\U000e007f",
    "\U000e0080",
    "\U000e0100",
    "\U0001f469",
    "\u202e",
    "\x01",
    "\t",
    " ",
    "é",
]


@pytest.mark.parametrize("multilinea", [False, True], ids=["una-linea", "varias-lineas"])
def test_el_patron_del_esquema_acepta_lo_mismo_que_el_campo(multilinea):
    """Schemathesis builds valid bodies from the pattern: for every character of the issue
    the pattern and TextoApi (a required text) agree, so that nothing the schema allows is
    refused and nothing it forbids is taken."""
    import re

    from rest_framework import serializers

    from dictamenes.api.campos import TextoApi, patron_texto

    patron = re.compile(patron_texto(multilinea=multilinea))
    campo = TextoApi(multilinea=multilinea, max_length=100)
    for raro in RAROS:
        for texto in (raro, raro * 3, f"a{raro}", f"{raro}a", f"a{raro}b"):
            try:
                campo.run_validation(texto)
                aceptado = True
            except (serializers.ValidationError, ValidationError):
                aceptado = False
            assert bool(patron.fullmatch(texto)) == aceptado, (multilinea, texto)


# --- Account names ------------------------------------------------------------------------------


def test_el_nombre_de_una_cuenta_en_el_admin_rechaza_los_invisibles(demo, client):
    from tests.conftest import entrar

    mesa = usuario("auditor")  # no procedural role: its names are edited in the admin
    nombre = mesa.first_name
    entrar(client, "admin")
    respuesta = client.post(
        reverse("admin:auth_user_change", args=[mesa.pk]),
        {
            "username": mesa.username,
            "first_name": "Ana\u200b",
            "last_name": "\U000e0041Ruiz",
            "email": mesa.email,
            "is_active": "on",
        },
    )
    assert respuesta.status_code == 200
    errores = respuesta.context["adminform"].form.errors
    assert errores["first_name"] == [error_de("U+200B")]
    assert errores["last_name"] == [error_de("U+E0041")]
    mesa.refresh_from_db()
    assert mesa.first_name == nombre


def test_el_nombre_que_afirma_el_proveedor_se_guarda_sin_invisibles(demo):
    """A name nobody here typed cannot be sent back: its invisible characters are dropped,
    and a name that shows as blank is no name (the pending access shows its e-mail)."""
    from dictamenes.models import AccesoPendiente
    from dictamenes.personas.services import identidad

    def pendiente(uid, nombre):
        with pytest.raises(identidad.AccesoEnEspera) as espera:
            identidad.entrada_resolver(
                identidad=identidad.Identidad(
                    proveedor="Llave Sonora",
                    clave="llave",
                    uid=uid,
                    correo=f"{uid}@sonora.invalid",
                    correo_verificado=True,
                    nombre=nombre,
                )
            )
        return AccesoPendiente.objects.get(pk=espera.value.pendiente.pk)

    uno = pendiente("uno", "Ana\u200b Ruiz\u202e\U000e0041\ufeff")
    assert uno.nombre == "Ana Ruiz"
    dos = pendiente("dos", "\u3164\u200b")
    assert (dos.nombre, str(dos)) == ("", "dos@sonora.invalid")


def test_texto_limpiar():
    assert entradas.texto_limpiar("  Jose\u0301\u00ad Pe\u200drez\t") == "José Perez"
    assert entradas.texto_limpiar("\u2800\u3164") == ""
    assert entradas.texto_limpiar("Uno\r\ndos\u200b", multilinea=True) == "Uno\ndos"
