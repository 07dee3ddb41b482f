"""Specifications of the wrong type for the compliance engine (item form, public
self-assessment, API) and malformed, expired, foreign or mismatched e.firmas at signing.

How the world is built and what is counted: the package docstring (hostiles/__init__.py)."""

import datetime
import json

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.x509.oid import NameOID
from django import forms
from django.conf import settings
from django.core import validators
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from config.parsers import (
    ERROR_JSON_CODIFICACION,
    ERROR_JSON_PROFUNDO,
    ERROR_JSON_SINTAXIS,
    ERROR_JSON_VALOR,
)
from demo import autoridades, efirma_pruebas
from dictamenes import montos
from dictamenes.emision.documentos import efirma
from dictamenes.models import (
    Consecutivo,
    Dictamen,
    Partida,
    Solicitud,
)
from estandares import entradas
from tests.dictamenes.flujo_utils import (
    archivos_efirma,
    usuario,
)
from tests.seguridad.hostiles.datos import (
    HTML,
    VACIO,
    _max_entero_positivo,
    basura,
    enviar,
    html_de,
    nombre_de_archivo,
    sin_marcado_crudo,
    subir,
)

pytestmark = pytest.mark.django_db


# === 3. Specifications of the wrong type ========================================================


def _mensaje_decimal(clave):
    return {
        "invalido": forms.DecimalField.default_error_messages["invalid"],
        "digitos": validators.DecimalValidator.messages["max_digits"] % {"max": 14},
        "decimales": validators.DecimalValidator.messages["max_decimal_places"] % {"max": 4},
    }[clave]


def _opcion_invalida(valor):
    return forms.ChoiceField.default_error_messages["invalid_choice"] % {"value": valor}


# (field of EspecificacionesForm, value, expected message)
ESPECIFICACIONES = {
    "texto-por-numero": ("ram", "mucho", lambda: _mensaje_decimal("invalido")),
    "nan": ("ram", "NaN", lambda: _mensaje_decimal("invalido")),
    "infinito": ("ram", "Infinity", lambda: _mensaje_decimal("invalido")),
    "enorme": ("ram", "1e400", lambda: _mensaje_decimal("digitos")),
    "cien-mil-digitos": ("ram", "9" * 100_000, lambda: _mensaje_decimal("digitos")),
    "demasiados-decimales": ("ram", "0.00001", lambda: _mensaje_decimal("decimales")),
    "unidad-inexistente": ("ram__unidad", "XB", lambda: _opcion_invalida("XB")),
    "opcion-fuera-de-lista": ("tipo_almacenamiento", HTML, lambda: _opcion_invalida(HTML)),
    "declaracion-de-100k": (
        "licencia_sistema_operativo",
        "x" * 100_000,
        lambda: (
            validators.MaxLengthValidator.message % {"limit_value": 4000, "show_value": 100_000}
        ),
    ),
}


def _validas(prefijo=""):
    return {
        f"{prefijo}nucleos_cpu": "8",
        f"{prefijo}ram": "16",
        f"{prefijo}almacenamiento": "512",
        f"{prefijo}tipo_almacenamiento": "SSD",
        f"{prefijo}garantia_sitio": "3",
        f"{prefijo}licencia_sistema_operativo": "Incluida.",
    }


def _partida(mundo, **cambios):
    return {
        "perfil": mundo.ids["perfil"],
        "descripcion": "Equipos de ventanilla",
        "cantidad": "2",
        "precio_unitario": "10000.00",
        "capitulo": "5000",
        "partida_especifica": "51501",
        "guardar": "1",
        **_validas("esp-"),
        **cambios,
    }


CAMPOS_DE_PARTIDA = {
    "perfil-texto": (
        "perfil",
        "abc",
        lambda: forms.ModelChoiceField.default_error_messages["invalid_choice"],
    ),
    "cantidad-negativa": (
        "cantidad",
        "-1",
        lambda: validators.MinValueValidator.message % {"limit_value": 0},
    ),
    "cantidad-enorme": (
        "cantidad",
        "9" * 20,
        lambda: validators.MaxValueValidator.message % {"limit_value": _max_entero_positivo()},
    ),
    "precio-nan": (
        "precio_unitario",
        "NaN",
        # Only the digits 0-9 and one point make an amount (issue 48): NaN is not one.
        lambda: montos.ERROR_MONTO_DIGITOS,
    ),
    "capitulo-inexistente": ("capitulo", "6000", lambda: _opcion_invalida("6000")),
    "partida-con-ruta": (
        "partida_especifica",
        "../1",
        lambda: "Use los 4 o 5 dígitos de la partida.",
    ),
    # Issue 18: direction and control characters, in a single-line and a multi-line text.
    "descripcion-rlo": (
        "descripcion",
        "Equipo \u202efdp.exe",
        lambda: entradas.ERROR_CARACTERES % {"caracteres": "U+202E"},
    ),
    "declaracion-aislada": (
        "esp-licencia_sistema_operativo",
        "Incluida \u2066y\u2069 \x1b[31m",
        lambda: entradas.ERROR_CARACTERES % {"caracteres": "U+2066, U+2069, U+001B"},
    ),
}


