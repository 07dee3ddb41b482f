"""The institution's texts are configuration with a history (issue 35, item 4): the
administrator saves them as new versions in one audited page; a dictamen keeps the version it
was issued under, in its PDF and on its verification page; new folios and new conditions
follow the version in force."""

import io

import pikepdf
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from dictamenes.consola.forms.institucion import TextosForm
from dictamenes.consola.forms.todos_los_campos import CAMPO_CASILLAS
from dictamenes.models import CambioPendiente, Condicion, EventoAuditoria, TextosInstitucionales
from dictamenes.organizacion.selectors.calendario import sumar_dias_habiles
from dictamenes.organizacion.selectors.textos import textos_vigentes
from dictamenes.organizacion.services import textos as servicio
from tests.dictamenes.dual_utils import aprobar_pendientes, pendientes
from tests.dictamenes.flujo_utils import en_firma, firmar, presentada, usuario
from tests.pdf import pdftotext

pytestmark = pytest.mark.django_db

URL = "/cuentas/institucion/"
SONORA = "Ley de Gobierno Digital para el Estado de Sonora (13 de junio de 2023)."
DURANGO = "Ley de Gobierno Electrónico del Estado de Durango (2 de marzo de 2025)."
DURANGO_LINEAS = ("Gobierno del Estado de Durango", "Agencia Digital de Durango")


def _datos(**cambios) -> dict:
    """The form's fields as they are now, with `cambios`."""
    vigentes = textos_vigentes()
    datos = {c: getattr(vigentes, c) for c in servicio.CAMPOS if c != "membrete_imagen_sha256"}
    return datos | cambios


def guardar(**cambios) -> TextosInstitucionales:
    return servicio.textos_guardar(usuario=usuario("admin"), datos=_datos(**cambios))


def _formulario(**cambios) -> dict:
    """The texts' form as the page sends it: every field as the version in force fills it,
    with `cambios`, its checkbox listed, and a motivo (which the page asks for, issue 48)."""
    motivo = cambios.pop("motivo", "Oficio de la Coordinación")
    return {
        **_datos(**cambios),
        "motivo": motivo,
        "accion": "textos",
        CAMPO_CASILLAS: TextosForm().casillas,
    }


def texto_pdf(dictamen) -> str:
    """The stored PDF's text as poppler reads it, blanks and line ends as single spaces."""
    with dictamen.pdf.open("rb") as archivo:
        contenido = archivo.read()
    return " ".join(pdftotext(contenido).split())


def png(color=(109, 26, 54)) -> bytes:
    salida = io.BytesIO()
    Image.new("RGB", (240, 80), color).save(salida, "PNG")
    return salida.getvalue()


def test_cambiar_el_texto_legal_no_cambia_un_dictamen_emitido(demo, client):
    emitido = firmar(en_firma(areas=("redes",)))
    pdf_antes = texto_pdf(emitido)
    assert SONORA in pdf_antes
    assert "Lugar y fecha Hermosillo, Sonora, a " in pdf_antes

    guardar(
        fundamentos=DURANGO,
        membrete="\n".join(DURANGO_LINEAS),
        lugar="Victoria de Durango, Durango",
    )

    # The issued one: the same PDF, and its page says version 1's texts.
    emitido.refresh_from_db()
    assert emitido.textos.version == 1
    assert texto_pdf(emitido) == pdf_antes
    pagina = client.get(reverse("verificar_folio", args=[emitido.folio])).content.decode()
    assert f"<li>{SONORA}</li>" in pagina
    assert "<strong>Gobierno del Estado de Sonora</strong>" in pagina
    assert "<dd>Hermosillo, Sonora</dd>" in pagina
    assert "Durango" not in pagina

    # A new one: the new texts, in its PDF and on its page.
    nuevo = firmar(en_firma(areas=("redes",), titulo="Red de la agencia"))
    assert nuevo.textos.version == 2
    pdf_nuevo = texto_pdf(nuevo)
    assert DURANGO in pdf_nuevo and SONORA not in pdf_nuevo
    assert "Lugar y fecha Victoria de Durango, Durango, a " in pdf_nuevo
    # The letterhead: its lines (the folio is drawn between them, top right).
    assert pdf_nuevo.startswith(f"Gobierno del Estado de Durango {nuevo.folio} Agencia Digital ")
    assert "Sonora" not in pdf_nuevo
    pagina = client.get(reverse("verificar_folio", args=[nuevo.folio])).content.decode()
    assert f"<li>{DURANGO}</li>" in pagina
    assert "<strong>Gobierno del Estado de Durango</strong><br>Agencia Digital de Durango" in pagina
    assert "<dd>Victoria de Durango, Durango</dd>" in pagina
    assert SONORA not in pagina


