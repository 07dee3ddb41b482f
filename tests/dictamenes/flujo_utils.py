"""Helpers to drive a request through the procedure in tests."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dictamenes.flow_port import Nodo
from dictamenes.models import Area
from dictamenes.tramite.services import etapas, solicitudes
from estandares import selectors as estandares_selectors
from estandares.models import Perfil

PDF_MINIMO = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def pdf_valido(*objetos_extra: bytes) -> bytes:
    """A small valid PDF (one empty page), with a correct xref table."""
    objetos = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
        *objetos_extra,
    ]
    salida = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    posiciones = []
    for numero, cuerpo in enumerate(objetos, start=1):
        posiciones.append(len(salida))
        salida += b"%d 0 obj\n%s\nendobj\n" % (numero, cuerpo)
    inicio_xref = len(salida)
    salida += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objetos) + 1)
    for posicion in posiciones:
        salida += b"%010d 00000 n \n" % posicion
    salida += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objetos) + 1)
    salida += b"startxref\n%d\n%%%%EOF\n" % inicio_xref
    return bytes(salida)


# One profile per review area, by category clave in the demo catalogue.
CATEGORIA_DE_AREA = {
    "computo": "computadora-escritorio",
    "redes": "switch",
    "seguridad": "firewall-nueva-generacion",
    "software": "desarrollo-software",
    "infraestructura": "servidor",
}


def paso_de(tarea) -> str:
    """A task's step as the tests name it: the node, and for a technical review its area
    ("revision_tecnica:computo"), since one node makes every area's task."""
    nombre = tarea.flow_task.name
    if nombre == Nodo.REVISION_TECNICA:
        return f"{nombre}:{Area.objects.get(pk=tarea.data['area']).clave}"
    return nombre


def detalle(solicitud) -> str:
    """The address of a request's page."""
    from django.urls import reverse

    return reverse("solicitudes:detalle", args=[solicitud.pk])


def usuario(username):
    return get_user_model().objects.get(username=username)


def perfil_de_area(area: str) -> Perfil:
    vigente = estandares_selectors.publicacion_vigente(fecha=timezone.localdate())
    return (
        Perfil.objects.filter(
            categoria__publicacion=vigente, categoria__clave=CATEGORIA_DE_AREA[area]
        )
        .order_by("orden")
        .first()
    )


def oficio(nombre="oficio.pdf"):
    return SimpleUploadedFile(nombre, PDF_MINIMO, content_type="application/pdf")


# Issue 62: above the office's amount an item carries three quotes or the reason for fewer; the
# tests of other rules with large items give the reason.
JUSTIFICACION_COTIZACIONES = "Proveedor único: el fabricante vende solo por su distribuidor."


def borrador(*, areas=("computo",), requirente="requirente.sh", titulo="Renovación de equipo"):
    """A draft with one item per area (2 units of $10,000), its declared total their sum:
    presentation refuses a total that disagrees with the items (issue 59; it declared
    $250,000.00 whatever the items before)."""
    autor = usuario(requirente)
    solicitud = solicitudes.solicitud_crear(
        usuario=autor,
        ente=autor.perfil.ente,
        datos={
            "tipo_operacion": "adquisicion",
            "titulo": titulo,
            "justificacion": "Equipos con más de diez años de uso en ventanillas.",
            "alineacion": "Eje 3: gobierno digital eficiente.",
            "monto_estimado": Decimal("20000.00") * len(areas),
            "ejercicio": timezone.localdate().year,
        },
    )
    for area in areas:
        solicitudes.partida_guardar(
            solicitud=solicitud,
            usuario=autor,
            datos={
                "perfil": perfil_de_area(area),
                "descripcion": f"Partida de {area}",
                "cantidad": 2,
                "precio_unitario": Decimal("10000.00"),
                "capitulo": "5000",
                "partida_especifica": "51501",
                "especificaciones": {},
            },
        )
    solicitudes.anexo_agregar(solicitud=solicitud, usuario=autor, tipo="oficio", archivo=oficio())
    return solicitud


def presentada(**kwargs):
    solicitud = borrador(**kwargs)
    autor = usuario(kwargs.get("requirente", "requirente.sh"))
    return solicitudes.solicitud_presentar(solicitud=solicitud, usuario=autor)