# The item's page: the specifications (prefixed "esp-") and the item's own fields.
EN_LA_PARTIDA = {
    **{caso: (f"esp-{campo}", valor, m) for caso, (campo, valor, m) in ESPECIFICACIONES.items()},
    **CAMPOS_DE_PARTIDA,
}


@pytest.mark.parametrize("caso", EN_LA_PARTIDA, ids=str)
def test_dato_hostil_en_la_partida(mundo, caso):
    campo, valor, mensaje = EN_LA_PARTIDA[caso]
    cliente = mundo.cliente("requirente.sh")
    url = reverse("solicitudes:partida_nueva", args=[mundo.ids["borrador"]])
    respuesta, antes, despues = enviar(
        "especificaciones", lambda: cliente.post(url, _partida(mundo, **{campo: valor}))
    )
    assert respuesta.status_code == 400
    assert escape(str(mensaje())) in html_de(respuesta)
    sin_marcado_crudo(html_de(respuesta))
    assert despues == antes


def test_modificar_una_partida_con_especificacion_hostil_no_la_cambia(mundo):
    borrador = Solicitud.objects.get(pk=mundo.ids["borrador"])
    partida = borrador.partidas.get()
    url = reverse("solicitudes:partida", args=[borrador.pk, partida.pk])
    datos = _partida(mundo, **{"esp-ram": "NaN", "version": partida.version})
    respuesta, antes, despues = enviar(
        "especificaciones", lambda: mundo.cliente("requirente.sh").post(url, datos)
    )
    assert respuesta.status_code == 400
    assert str(_mensaje_decimal("invalido")) in html_de(respuesta)
    assert despues == antes
    partida_despues = Partida.objects.get(pk=partida.pk)
    assert partida_despues.especificaciones == partida.especificaciones


@pytest.mark.parametrize("caso", ESPECIFICACIONES, ids=str)
def test_especificacion_hostil_en_la_autoevaluacion_publica(mundo, caso):
    """The public page re-renders its form with the error (200, as it does for any invalid
    form) and shows no result."""
    clave, valor, mensaje = ESPECIFICACIONES[caso]
    datos = {"perfil": mundo.ids["perfil"], **_validas(), clave: valor}
    respuesta, antes, despues = enviar(
        "especificaciones",
        lambda: mundo.clientes[None].post(reverse("estandares:autoevaluacion"), datos),
    )
    assert respuesta.status_code == 200
    html = html_de(respuesta)
    assert escape(str(mensaje())) in html
    assert 'id="resultado"' not in html
    sin_marcado_crudo(html)
    assert despues == antes


@pytest.mark.parametrize(
    ("perfil", "error"),
    [
        ("abc", entradas.ERROR_ENTERO),
        ("1e3", entradas.ERROR_ENTERO),
        ("9" * 30, entradas.ERROR_ENTERO_GRANDE),
        ("-1", entradas.ERROR_ENTERO),
        ("١٢", entradas.ERROR_ENTERO),
    ],
)
def test_perfil_hostil_en_la_autoevaluacion(mundo, perfil, error):
    """A profile number that is not one: 400 and the reason on the page (issue 18)."""
    respuesta, antes, despues = enviar(
        "especificaciones",
        lambda: mundo.clientes[None].post(reverse("estandares:autoevaluacion"), {"perfil": perfil}),
    )
    assert respuesta.status_code == 400
    assert escape(f"Perfil: {error}") in html_de(respuesta)
    assert despues == antes


def test_perfil_inexistente_en_la_autoevaluacion(mundo):
    grande = "9" * 18  # a number a column holds, of no profile
    respuesta, antes, despues = enviar(
        "especificaciones",
        lambda: mundo.clientes[None].post(reverse("estandares:autoevaluacion"), {"perfil": grande}),
    )
    assert respuesta.status_code == 404
    assert "Página no encontrada" in html_de(respuesta)
    assert despues == antes