def test_un_patron_de_folio_nuevo_vale_para_la_siguiente_solicitud_y_dictamen(demo):
    antes = presentada()
    anio = timezone.localdate().year
    assert antes.folio.startswith(f"SOL-{anio}-")
    guardar(
        folio_solicitud="DGO-SOL/{ejercicio}/{numero:04d}", folio_dictamen="DGO/{anio}/{numero:03d}"
    )
    despues = presentada(titulo="Otra renovación")
    numero = int(antes.folio.rsplit("-", 1)[1]) + 1  # the same yearly sequence goes on
    assert despues.folio == f"DGO-SOL/{anio}/{numero:04d}"
    dictamen = firmar(en_firma(areas=("redes",)))
    assert dictamen.folio == f"DGO/{dictamen.emitido_en.year}/001"


@pytest.mark.parametrize(
    ("campo", "patron", "mensaje"),
    [
        (
            "folio_dictamen",
            "DT/{año}/{numero:04d}",
            "El patrón solo puede usar {anio}, {numero}; «{año}» no existe. "
            "Ejemplo: SGD/DT/{anio}/{numero:04d}",
        ),
        (
            "folio_solicitud",
            "SOL-{numero:05d}",
            "El patrón debe llevar {ejercicio}, o dos folios podrían repetirse. "
            "Ejemplo: SOL-{ejercicio}-{numero:05d}",
        ),
        (
            "folio_dictamen",
            "DT/{anio}/{numero:04x",
            "El patrón no se puede aplicar: cada campo va entre llaves y su formato, si lo "
            "lleva, es de número (como :04d). Ejemplo: SGD/DT/{anio}/{numero:04d}",
        ),
        (
            "folio_solicitud",
            "SOL-{ejercicio}-{numero:05z}",
            "El patrón no se puede aplicar: cada campo va entre llaves y su formato, si lo "
            "lleva, es de número (como :04d). Ejemplo: SOL-{ejercicio}-{numero:05d}",
        ),
        (
            "folio_solicitud",
            "SOLICITUD-DE-DICTAMEN-{ejercicio}-{numero:05d}",
            "Con este patrón un folio mediría 32 caracteres; el máximo es 30.",
        ),
    ],
)
def test_un_patron_malo_se_rechaza_en_espanol_y_no_se_guarda(como, campo, patron, mensaje):
    eventos = EventoAuditoria.objects.count()
    respuesta = como("admin").post(URL, _formulario(**{campo: patron}))
    assert respuesta.status_code == 400
    assert respuesta.context["form"].errors == {campo: [mensaje]}
    assert TextosInstitucionales.objects.count() == 1
    assert EventoAuditoria.objects.count() == eventos
    assert not pendientes()  # refused when asked: nothing waits for approval
    assert textos_vigentes().folio_solicitud == "SOL-{ejercicio}-{numero:05d}"


