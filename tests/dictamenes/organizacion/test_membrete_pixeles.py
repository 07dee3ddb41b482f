"""Issue 59, item 7: the letterhead image has a limit in pixels (4,000 a side), read from its
header before anything decodes it, on every path that takes one: the institution's page, the
state profile loader (and the copy it keeps for the change that waits), the approval of a
change asked before the limit, and the PDF and the public page for an image that got in
before. A pixel bomb gets a 400 and a Spanish message with the limit, never a 500, and nothing
is saved or left waiting.

The bombs are PNG headers that declare a huge size (a few dozen bytes, written by hand with
struct and zlib, not by the Pillow code under test)."""

import hashlib
import html
import io
import struct
import zlib
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from PIL import Image

from dictamenes.emision.documentos import membrete as documento
from dictamenes.models import CambioPendiente, Dictamen, EventoAuditoria, TextosInstitucionales
from dictamenes.operacion.services.cambios.tipos import PerfilEstado
from dictamenes.organizacion.selectors.textos import textos_vigentes
from dictamenes.organizacion.services import textos as servicio
from tests.dictamenes.dual_utils import pendientes
from tests.dictamenes.flujo_utils import archivos_efirma, en_firma, usuario

pytestmark = pytest.mark.django_db

URL = "/cuentas/institucion/"
PERFIL = Path(settings.BASE_DIR) / "demo/perfiles/estado_de_anahuac.toml"
IMAGEN_PERFIL = "estado_de_anahuac_membrete.png"

# The messages as a person reads them, written out here (not formatted by the code under test).
BOMBA = (
    "La imagen declara más de 89 millones de píxeles; el máximo es 4,000 píxeles por lado. "
    "Redúzcala y vuelva a subirla."
)


def grande(ancho, alto, maximo="4,000") -> str:
    return (
        f"La imagen mide {ancho} × {alto} píxeles; el máximo es {maximo} píxeles por lado. "
        "Redúzcala y vuelva a subirla."
    )


def cabecera_png(ancho: int, alto: int) -> bytes:
    """A PNG that declares `ancho` × `alto` RGB pixels: signature, IHDR, an empty IDAT, IEND.
    The 48 KB PNG of the issue is this, with real (and very compressible) pixel data."""

    def trozo(tipo: bytes, datos: bytes) -> bytes:
        cuerpo = tipo + datos
        return struct.pack(">I", len(datos)) + cuerpo + struct.pack(">I", zlib.crc32(cuerpo))

    ihdr = struct.pack(">IIBBBBB", ancho, alto, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + trozo(b"IHDR", ihdr)
        + trozo(b"IDAT", zlib.compress(b""))
        + trozo(b"IEND", b"")
    )


def png_real(ancho: int, alto: int) -> bytes:
    salida = io.BytesIO()
    Image.new("RGB", (ancho, alto), (109, 26, 54)).save(salida, "PNG")
    return salida.getvalue()


def formulario(imagen: bytes, nombre="membrete.png") -> dict:
    vigentes = textos_vigentes()
    from dictamenes.consola.forms.institucion import TextosForm
    from dictamenes.consola.forms.todos_los_campos import CAMPO_CASILLAS

    return {
        **{c: getattr(vigentes, c) for c in servicio.CAMPOS if c != "membrete_imagen_sha256"},
        "motivo": "Membrete nuevo",
        "accion": "textos",
        CAMPO_CASILLAS: TextosForm().casillas,
        "membrete_imagen": SimpleUploadedFile(nombre, imagen, "image/png"),
    }


def pendientes_guardados() -> set[str]:
    """Files kept for changes that wait (Textos.CARPETA), straight from the storage's folder."""
    raiz = Path(settings.STORAGES["default"]["OPTIONS"]["location"]) / "institucion/pendientes"
    return {str(p) for p in raiz.rglob("*") if p.is_file()}


@pytest.mark.parametrize(
    ("ancho", "alto", "mensaje"),
    [
        (20_000, 20_000, BOMBA),  # Pillow's DecompressionBombError: the 500
        (10_000, 10_000, BOMBA),  # Pillow only warns (89 to 178 million pixels)
        (9_400, 9_400, grande("9,400", "9,400")),  # Pillow lets it by: 859 MB in the PDF
        (4_001, 300, grande("4,001", "300")),  # one pixel over, on either side
        (300, 4_001, grande("300", "4,001")),
    ],
    ids=["bomba", "aviso_de_pillow", "9400", "ancho_4001", "alto_4001"],
)
def test_la_pagina_rechaza_la_imagen_de_mas_pixeles_con_400_y_no_guarda_nada(
    como, ancho, alto, mensaje
):
    antes, guardados = TextosInstitucionales.objects.count(), pendientes_guardados()
    eventos = EventoAuditoria.objects.count()

    respuesta = como("admin").post(URL, formulario(cabecera_png(ancho, alto)))

    assert respuesta.status_code == 400
    assert respuesta.context["form"].errors == {"membrete_imagen": [mensaje]}
    assert mensaje in html.unescape(respuesta.content.decode())
    assert TextosInstitucionales.objects.count() == antes
    assert not pendientes()
    assert pendientes_guardados() == guardados
    assert EventoAuditoria.objects.count() == eventos