# Values the form cannot even express: the API takes JSON of any shape. The engine marks
# what it cannot read "revision" (a person decides), with its reason in Spanish.
API_REVISION = {
    "texto-por-numero": ("ram", "mucho", "no es un número"),
    "lista": ("ram", [16, "GB"], "no es un número"),
    "objeto": ("ram", {"valor": {"x": 1}}, "no es un número"),
    "nan-en-texto": ("ram", {"valor": "NaN"}, "no es un número utilizable"),
    "infinito-en-texto": ("ram", {"valor": "Infinity"}, "no es un número utilizable"),
    "exponente-gigante": (
        "ram",
        {"valor": "1E+999999999", "unidad": "TB"},
        "no es un número utilizable",
    ),
    "float-infinito": ("ram", "__1e999__", "no es un número utilizable"),
    "entero-de-4000-digitos": ("ram", 10**4000, "no es un número utilizable"),
    "cien-mil-digitos": ("ram", "9" * 100_000, "no es un número utilizable"),
    "unidad-lista": ("ram", {"valor": 16, "unidad": ["GB"]}, "no es válida"),
    "booleano-por-numero": ("ram", True, "no es un número"),
    "numero-por-declaracion": ("licencia_sistema_operativo", 12345, "debe ser un texto"),
    "lista-por-opcion": ("tipo_almacenamiento", ["SSD"], "no es una de las opciones"),
}


def _evaluar(mundo, cuerpo, **kwargs):
    url = f"/api/v1/estandares/perfiles/{mundo.ids['perfil']}/evaluar/"
    return mundo.clientes[None].post(url, cuerpo, content_type="application/json", **kwargs)


@pytest.mark.parametrize("caso", API_REVISION, ids=str)
def test_especificacion_hostil_en_la_api_va_a_revision_humana(mundo, caso):
    clave, valor, motivo = API_REVISION[caso]
    # 1e999 is a valid JSON number that Python reads as infinity; json.dumps would write it
    # as Infinity, which is not JSON, so it goes in literally.
    cuerpo = json.dumps({"especificaciones": {**_validas(), clave: valor}})
    cuerpo = cuerpo.replace('"__1e999__"', "1e999")
    respuesta, antes, despues = enviar("especificaciones", lambda: _evaluar(mundo, cuerpo))
    assert respuesta.status_code == 200
    resultado = {r["clave"]: r for r in respuesta.json()["resultados"]}[clave]
    assert resultado["resultado"] == "revision"
    assert resultado["motivo"].startswith("No se pudo evaluar:")
    assert motivo in resultado["motivo"]
    assert len(resultado["valor"]) <= 200
    assert respuesta.json()["veredicto"] == "revision"
    assert despues == antes


def test_opcion_hostil_en_la_api_no_cumple_y_vuelve_como_dato(mundo):
    cuerpo = json.dumps({"especificaciones": {**_validas(), "tipo_almacenamiento": HTML}})
    respuesta, antes, despues = enviar("especificaciones", lambda: _evaluar(mundo, cuerpo))
    assert respuesta.status_code == 200
    assert respuesta["Content-Type"].startswith("application/json")
    resultado = {r["clave"]: r for r in respuesta.json()["resultados"]}["tipo_almacenamiento"]
    assert resultado["resultado"] == "no_cumple"
    assert resultado["valor"] == HTML
    assert despues == antes


API_400 = {
    "nan-literal": (b'{"especificaciones": {"ram": NaN}}', ERROR_JSON_VALOR),
    "entero-de-5000-digitos": (
        b'{"especificaciones": {"ram": ' + b"9" * 5000 + b"}}",
        ERROR_JSON_VALOR,
    ),
    "anidado-sin-fin": (
        b'{"especificaciones": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        ERROR_JSON_PROFUNDO,
    ),
    "json-roto": (b'{"especificaciones": {', ERROR_JSON_SINTAXIS % {"linea": 1, "columna": 23}),
    "latin1": ('{"especificaciones": {"ram": "año"}}'.encode("latin-1"), ERROR_JSON_CODIFICACION),
    "lista-en-lugar-de-objeto": (
        b'{"especificaciones": [1, 2]}',
        "«especificaciones» debe ser un objeto {clave: valor}.",
    ),
}


@pytest.mark.parametrize("caso", API_400, ids=str)
def test_cuerpo_hostil_en_la_api_da_400_en_espanol(mundo, caso):
    cuerpo, mensaje = API_400[caso]
    respuesta, antes, despues = enviar("especificaciones", lambda: _evaluar(mundo, cuerpo))
    assert respuesta.status_code == 400
    assert str(mensaje) in json.dumps(respuesta.json(), ensure_ascii=False)
    assert despues == antes


# === 4. e.firma at the signing step ==============================================================