REVISOR_DE_AREA = {
    "computo": "revisor.computo",
    "redes": "revisor.redes",
    "seguridad": "revisor.seguridad",
    "software": "revisor.software",
    "infraestructura": "revisor.infraestructura",
}


def revisar(solicitud, area, opinion="favorable", ajustes=None, revisor=None):
    """The area's review, by its demo reviewer or by `revisor` (a user)."""
    from dictamenes.models import Area

    area_obj = Area.objects.get(clave=area)
    partidas = {
        p.pk: {"opinion": "Cumple lo esencial.", "ajustes": ajustes or {}}
        for p in solicitud.partidas.filter(perfil__categoria__area=area_obj)
    }
    return etapas.revision_area_concluir(
        solicitud=solicitud,
        usuario=revisor or usuario(REVISOR_DE_AREA[area]),
        area=area_obj,
        opinion=opinion,
        observaciones="Sin observaciones mayores.",
        partidas=partidas,
    )


def admitida(**kwargs):
    solicitud = presentada(**kwargs)
    etapas.admision_resolver(solicitud=solicitud, usuario=usuario("mesa"), admitir=True)
    solicitud.refresh_from_db()
    return solicitud


def revisada(*, areas=("computo",), **kwargs):
    """Admitted and reviewed favorably by each of its areas: waiting for the strategic
    decision."""
    solicitud = admitida(areas=areas, **kwargs)
    for area in areas:
        revisar(solicitud, area)
    solicitud.refresh_from_db()
    return solicitud


def decisiones_todas(solicitud, resultado="favorable") -> dict:
    """The same decision for every item, as solicitud_decidir reads them: each approved whole,
    or (for a «no_favorable» result) each not approved for lack of justification."""
    if resultado == "no_favorable":
        una = {"resultado": "no_aprobada", "motivo": "justificacion-insuficiente"}
    else:
        una = {"resultado": "aprobada"}
    return {p.pk: dict(una) for p in solicitud.partidas.all()}


def campos_decision(solicitud, resultado="favorable", **campos) -> dict:
    """The decision form's fields (POST) deciding every item as decisiones_todas does, with
    «decidir» as the action; `campos` adds or replaces fields (motivos, condiciones…)."""
    datos = {"accion": "decidir"}
    for pk, una in decisiones_todas(solicitud, resultado).items():
        datos |= {f"p{pk}_{campo}": valor for campo, valor in una.items()}
    return datos | campos


def decidir(
    solicitud,
    *,
    estrategico="estrategico",
    resultado="favorable",
    motivos="Procede: cumple los estándares.",
    partidas=None,
    **kwargs,
):
    """The strategic decision by `estrategico`: every item approved (a «favorable» or
    «condicionado» result, the latter with `condiciones`) or none («no_favorable»), unless
    `partidas` gives each item's decision; the request is refreshed in place and returned."""
    etapas.solicitud_decidir(
        solicitud=solicitud,
        usuario=usuario(estrategico),
        partidas=decisiones_todas(solicitud, resultado) if partidas is None else partidas,
        motivos=motivos,
        **kwargs,
    )
    solicitud.refresh_from_db()
    return solicitud


def en_firma(
    *,
    estrategico="estrategico",
    resultado="favorable",
    motivos="Procede: cumple los estándares.",
    condiciones="",
    **kwargs,
):
    """Created, presented, admitted, reviewed by its areas and decided: the request waits for
    the firmante's signature. kwargs go to `borrador` (areas, requirente, titulo)."""
    return decidir(
        revisada(**kwargs),
        estrategico=estrategico,
        resultado=resultado,
        motivos=motivos,
        condiciones=condiciones,
    )


def persona(username, *, roles, rfc, **kwargs):
    """Another person for a test, with a throwaway password and a demo e-mail."""
    from dictamenes.personas.services import personas

    kwargs.setdefault("nombre", username.capitalize())
    kwargs.setdefault("apellidos", "De Prueba")
    return personas.usuario_crear(
        username=username,
        password="x" * 14,
        email=f"{username}@demo.invalid",
        rfc=rfc,
        roles=roles,
        **kwargs,
    )


def doble_rol(*roles, **kwargs):
    """«Doble Rol»: one person holding two roles that must not meet on the same request."""
    return persona(
        "doble", nombre="Doble", apellidos="Rol", rfc="DORX800101AB1", roles=list(roles), **kwargs
    )