def test_en_el_limite_se_acepta_y_un_pixel_mas_no(como, settings):
    """At a lower limit (so the test files stay small), real images: exactly the limit waits
    for approval, one pixel more is refused."""
    settings.DICTAMENES_IMAGEN_MAX_PX = 300
    respuesta = como("admin").post(URL, formulario(png_real(301, 80)))
    assert respuesta.status_code == 400
    assert respuesta.context["form"].errors == {
        "membrete_imagen": [grande("301", "80", maximo="300")]
    }
    assert not pendientes()

    respuesta = como("admin").post(URL, formulario(png_real(300, 80)))
    assert respuesta.status_code == 302
    [cambio] = pendientes(CambioPendiente.Tipo.TEXTOS)
    assert cambio.datos["pedido"]["imagen_sha256"] == hashlib.sha256(png_real(300, 80)).hexdigest()


def perfil_con_imagen(tmp_path, imagen: bytes) -> Path:
    """The demo's state profile, copied next to a letterhead image of our choosing."""
    (tmp_path / IMAGEN_PERFIL).write_bytes(imagen)
    copia = tmp_path / PERFIL.name
    copia.write_text(PERFIL.read_text(encoding="utf-8"), encoding="utf-8")
    return copia


def estado() -> tuple:
    return (
        TextosInstitucionales.objects.count(),
        EventoAuditoria.objects.count(),
        CambioPendiente.objects.count(),
        pendientes_guardados(),
    )


@pytest.mark.parametrize(
    ("ancho", "mensaje"),
    [(20_000, BOMBA), (9_400, grande("9,400", "9,400"))],
    ids=["bomba", "9400"],
)
def test_el_cargador_del_perfil_rechaza_la_imagen_y_no_carga_ni_guarda_nada(
    demo, tmp_path, ancho, mensaje
):
    archivo = perfil_con_imagen(tmp_path, cabecera_png(ancho, ancho))
    antes = estado()
    with pytest.raises(CommandError) as error:
        call_command("cargar_perfil_estado", str(archivo), usuario="admin", stdout=StringIO())
    assert str(error.value) == (
        f"No se cargó nada. «institucion.membrete_imagen» ({IMAGEN_PERFIL}): {mensaje}"
    )
    assert estado() == antes


def test_la_copia_del_perfil_para_el_cambio_pendiente_tambien_se_revisa(demo, tmp_path):
    ruta = tmp_path / "bomba.png"
    ruta.write_bytes(cabecera_png(20_000, 20_000))
    guardados = pendientes_guardados()
    with pytest.raises(ValidationError) as error:
        PerfilEstado.guardar_imagen(ruta)
    assert error.value.messages == [BOMBA]
    assert pendientes_guardados() == guardados


def _pedir_con_limite_viejo(settings, imagen: bytes) -> CambioPendiente:
    """A change asked before the limit existed (Pillow's own limit was the only one)."""
    settings.DICTAMENES_IMAGEN_MAX_PX = 100_000
    from dictamenes.operacion.services.configuracion import configuracion_pedir

    vigentes = textos_vigentes()
    cambio = configuracion_pedir(
        tipo=CambioPendiente.Tipo.TEXTOS,
        accion="guardar",
        pedido={c: getattr(vigentes, c) for c in servicio.CAMPOS if c != "membrete_imagen_sha256"}
        | {"quitar_imagen": False},
        por=usuario("admin"),
        motivo="Membrete de antes",
        archivo=SimpleUploadedFile("viejo.png", imagen, "image/png"),
    )
    settings.DICTAMENES_IMAGEN_MAX_PX = 4000
    return cambio


def test_aprobar_un_cambio_pedido_antes_del_limite_se_rechaza_con_su_razon(demo, client, settings):
    cambio = _pedir_con_limite_viejo(settings, cabecera_png(9_400, 9_400))
    client.force_login(get_user_model().objects.get(username="admin2"))

    respuesta = client.post(
        reverse("cuentas:cambio_resolver", args=[cambio.pk]), {"accion": "aprobar"}
    )

    assert respuesta.status_code == 409
    assert grande("9,400", "9,400") in html.unescape(respuesta.content.decode())
    assert textos_vigentes().version == 1 and not textos_vigentes().membrete_imagen
    cambio.refresh_from_db()
    assert cambio.estado == CambioPendiente.Estado.PENDIENTE