def _ca_demo():
    carpeta = settings.DICTAMENES_EFIRMA_DEMO_DIR
    return (
        x509.load_der_x509_certificate((carpeta / "ca-demo.cer").read_bytes()),
        serialization.load_pem_private_key((carpeta / "ca-demo.key").read_bytes(), None),
    )


def _demo(extension) -> bytes:
    return (settings.DICTAMENES_EFIRMA_DEMO_DIR / f"firmante{extension}").read_bytes()


def _rfc_firmante() -> str:
    return usuario("firmante").perfil.rfc


def _otra(*, ca=None, rfc=None, **kwargs):
    return efirma_pruebas.generar_efirma(
        ca=ca or _ca_demo(),
        nombre="PERSONA DE PRUEBA",
        rfc=rfc or _rfc_firmante(),
        curp="XEXX010101HSRXXX09",
        contrasena="otra-clave",
        **kwargs,
    )


def _certificado(publica, atributos) -> bytes:
    """A certificate from the trusted test CA, fit for signing, for any key and subject."""
    ca_cert, ca_llave = _ca_demo()
    ahora = datetime.datetime.now(datetime.UTC)
    uso = dict.fromkeys(
        [
            "content_commitment",
            "key_encipherment",
            "data_encipherment",
            "key_agreement",
            "key_cert_sign",
            "crl_sign",
            "encipher_only",
            "decipher_only",
        ],
        False,
    )
    return (
        x509.CertificateBuilder()
        .subject_name(x509.Name(atributos))
        .issuer_name(ca_cert.subject)
        .public_key(publica)
        .serial_number(x509.random_serial_number())
        .not_valid_before(ahora - datetime.timedelta(days=1))
        .not_valid_after(ahora + datetime.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, **uso), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_llave.public_key()),
            critical=False,
        )
        .sign(ca_llave, hashes.SHA256())
        .public_bytes(serialization.Encoding.DER)
    )


def _cifrada(llave, contrasena=b"otra-clave") -> bytes:
    return llave.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(contrasena),
    )


def _sin_rfc():
    llave = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cer = _certificado(llave.public_key(), [x509.NameAttribute(NameOID.COMMON_NAME, "SIN RFC")])
    return {"cer": cer, "key": _cifrada(llave), "contrasena": "otra-clave"}


def _algoritmo_desconocido():
    cer = bytearray(_demo(".cer"))
    oid_rsa = bytes.fromhex("2a864886f70d010101")  # rsaEncryption
    posicion = cer.index(oid_rsa) + len(oid_rsa) - 1
    cer[posicion] ^= 0x7F  # 1.2.840.113549.1.1.126: no algorithm anyone knows
    return {"cer": bytes(cer)}


def _llave_pkcs1():
    llave = serialization.load_der_private_key(_demo(".key"), b"efirma-demo-2026")
    return llave.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )


def _vencida():
    ahora = datetime.datetime.now(datetime.UTC)
    return _otra(
        desde=ahora - datetime.timedelta(days=800), hasta=ahora - datetime.timedelta(days=2)
    )


def _futura():
    ahora = datetime.datetime.now(datetime.UTC)
    return _otra(
        desde=ahora + datetime.timedelta(days=2), hasta=ahora + datetime.timedelta(days=800)
    )


def _par(e):
    return {"cer": e.cer, "key": e.key, "contrasena": e.contrasena}


def _fecha(momento):
    return f"{momento:%d/%m/%Y}"


