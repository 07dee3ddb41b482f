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

from dictamenes.models import Dictamen, EventoAuditoria, Partida, Solicitud
from dictamenes.services import auditoria
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
    from dictamenes.services import solicitudes

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

    from dictamenes.services import rectificacion
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
        "dictamenes.Aviso.ultimo_error",
        "dictamenes.Ente.tipo",
        "dictamenes.Perfil.rfc",
        "dictamenes.Perfil.curp",
        # What an identity provider asserted (dictamenes.services.identidad), never typed.
        "dictamenes.AccesoPendiente.proveedor",
        "dictamenes.AccesoPendiente.proveedor_nombre",
        "dictamenes.AccesoPendiente.uid",
        "dictamenes.AccesoPendiente.curp",
        "dictamenes.AccesoPendiente.nombre",
        "dictamenes.PlazoEtapa.etapa",
        "dictamenes.Dictamen.folio",
        "dictamenes.Dictamen.resultado",
        "dictamenes.Dictamen.contenido_sha256",
        "dictamenes.Dictamen.cadena_original",
        "dictamenes.Dictamen.sello",
        "dictamenes.Dictamen.certificado_numero",
        "dictamenes.Dictamen.certificado_rfc",
        "dictamenes.Dictamen.certificado_pem",
        "dictamenes.Dictamen.pdf_sha256",
        "dictamenes.PdfAnterior.sha256",
        "dictamenes.Condicion.estado",
        "dictamenes.CambioPendiente.tipo",
        "dictamenes.CambioPendiente.estado",
        "dictamenes.EvidenciaCondicion.content_type",
        "dictamenes.EvidenciaCondicion.sha256",
        "dictamenes.RespuestaEncuesta.etapa_final",
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
        ("ejercicio", "0", "mayor o igual a 2020"),
        ("ejercicio", "32767", "menor o igual a 2100"),
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