def _vigente_con_imagen_de_antes(settings, imagen: bytes) -> TextosInstitucionales:
    """The texts in force carry an image that got in before the limit."""
    settings.DICTAMENES_IMAGEN_MAX_PX = 100_000
    vigentes = textos_vigentes()
    nueva = servicio.textos_guardar(
        usuario=usuario("admin"),
        datos={c: getattr(vigentes, c) for c in servicio.CAMPOS if c != "membrete_imagen_sha256"},
        imagen=SimpleUploadedFile("viejo.png", imagen, "image/png"),
    )
    settings.DICTAMENES_IMAGEN_MAX_PX = 4000
    return nueva


MEMBRETE_GRANDE = (
    "La imagen del membrete guardada no se puede imprimir: {motivo} Pida al administrador que "
    "suba una más pequeña en «Textos de la institución»."
)


def test_firmar_con_un_membrete_de_antes_demasiado_grande_dice_por_que_sin_decodificarlo(
    demo, como, settings
):
    solicitud = en_firma(areas=("redes",))
    _vigente_con_imagen_de_antes(settings, cabecera_png(9_400, 9_400))

    respuesta = como("firmante").post(
        reverse("solicitudes:firma", args=[solicitud.pk]), archivos_efirma()
    )

    assert respuesta.status_code == 400
    assert MEMBRETE_GRANDE.format(motivo=grande("9,400", "9,400")) in html.unescape(
        respuesta.content.decode()
    )
    assert not Dictamen.objects.filter(solicitud=solicitud).exists()


def test_el_pdf_nunca_decodifica_una_imagen_de_mas_pixeles():
    """The last guard, in the function that decodes: whoever hands it the bytes."""
    with pytest.raises(ValidationError) as error:
        documento._imagen_membrete(cabecera_png(20_000, 20_000))
    assert error.value.messages == [BOMBA]
    with pytest.raises(ValidationError) as error:
        documento._imagen_membrete(cabecera_png(4_001, 10))
    assert error.value.messages == [grande("4,001", "10")]


def test_el_expediente_con_un_membrete_de_antes_responde_400_con_su_razon(demo, como, settings):
    solicitud = en_firma(areas=("redes",))
    _vigente_con_imagen_de_antes(settings, cabecera_png(9_400, 9_400))

    respuesta = como("estrategico").get(reverse("solicitudes:expediente", args=[solicitud.pk]))

    assert respuesta.status_code == 400
    assert MEMBRETE_GRANDE.format(motivo=grande("9,400", "9,400")) in html.unescape(
        respuesta.content.decode()
    )


def test_el_limite_por_omision_es_4000_por_lado():
    assert settings.DICTAMENES_IMAGEN_MAX_PX == 4000


def test_la_verificacion_publica_de_un_dictamen_con_membrete_de_antes_responde_sin_la_imagen(
    demo, client, settings
):
    """A dictamen issued under a letterhead image that is over the limit (here its stored file
    and digest are swapped after signing, as an image of before would be): the public page
    still answers 200, without the image, and no browser is handed the bomb."""
    from dictamenes.organizacion.selectors.textos import membrete_imagen_data_uri
    from tests.dictamenes.flujo_utils import firmar

    vigentes = _vigente_con_imagen_de_antes(settings, png_real(240, 80))
    dictamen = firmar(en_firma(areas=("redes",)))
    assert dictamen.textos_id == vigentes.pk
    pagina = client.get(reverse("verificar_folio", args=[dictamen.folio])).content.decode()
    assert '<img src="data:image/png;base64,' in pagina  # the image is shown while it fits

    bomba = cabecera_png(9_400, 9_400)
    ruta = Path(vigentes.membrete_imagen.path)
    ruta.write_bytes(bomba)
    TextosInstitucionales.objects.filter(pk=vigentes.pk).update(
        membrete_imagen_sha256=hashlib.sha256(bomba).hexdigest()
    )
    respuesta = client.get(reverse("verificar_folio", args=[dictamen.folio]))
    assert respuesta.status_code == 200
    assert "data:image/png;base64," not in respuesta.content.decode()
    assert membrete_imagen_data_uri(TextosInstitucionales.objects.get(pk=vigentes.pk)) == ""


def test_la_pagina_dice_el_limite_antes_de_subir(como):
    pagina = html.unescape(como("admin").get(URL).content.decode())
    assert (
        "Se imprime arriba a la izquierda de cada página; a lo más 4,000 píxeles por lado. "
        "Déjelo vacío para conservar la actual."
    ) in pagina


def test_el_admin_no_es_otra_puerta_para_el_membrete():
    """The Django admin does not register the texts: the page and the profile are the doors."""
    from django.contrib import admin

    assert not admin.site.is_registered(TextosInstitucionales)