def test_una_imagen_que_no_es_png_ni_jpeg_se_rechaza_y_nada_se_guarda(como, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    exe = SimpleUploadedFile("membrete.png", b"MZ\x90\x00\x03" + b"\x00" * 200, "image/png")
    respuesta = como("admin").post(URL, {**_formulario(lugar="Durango"), "membrete_imagen": exe})
    assert respuesta.status_code == 400
    assert respuesta.context["form"].errors == {
        "membrete_imagen": [
            "La imagen del membrete debe ser PNG o JPEG; el archivo subido no lo es por su "
            "contenido."
        ]
    }
    assert TextosInstitucionales.objects.count() == 1
    assert textos_vigentes().lugar == "Hermosillo, Sonora"
    assert not any(tmp_path.rglob("*"))  # no file was stored
    assert not pendientes()


def test_la_imagen_del_membrete_va_en_el_pdf_y_en_la_verificacion(como, client, demo):
    respuesta = como("admin").post(
        URL,
        {
            **_formulario(motivo="Membrete nuevo"),
            "membrete_imagen": SimpleUploadedFile("logo.png", png(), "image/png"),
        },
    )
    assert respuesta.status_code == 302
    # Asked: the version in force has no image until a second administrator approves.
    [cambio] = pendientes(CambioPendiente.Tipo.TEXTOS)
    assert textos_vigentes().version == 1 and not textos_vigentes().membrete_imagen
    assert [f["campo"] for f in cambio.datos["filas"] if f["cambia"]] == ["Imagen del membrete"]
    aprobar_pendientes()
    vigentes = textos_vigentes()
    assert vigentes.version == 2 and vigentes.membrete_imagen.name.endswith(".png")
    dictamen = firmar(en_firma(areas=("redes",)))
    with dictamen.pdf.open("rb") as archivo, pikepdf.open(io.BytesIO(archivo.read())) as pdf:
        imagenes = [
            (int(x.Width), int(x.Height))
            for x in pdf.pages[0].Resources.XObject.values()
            if x.get("/Subtype") == "/Image"
        ]
    assert imagenes == [(240, 80)]
    client.logout()
    pagina = client.get(reverse("verificar_folio", args=[dictamen.folio])).content.decode()
    assert '<img src="data:image/png;base64,' in pagina


def test_la_pagina_es_solo_del_administrador(como):
    for quien in ("auditor", "firmante", "estrategico", "mesa", "requirente.sh"):
        assert como(quien).get(URL).status_code == 403, quien
        assert como(quien).post(URL, _formulario(lugar="Durango")).status_code == 403, quien
    # The service's own door refuses too (the API, a command, the admin reach it directly).
    with pytest.raises(PermissionDenied) as negado:
        servicio.textos_guardar(usuario=usuario("auditor"), datos=_datos(lugar="Durango"))
    assert (
        str(negado.value) == "Solo una persona administradora cambia los textos de la institución."
    )
    assert TextosInstitucionales.objects.count() == 1


def test_guardar_crea_una_version_con_su_evento_y_la_lista(como, django_assert_max_num_queries):
    admin = como("admin")
    inicio = admin.get(reverse("inicio")).content.decode()
    # The page keeps the stages' deadlines too (issue 48), and its link says so.
    assert f'<a href="{URL}">Textos de la institución y plazos</a>' in inicio
    respuesta = admin.post(
        URL,
        _formulario(
            fundamentos=DURANGO, condicion_dias_habiles=15, motivo="Ley nueva de adquisiciones"
        ),
    )
    assert respuesta.status_code == 302 and respuesta["Location"] == URL
    # Asked, not saved: version 1 is in force until a second administrator approves, on
    # their page.
    [cambio] = pendientes(CambioPendiente.Tipo.TEXTOS)
    assert (cambio.pedido_por.username, cambio.motivo) == ("admin", "Ley nueva de adquisiciones")
    assert textos_vigentes().version == 1
    assert not EventoAuditoria.objects.filter(tipo="textos_institucionales").exists()
    aprobar_pendientes(client=admin)
    admin = como("admin")
    nueva = textos_vigentes()
    assert (nueva.version, nueva.creado_por.username, nueva.motivo) == (
        2,
        "admin",
        "Ley nueva de adquisiciones",
    )
    evento = EventoAuditoria.objects.get(tipo="textos_institucionales")
    assert evento.usuario.username == "admin"
    assert evento.motivo == "Ley nueva de adquisiciones"
    assert evento.datos == {
        "version": 2,
        "anterior": 1,
        "cambios": {
            "fundamentos": [
                SONORA + "\nLineamientos para la Gobernanza de las Tecnologías de la Información "
                "y Comunicación (27 de noviembre de 2023).",
                DURANGO,
            ],
            "condicion_dias_habiles": [20, 15],
        },
    }
    # Saving the same again changes nothing and says so.
    otra = admin.post(URL, _formulario())
    assert otra.status_code == 400
    assert otra.context["form"].non_field_errors() == [str(servicio.ERROR_SIN_CAMBIOS)]

    # The session, the person, their roles; the texts in force, the versions; and since issue
    # 48 the stages' deadlines (one read for all of them) and the changes of the page that wait
    # for approval (one read for both kinds).
    with django_assert_max_num_queries(7):
        pagina = admin.get(URL)
    html = pagina.content.decode()
    assert pagina.context["form"]["fundamentos"].value() == DURANGO
    assert (
        '<tr id="version-2"><th scope="row">2</th>\n      <td>Fernando Ibarra Moreno</td>' in html
    )
    assert "<td>Fundamento legal, días hábiles para cumplir una condición</td>" in html
    assert (
        '<tr id="version-1"><th scope="row">1</th>\n      <td>La configuración inicial</td>' in html
    )


def test_el_plazo_de_las_condiciones_sigue_la_version_vigente(demo):
    guardar(condicion_dias_habiles=5)
    d = firmar(en_firma(areas=("redes",), resultado="condicionado", condiciones="Acreditar X."))
    assert d.textos.version == 2
    vence = sumar_dias_habiles(desde=timezone.localdate(d.emitido_en), dias=5)
    assert d.obligaciones.get().vence == vence
    assert "(5 días hábiles a partir de la emisión)" in texto_pdf(d)
    assert Condicion.objects.filter(dictamen=d).count() == 1


@pytest.mark.parametrize(
    ("dias", "mensaje"),
    [
        (0, "Asegúrese de que este valor sea mayor o igual a 1."),
        (121, "Asegúrese de que este valor sea menor o igual a 120."),
    ],
)
def test_el_plazo_de_las_condiciones_va_de_1_a_120(como, dias, mensaje):
    respuesta = como("admin").post(URL, _formulario(condicion_dias_habiles=dias))
    assert respuesta.status_code == 400
    assert respuesta.context["form"].errors == {"condicion_dias_habiles": [mensaje]}
    assert TextosInstitucionales.objects.count() == 1 and not pendientes()


# 0025, which makes version 1 from the settings and points every issued dictamen to it, is
# tested in tests/dictamenes/test_migracion_revision_tecnica.py: the same trip back below it
# and forward again as 0026's test (issue 92, item 7).