def otra_mesa():
    """«Otra Mesa»: a second person of the mesa de control."""
    from dictamenes.roles import Rol

    return persona(
        "mesa2", nombre="Otra", apellidos="Mesa", rfc="OMXX800101AB1", roles=[Rol.MESA_CONTROL]
    )


def credencial(username="firmante"):
    """The demo e.firma that `cargar_demo` creates for a firmante (test CA only)."""
    from django.conf import settings

    from demo import efirma_pruebas

    return efirma_pruebas.demo_credencial(settings.DICTAMENES_EFIRMA_DEMO_DIR, username)


def firmar(solicitud, username="firmante"):
    from dictamenes.emision.services import emision

    return emision.dictamen_emitir(
        solicitud=solicitud, usuario=usuario(username), credencial=credencial(username)
    )


def archivos_efirma(username="firmante") -> dict:
    """The e.firma files as a firmante would upload them in the form."""
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile

    from demo.efirma_pruebas import CONTRASENA_EFIRMA_DEMO

    carpeta = settings.DICTAMENES_EFIRMA_DEMO_DIR
    return {
        "cer": SimpleUploadedFile(f"{username}.cer", (carpeta / f"{username}.cer").read_bytes()),
        "key": SimpleUploadedFile(f"{username}.key", (carpeta / f"{username}.key").read_bytes()),
        "contrasena": CONTRASENA_EFIRMA_DEMO,
    }


CONTRASENA_DE_PRUEBA = "clave-de-prueba"


def efirma_de(persona):
    """A fresh e.firma for `persona` (their RFC, issued by the demo's test CA), in memory: for
    people a test creates, who have no files in the demo's e.firma folder."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from django.conf import settings

    from demo import efirma_pruebas

    carpeta = settings.DICTAMENES_EFIRMA_DEMO_DIR
    ca = (
        x509.load_der_x509_certificate((carpeta / "ca-demo.cer").read_bytes()),
        serialization.load_pem_private_key((carpeta / "ca-demo.key").read_bytes(), None),
    )
    rfc = persona.perfil.rfc
    return efirma_pruebas.generar_efirma(
        ca=ca,
        nombre=persona.get_full_name().upper(),
        rfc=rfc,
        curp=efirma_pruebas.curp_de_prueba(rfc),
        contrasena=CONTRASENA_DE_PRUEBA,
    )


def credencial_de(persona, efirma_=None):
    """`persona`'s e.firma (efirma_de), opened as signing opens it."""
    from dictamenes.emision.documentos import efirma

    efirma_ = efirma_ or efirma_de(persona)
    return efirma.credencial_cargar(p12=efirma_.p12, contrasena=CONTRASENA_DE_PRUEBA)


def archivos_efirma_de(persona) -> dict:
    """`persona`'s e.firma as they would upload it in a form (a .p12 and its password)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {
        "p12": SimpleUploadedFile("efirma.p12", efirma_de(persona).p12),
        "contrasena": CONTRASENA_DE_PRUEBA,
    }


def proponer(dictamen, *, estrategico="estrategico", motivo="Error en las condiciones.", **datos):
    """The Dirección General proposes a rectification of `dictamen` (its current content,
    changed by `datos`: resultado, motivos, condiciones); returns the proposal's event."""
    from dictamenes.emision.services import rectificacion

    contenido = {c: getattr(dictamen, c) for c in ("resultado", "motivos", "condiciones")}
    return rectificacion.rectificacion_proponer(
        dictamen=dictamen, usuario=usuario(estrategico), motivo=motivo, **(contenido | datos)
    )


def rectificar(dictamen, *, estrategico="estrategico", firmante="firmante", **propuesta):
    """Rectify `dictamen` as the procedure does: the Dirección General proposes the new content
    (`propuesta`: motivo, resultado, motivos, condiciones), a firmante signs it."""
    from dictamenes.emision.services import rectificacion

    evento = proponer(dictamen, estrategico=estrategico, **propuesta)
    return rectificacion.dictamen_rectificar(
        dictamen=dictamen,
        usuario=usuario(firmante),
        credencial=credencial(firmante),
        propuesta=evento.pk,
    )