# name → (what replaces the firmante's own files, the expected Spanish message)
EFIRMAS = {
    "cer-aleatorio": (lambda: {"cer": basura(1500)}, lambda e: efirma.ERROR_CER),
    "cer-de-algoritmo-desconocido": (_algoritmo_desconocido, lambda e: efirma.ERROR_CER),
    "cer-ed25519-con-llave-rsa": (
        lambda: {
            "cer": _certificado(
                ed25519.Ed25519PrivateKey.generate().public_key(),
                [x509.NameAttribute(NameOID.COMMON_NAME, "ED25519")],
            )
        },
        lambda e: efirma.ERROR_LLAVE_NO_CORRESPONDE,
    ),
    "key-pkcs1-sin-cifrar": (lambda: {"key": _llave_pkcs1()}, lambda e: efirma.ERROR_KEY),
    "key-aleatoria": (
        lambda: {"key": b"\x30\x82\x04\x00" + basura(1200)},
        lambda e: efirma.ERROR_KEY,
    ),
    "key-de-curva-eliptica": (
        lambda: {
            "key": _cifrada(ec.generate_private_key(ec.SECP256R1()), b"efirma-demo-2026"),
        },
        lambda e: efirma.ERROR_NO_RSA,
    ),
    "key-de-otra-persona": (
        lambda: {"key": _otra().key, "contrasena": "otra-clave"},
        lambda e: efirma.ERROR_LLAVE_NO_CORRESPONDE,
    ),
    "contrasena-equivocada": (
        lambda: {"contrasena": "no-es-la-clave"},
        lambda e: efirma.ERROR_CONTRASENA,
    ),
    "p12-contrasena-equivocada": (
        lambda: {"cer": None, "key": None, "p12": _demo(".p12"), "contrasena": "no-es"},
        lambda e: efirma.ERROR_P12,
    ),
    "p12-aleatorio": (
        lambda: {"cer": None, "key": None, "p12": basura(3000)},
        lambda e: efirma.ERROR_P12,
    ),
    "vencida": (
        lambda: _par(_vencida()),
        lambda e: (
            efirma.ERROR_VENCIDO
            % {"fecha": _fecha(x509.load_der_x509_certificate(e["cer"]).not_valid_after_utc)}
        ),
    ),
    "aun-no-vigente": (
        lambda: _par(_futura()),
        lambda e: (
            efirma.ERROR_NO_VIGENTE_AUN
            % {"fecha": _fecha(x509.load_der_x509_certificate(e["cer"]).not_valid_before_utc)}
        ),
    ),
    "de-otro-rfc-con-html": (
        lambda: _par(_otra(rfc="<img src=x onerror=alert(1)>")),
        lambda e: (
            efirma.ERROR_RFC % {"rfc_cert": "<IMG SRC=X ONERROR=ALERT(1)>", "rfc": _rfc_firmante()}
        ),
    ),
    "de-una-ac-desconocida": (
        lambda: _par(_otra(ca=autoridades.generar_ca("AC apócrifa"))),
        lambda e: efirma.ERROR_NO_CONFIABLE,
    ),
    "sin-rfc": (_sin_rfc, lambda e: efirma.ERROR_SIN_RFC),
    "solo-cer": (lambda: {"key": None}, lambda e: efirma.ERROR_FALTAN_ARCHIVOS),
    "cer-de-100kb": (
        lambda: {"cer": basura(100 * 1024)},
        lambda e: "Ese archivo es demasiado grande para ser una e.firma.",
    ),
    "cer-vacio": (lambda: {"cer": b""}, lambda e: VACIO),
    "contrasena-con-nulo": (
        lambda: {"contrasena": "efirma\x00demo"},
        lambda e: validators.ProhibitNullCharactersValidator.message,
    ),
}


@pytest.mark.parametrize("caso", EFIRMAS, ids=str)
def test_efirma_hostil_al_firmar(mundo, caso):
    construir, mensaje = EFIRMAS[caso]
    datos = {"cer": _demo(".cer"), "key": _demo(".key"), "contrasena": "efirma-demo-2026"}
    datos |= construir()
    archivos_ = {
        campo: (nombre_de_archivo(f"firmante.{campo}".encode()), datos[campo])
        for campo in ("cer", "key", "p12")
        if datos.get(campo) is not None
    }
    url = reverse("solicitudes:firma", args=[mundo.ids["en_firma"]])
    respuesta, antes, despues = enviar(
        "e.firma",
        lambda: subir(
            mundo.cliente("firmante"), url, {"contrasena": datos["contrasena"]}, archivos_
        ),
    )
    assert respuesta.status_code == 400
    html = html_de(respuesta)
    assert escape(str(mensaje(datos))) in html
    sin_marcado_crudo(html)
    assert "<IMG SRC" not in html
    assert datos["contrasena"] not in html
    # No dictamen, no folio taken, no event, no file, the task as it was.
    assert despues == antes
    assert not Dictamen.objects.filter(solicitud_id=mundo.ids["en_firma"]).exists()


def test_la_misma_solicitud_se_firma_con_la_efirma_correcta(mundo):
    """The control: the request the hostile e.firmas were refused on is signed with the right
    one, with the next folio (each refusal above also left the counter as it was)."""
    anio = timezone.localdate().year
    ultimo = Consecutivo.objects.get(serie="dictamen", ejercicio=anio).ultimo
    respuesta = mundo.cliente("firmante").post(
        reverse("solicitudes:firma", args=[mundo.ids["en_firma"]]), archivos_efirma()
    )
    assert respuesta.status_code == 302
    dictamen = Dictamen.objects.get(solicitud_id=mundo.ids["en_firma"])
    assert dictamen.folio.endswith(f"/{ultimo + 1:04d}")
