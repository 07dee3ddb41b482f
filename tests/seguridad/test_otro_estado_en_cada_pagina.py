"""Issue 47, item 4: a second state looks like itself everywhere. The invented Estado de Anáhuac's
profile is loaded, then a world of its requests in every state is built (as the access matrix's
world is, tests/seguridad/conftest.py), and every page of the access table
(tests/seguridad/tabla_acceso.txt) is asked as every role the table lets see it, plus each
request's page and history (HTML and PDF) in each state, the dictamen's PDF and every notice
written. None may say «Sonora», «Hermosillo» (issue 61: its capital, the demo zone's city),
«Subsecretaría» or «Dirección General»: Anáhuac names its own institution, deciding unit and
signing unit.

The demo's catalogues (cargar_demo) are Sonora's data, not code: the agencies' names, job titles
and the standards' legal basis. What they hold with those words before the profile is loaded is
masked; nothing written afterwards is."""

import io
import json
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from django.apps import apps
from django.core import mail
from django.core.cache import cache
from django.db import models, transaction
from django.test import Client, override_settings
from django.utils.html import escape

from dictamenes.models import Area, Aviso, Solicitud, TextosInstitucionales
from tests.pdf import pdftotext
from tests.por_modulo import llaves_comprobar
from tests.seguridad import tabla
from tests.seguridad.conftest import TITULO_A, TITULO_B, USUARIOS, Mundo, _completar
from tests.seguridad.recorrido import patrones, url_de

pytestmark = pytest.mark.django_db

EXTENSION = Path(__file__).resolve().parents[2] / "publico/ocds/extension"
PROHIBIDOS = ("Sonora", "Hermosillo", "Subsecretaría", "Dirección General")
# Issue 61, in the open data, the expediente's PDFs and the API: also Sonora's capital (the
# zone's city), the state in an identifier («dictamenes-tic-sonora») and the post the demo
# gives Sonora's signer, which Anáhuac's profile replaces (so never masked as the demo's data).
CARGO_DEMO = "Subsecretario de Gobierno Digital (demo)"
PROHIBIDOS_DATOS = ("Sonora", "sonora", "Hermosillo", "Subsecretaría", CARGO_DEMO)
# What Anáhuac's installation sets besides its profile: its zone (every date the crawl reads is
# in it, not in the settings' default) and the name of its open data package.
AJUSTES_DE_ANAHUAC = {
    "TIME_ZONE": "America/Mexico_City",
    "DICTAMENES_DATOS_ABIERTOS_NOMBRE": "dictamenes-tic-anahuac",
}
PERFIL = "demo/perfiles/estado_de_anahuac.toml"
# Anáhuac's areas (by name) and what the world's helpers need of each: a category it reviews
# and its demo reviewer.
AREAS = {
    "conectividad": ("Conectividad e Infraestructura", "switch", "revisor.conectividad"),
    "ciberseguridad": (
        "Ciberseguridad y Sistemas",
        "firewall-nueva-generacion",
        "revisor.ciberseguridad",
    ),
    "bienes": ("Bienes Informáticos", "computadora-escritorio", "revisor.bienes"),
}
# The access table's reviewer columns, played by Anáhuac's reviewers (Sonora's areas retired).
REVISOR_DE_COLUMNA = {
    "revisor_infraestructura": "revisor.conectividad",
    "revisor_redes": "revisor.conectividad",
    "revisor_seguridad": "revisor.ciberseguridad",
    "revisor_software": "revisor.ciberseguridad",
    "revisor_computo": "revisor.bienes",
}
ESTADOS = (
    "borrador",
    "presentada",
    "prevenida",
    "desechada",
    "revision",
    "devuelta",
    "estrategica",
    "firma",
    "emitida",
    "cancelada",
)


def _cadenas(valor):
    if isinstance(valor, str):
        yield valor
    elif isinstance(valor, dict):
        for v in valor.values():
            yield from _cadenas(v)
    elif isinstance(valor, list | tuple):
        for v in valor:
            yield from _cadenas(v)


def mascaras(prohibidos=PROHIBIDOS) -> list[str]:
    """Every text the database holds now (the demo's catalogues) with a forbidden word, whole
    and line by line, as a page prints it (escaped too); the texts of the institution are not
    masked: they are what the profile replaces, and neither is the demo signer's post."""
    textos = set()
    for modelo in apps.get_models():
        if modelo is TextosInstitucionales:
            continue
        campos = [
            f.attname
            for f in modelo._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        if not campos:
            continue
        for fila in modelo._default_manager.values_list(*campos):
            for texto in _cadenas(list(fila)):
                if any(p in texto for p in prohibidos) and CARGO_DEMO not in texto:
                    textos.add(texto)
                    textos.update(linea.strip() for linea in texto.splitlines() if linea.strip())
    textos |= {escape(t) for t in textos}
    return sorted(
        (t for t in textos if any(p in t for p in prohibidos) and CARGO_DEMO not in t),
        key=len,
        reverse=True,
    )


def _pdf_texto(contenido: bytes) -> str:
    try:
        return " ".join(pdftotext(contenido, "-layout").split())
    except subprocess.CalledProcessError:
        # A requester's attachment may be a PDF poppler cannot read (the suite's, 125 bytes,
        # has no pages): read as no text, as before; its text would be hers, not the system's.
        return ""


def _archivo_texto(nombre: str, contenido: bytes) -> str:
    if nombre.endswith(".pdf"):
        return _pdf_texto(contenido)
    if nombre.endswith(".zip"):
        with zipfile.ZipFile(io.BytesIO(contenido)) as zf:
            return "\n".join(_archivo_texto(n, zf.read(n)) for n in zf.namelist())
    if nombre.rsplit(".", 1)[-1] in {"json", "txt", "csv", "html", "xml"}:
        return contenido.decode("utf-8", errors="replace")
    return ""  # the requester's own attachments and images: her data


def hallados(texto: str, mascaras: list[str], prohibidos=PROHIBIDOS) -> list[str]:
    """Each forbidden word left in `texto` once the demo's data is masked, with its context."""
    for mascara in mascaras:
        texto = texto.replace(mascara, "·")
    encontrados = []
    for palabra in prohibidos:
        inicio = texto.find(palabra)
        if inicio >= 0:
            encontrados.append(f"«{' '.join(texto[max(0, inicio - 60) : inicio + 60].split())}»")
    return encontrados


def cuerpo(respuesta) -> str:
    """What a person reads in the answer: the page, the file's text, the PDF's text, and in a
    ZIP (the expediente) each PDF's and each text file's."""
    contenido = b"".join(respuesta.streaming_content) if respuesta.streaming else respuesta.content
    tipo = respuesta.get("Content-Type", "")
    if tipo.startswith("application/pdf"):
        return _pdf_texto(contenido)
    if tipo.startswith("application/zip"):
        return _archivo_texto(".zip", contenido)
    return contenido.decode("utf-8", errors="replace")


def _construir() -> Mundo:
    import datetime
    import os

    import time_machine
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    from dictamenes.operacion.services.perfil_estado import perfil_cargar, perfil_leer
    from dictamenes.seguimiento.services import condiciones
    from dictamenes.tramite.selectors.tareas import tareas_abiertas
    from dictamenes.tramite.services import cierre, etapas
    from tests.dictamenes import flujo_utils as f

    m = Mundo(titulo_a=TITULO_A, titulo_b=TITULO_B)
    m.ids["mascaras"] = mascaras()
    m.ids["mascaras_datos"] = mascaras(PROHIBIDOS_DATOS)
    m.ids["aviso_desde"] = Aviso.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    perfil_cargar(
        perfil=perfil_leer(Path(settings.BASE_DIR) / PERFIL),
        por=f.usuario("admin"),
        permitir_demo=True,
    )
    # The texts' cache is forgotten when the new version commits; this world never commits.
    cache.clear()
    area = {clave: Area.objects.get(nombre=nombre) for clave, (nombre, _c, _r) in AREAS.items()}
    for clave, (_n, categoria, revisor) in AREAS.items():
        f.CATEGORIA_DE_AREA[area[clave].clave] = categoria
        f.REVISOR_DE_AREA[area[clave].clave] = revisor
    c, s, b = (area[k].clave for k in ("conectividad", "ciberseguridad", "bienes"))
    sol = {}
    sol["borrador"] = f.borrador(areas=(b,), titulo=f"{TITULO_A} (borrador)")
    sol["presentada"] = f.presentada(areas=(b,), titulo=f"{TITULO_A} (presentada)")
    for clave in ("prevenida", "desechada"):
        sol[clave] = f.presentada(areas=(c,), titulo=f"{TITULO_A} ({clave})")
        etapas.admision_resolver(
            solicitud=sol[clave],
            usuario=f.usuario("mesa"),
            admitir=False,
            faltantes="Falta la cotización.",
        )
    vence = Solicitud.objects.get(pk=sol["desechada"].pk).proceso.subsanar_vence
    with time_machine.travel(vence + datetime.timedelta(hours=1)):
        call_command("workflow_timers", stdout=open(os.devnull, "w"))  # noqa: SIM115
    sol["revision"] = f.admitida(areas=(c, b), titulo=f"{TITULO_A} (revisión)")
    etapas.informacion_pedir(
        solicitud=sol["revision"],
        usuario=f.usuario("revisor.conectividad"),
        area=area["conectividad"],
        pregunta="¿Cuántos puertos PoE?",
    )
    sol["devuelta"] = f.decidir(
        f.revisada(areas=(c,), titulo=f"{TITULO_A} (devuelta)"), devolver_a=area["conectividad"]
    )
    sol["estrategica"] = f.admitida(areas=(s,), titulo=f"{TITULO_A} (estratégica)")
    f.revisar(sol["estrategica"], s)
    sol["firma"] = f.en_firma(areas=(s,), titulo=f"{TITULO_A} (firma)")
    # Issued with two conditions of one of its two areas (one pending, one with evidence to
    # verify) and one without an area, which the deciding unit verifies.
    nombre_s = area["ciberseguridad"].nombre
    sol["emitida"] = f.en_firma(
        areas=(s, b),
        titulo=f"{TITULO_A} (emitida)",
        resultado="condicionado",
        condiciones=f"{nombre_s}: Entregar el plan de pruebas.\n{nombre_s}: Entregar la "
        "licencia.\nPublicar el aviso de privacidad.",
    )
    f.firmar(Solicitud.objects.get(pk=sol["emitida"].pk))
    sol["cancelada"] = f.admitida(areas=(b,), titulo=f"{TITULO_A} (cancelada)")
    cierre.solicitud_cancelar(
        solicitud=sol["cancelada"], usuario=f.usuario("estrategico"), motivo="Duplica otra."
    )
    sol["ajena"] = f.borrador(areas=(c,), requirente="requirente.rc", titulo=TITULO_B)
    for clave, solicitud in sol.items():
        solicitud = Solicitud.objects.get(pk=solicitud.pk)
        m.ids[clave] = solicitud.pk
        m.ids[f"{clave}:partida"] = solicitud.partidas.order_by("pk").first().pk
        m.ids[f"{clave}:anexo"] = solicitud.anexos.order_by("pk").first().pk
        m.ids[f"{clave}:proceso"] = solicitud.proceso.pk if hasattr(solicitud, "proceso") else 0
    emitida = Solicitud.objects.get(pk=sol["emitida"].pk)
    dictamen = emitida.dictamen_vigente
    m.ids |= {
        "dictamen": dictamen.pk,
        "folio": dictamen.folio,
        "proveedor_oidc": "estatal",
        "pdf": dictamen.pdf.name,
        "anexo_archivo": emitida.anexos.first().archivo.name,
    }
    pendiente, en_verificacion, _sin_area = dictamen.obligaciones.order_by("numero")
    m.ids["condicion_pendiente"] = pendiente.pk
    m.ids["condicion_en_verificacion"] = en_verificacion.pk
    m.ids["evidencia"] = condiciones.condicion_evidencia_subir(
        condicion=en_verificacion,
        usuario=f.usuario("requirente.sh"),
        archivo=SimpleUploadedFile("licencia.pdf", f.PDF_MINIMO, content_type="application/pdf"),
    ).pk
    # Issue 76: a contract under the emitida's dictamen, 50 % over what it approved, with its
    # document: it waits for the strategic reviewer, and the mesa may check it.
    from dictamenes.seguimiento.selectors.contratos import tope_del_dictamen
    from dictamenes.seguimiento.services import contratos as contratos_servicio

    vigente = emitida.dictamen_vigente
    m.ids["contrato"] = contratos_servicio.contrato_registrar(
        dictamen=vigente,
        usuario=f.usuario("requirente.sh"),
        numero="SH-MATRIZ-076",
        proveedor="Proveedora de la matriz, S.A. de C.V.",
        fecha=vigente.emitido_en.date(),
        monto=tope_del_dictamen(dictamen=vigente).aprobado * 3 / 2,
        motivo_exceso="Prueba de la matriz de acceso.",
        archivo=SimpleUploadedFile("contrato.pdf", f.PDF_MINIMO, content_type="application/pdf"),
    ).pk
    # A rectification proposed and not yet signed: the firmante's page names who proposed it.
    f.proponer(dictamen, motivos="Se corrige el plazo de la licencia.")
    # Issue 80: a sign naming a supplier, for its pages (as the access matrix's world has).
    from dictamenes.models import Senal, SenalProveedor

    presentada = Solicitud.objects.get(pk=sol["presentada"].pk)
    senal, _creada = Senal.objects.update_or_create(
        solicitud=presentada,
        codigo="cobertura",
        defaults={
            "ente_id": presentada.ente_id,
            "ejercicio": presentada.ejercicio,
            "texto": "Dos cotizaciones con el mismo precio (otro estado).",
            "detectada_en": presentada.presentada_en,
        },
    )
    SenalProveedor.objects.get_or_create(
        senal=senal, clave="proveedora de la matriz", defaults={"nombre": "Proveedora de la matriz"}
    )
    m.ids["senal"] = senal.pk
    m.ids["proveedor_senal"] = "proveedora de la matriz"
    revision = Solicitud.objects.get(pk=sol["revision"].pk)
    m.ids["peticion"] = revision.peticiones.get().pk
    tareas = {f.paso_de(t): t.pk for t in tareas_abiertas(solicitud=revision)}
    m.ids["tarea_redes"] = tareas[f"revision_tecnica:{c}"]
    m.ids["tarea_computo"] = tareas[f"revision_tecnica:{b}"]
    for rol, username in USUARIOS.items():
        cliente = Client()
        username = REVISOR_DE_COLUMNA.get(rol, username)
        if username:
            cliente.force_login(f.usuario(username))
        m.clientes[rol] = cliente
    _completar(m)
    return m


@pytest.fixture(scope="module")
def anahuac(django_db_setup, django_db_blocker):
    """Built in a transaction rolled back when the module ends, like the matrix's world; the
    helpers' tables of areas get Anáhuac's for as long, and the cache forgets its texts after."""
    with (
        django_db_blocker.unblock(),
        pytest.MonkeyPatch.context() as mp,
        override_settings(**AJUSTES_DE_ANAHUAC),
        transaction.atomic(),
    ):
        from tests.dictamenes import flujo_utils

        mp.setattr(flujo_utils, "CATEGORIA_DE_AREA", dict(flujo_utils.CATEGORIA_DE_AREA))
        mp.setattr(flujo_utils, "REVISOR_DE_AREA", dict(flujo_utils.REVISOR_DE_AREA))
        mail.outbox = []
        try:
            estado = _construir()
            llaves_comprobar()
            yield estado
        finally:
            transaction.set_rollback(True)
            cache.clear()


def test_el_perfil_cambio_los_nombres(anahuac):
    """The world speaks for Anáhuac: what the checks below would miss if the profile had not
    loaded (and the header shows it)."""
    vigentes = TextosInstitucionales.objects.vigentes()
    assert vigentes.institucion == "Agencia de Gobierno Digital del Estado de Anáhuac"
    assert vigentes.unidad_resuelve == "Coordinación de Dictaminación Tecnológica"
    assert vigentes.unidad_firma == "Agencia de Gobierno Digital"
    pagina = anahuac.clientes["anonimo"].get("/").content.decode()
    assert "<title>Inicio · Agencia de Gobierno Digital del Estado de Anáhuac</title>" in pagina


def test_ninguna_pagina_de_la_tabla_de_acceso_nombra_a_sonora(anahuac):
    escritas = tabla.leer()
    mascaras_ = anahuac.ids["mascaras"]
    from tests.seguridad import matriz

    fallas, leidas, esperadas, vistas = [], 0, 0, set()
    for patron in patrones():
        esperado = escritas[(patron.clave, patron.ruta)].get
        if not esperado:  # the API, asked through its schema
            continue
        ruta = matriz.RUTAS.get(patron.clave)
        url = url_de(patron, anahuac, ruta.params if ruta else None)
        for rol, respuesta_esperada in esperado.items():
            if respuesta_esperada != 200:
                continue
            # Two columns played by the same reviewer ask once.
            if (url, REVISOR_DE_COLUMNA.get(rol, rol)) in vistas:
                continue
            vistas.add((url, REVISOR_DE_COLUMNA.get(rol, rol)))
            esperadas += 1
            r = anahuac.clientes[rol].get(url)
            if r.status_code != 200:
                fallas.append(f"{patron.clave} como {rol}: respondió {r.status_code}")
                continue
            leidas += 1
            fallas += [f"{patron.clave} como {rol}: {h}" for h in hallados(cuerpo(r), mascaras_)]
    # Every file of the OCDS extension, not only the one the table asks about.
    for archivo in sorted(EXTENSION.iterdir()):
        r = anahuac.clientes["anonimo"].get(f"/datos-abiertos/ocds/extension/{archivo.name}")
        if r.status_code == 200:
            fallas += [f"extensión OCDS {archivo.name}: {h}" for h in hallados(cuerpo(r), [])]
    assert not fallas, "\n".join(fallas)
    assert leidas == esperadas > 700, (leidas, esperadas)


def test_cada_solicitud_en_cada_estado_su_historial_y_sus_avisos(anahuac):
    """Each request's page (its history included) and its expediente (historial.pdf,
    historial.json, the dictamen's PDF), as each role that sees it; the dictamen's PDF; every
    notice written (its text and its HTML) and every e-mail sent."""
    mascaras_ = anahuac.ids["mascaras"]
    roles = ("requirente_a", "mesa", "revisor_redes", "revisor_seguridad", "revisor_computo")
    roles += ("estrategico", "firmante", "auditor", "administrador")
    fallas, leidas = [], 0
    for estado in ESTADOS:
        pk = anahuac.ids[estado]
        # The page as each role; the expediente (the same file for all who get it) once.
        for sufijo, quienes in (("", roles), ("expediente.zip", ("auditor",))):
            url = f"/solicitudes/{pk}/{sufijo}"
            for rol in quienes:
                r = anahuac.clientes[rol].get(url)
                if r.status_code in (403, 404) and (rol.startswith("revisor") or sufijo):
                    continue  # a reviewer sees only her areas' requests; a draft has no file
                assert r.status_code == 200, (url, rol, r.status_code)
                leidas += 1
                fallas += [
                    f"{estado} {url} como {rol}: {h}" for h in hallados(cuerpo(r), mascaras_)
                ]
    pdf = anahuac.clientes["requirente_a"].get(
        f"/solicitudes/{anahuac.ids['emitida']}/dictamenes/{anahuac.ids['dictamen']}/pdf/"
    )
    texto_pdf = cuerpo(pdf)
    assert "la Coordinación de Dictaminación Tecnológica resolvió" in texto_pdf
    fallas += [f"PDF del dictamen: {h}" for h in hallados(texto_pdf, mascaras_)]
    avisos = list(Aviso.objects.filter(pk__gt=anahuac.ids["aviso_desde"]))
    for aviso in avisos:
        for parte in (aviso.asunto, aviso.mensaje, aviso.html):
            fallas += [f"aviso «{aviso.asunto}»: {h}" for h in hallados(parte, mascaras_)]
    for correo in mail.outbox:
        partes = [correo.subject, correo.body, *(c for c, _t in correo.alternatives)]
        for parte in partes:
            fallas += [f"correo «{correo.subject}»: {h}" for h in hallados(parte, mascaras_)]
    assert not fallas, "\n".join(fallas)
    assert leidas > 60 and len(avisos) > 10, (leidas, len(avisos))


# --- Issue 61: the open data, the expediente's PDFs and the API -------------------------------

_ENLACE = re.compile(r"(?:https?://[\w.:-]+)?(/datos-abiertos/[\w.~%/:+-]*)")


def _datos_abiertos(cliente) -> dict[str, str]:
    """Every file of /datos-abiertos/, read as anyone reads it: from the page, the DCAT
    catalogue, the data package and the OCDS page, each address any of them gives (every
    dataset, format, schema, month's release package, record package and the extension's
    files), followed until none is new. {path: text}."""
    por_leer = [
        "/datos-abiertos/",
        "/datos-abiertos/catalogo.jsonld",
        "/datos-abiertos/catalogo.ttl",
        "/datos-abiertos/catalogo.rdf",
        "/datos-abiertos/datapackage.json",
        "/datos-abiertos/ocds/",
    ]
    leidos = {}
    while por_leer:
        ruta = por_leer.pop()
        # Not files: the extension's folder (packages give it to put «extension.json» after)
        # and the record's address as the OCDS page explains it («…-FOLIO.json»).
        if ruta in leidos or ruta.endswith(("/ocds/extension/", "-FOLIO.json")):
            continue
        r = cliente.get(ruta)
        assert r.status_code == 200, (ruta, r.status_code)
        leidos[ruta] = texto = cuerpo(r)
        por_leer += [enlace for enlace in _ENLACE.findall(texto) if enlace not in leidos]
    return leidos


def _api(cliente, anahuac) -> dict[str, str]:
    """The API's answers as the auditor reads them: the register, the dictámenes and the
    requests, each list and the issued request's and its dictamen's detail."""
    rutas = ["/api/v1/registro/", "/api/v1/dictamenes/", "/api/v1/solicitudes/"]
    rutas += [
        f"/api/v1/dictamenes/{anahuac.ids['dictamen']}/",
        f"/api/v1/solicitudes/{anahuac.ids['emitida']}/",
    ]
    leidas = {}
    for ruta in rutas:
        r = cliente.get(ruta)
        assert r.status_code == 200, (ruta, r.status_code)
        leidas[ruta] = r.content.decode()
    return leidas


def test_datos_abiertos_expediente_y_api_no_nombran_a_sonora(anahuac):
    """In the profile's zone, with the profile loaded and a dictamen issued: every file of the
    open data, the text of every PDF inside the requests' expedientes and the API's answers
    say neither «Sonora», «Hermosillo», «Subsecretaría» nor the demo signer's post."""
    from django.conf import settings

    assert settings.TIME_ZONE == "America/Mexico_City"  # the profile's zone
    mascaras_ = anahuac.ids["mascaras_datos"]
    anonimo, auditor = anahuac.clientes["anonimo"], anahuac.clientes["auditor"]
    leidos = _datos_abiertos(anonimo)
    # What the catalogue and the package list was read, not only the pages.
    assert "/datos-abiertos/dictamenes.csv" in leidos
    assert any(r.startswith("/datos-abiertos/esquemas/") for r in leidos)
    assert any(r.startswith("/datos-abiertos/ocds/entregas/") for r in leidos)
    assert any(r.startswith("/datos-abiertos/ocds/registros/") for r in leidos)
    fallas = [
        f"{ruta}: {h}"
        for ruta, texto in leidos.items()
        for h in hallados(texto, mascaras_, PROHIBIDOS_DATOS)
    ]
    expedientes = 0
    for estado in ESTADOS:
        r = auditor.get(f"/solicitudes/{anahuac.ids[estado]}/expediente.zip")
        if r.status_code == 404:
            continue  # a draft has no expediente
        assert r.status_code == 200, (estado, r.status_code)
        contenido = b"".join(r.streaming_content) if r.streaming else r.content
        with zipfile.ZipFile(io.BytesIO(contenido)) as zf:
            for nombre in zf.namelist():
                if nombre.endswith(".pdf") and not nombre.startswith("anexos/"):
                    expedientes += 1
                    texto = _pdf_texto(zf.read(nombre))
                    fallas += [
                        f"{estado} expediente.zip {nombre}: {h}"
                        for h in hallados(texto, mascaras_, PROHIBIDOS_DATOS)
                    ]
    for ruta, texto in _api(auditor, anahuac).items():
        fallas += [f"{ruta}: {h}" for h in hallados(texto, mascaras_, PROHIBIDOS_DATOS)]
    assert not fallas, "\n".join(fallas)
    assert expedientes >= 9, expedientes


def test_el_catalogo_guardado_cambia_en_cuanto_cambian_sus_datos(anahuac):
    """The DCAT catalogue and the data package are built once per data version and day
    (publico.catalogo) and served from the cache after: a new name for the institution shows
    in the catalogue as soon as it is saved, and a request presented afterwards moves the
    catalogue's and the package's dates (the month's OCDS package changed)."""
    from dictamenes.organizacion.selectors.textos import textos_vigentes
    from dictamenes.organizacion.services import textos
    from tests.dictamenes import flujo_utils as f

    anonimo = anahuac.clientes["anonimo"]
    rutas = ("/datos-abiertos/catalogo.ttl", "/datos-abiertos/datapackage.json")
    antes = {ruta: anonimo.get(ruta).content.decode() for ruta in rutas}
    assert {ruta: anonimo.get(ruta).content.decode() for ruta in rutas} == antes  # the same
    anterior = textos_vigentes().institucion
    assert f'"{anterior}"@es' in antes[rutas[0]]
    vigentes = textos_vigentes()
    datos = {c: getattr(vigentes, c) for c in textos.CAMPOS if c != "membrete_imagen_sha256"}
    textos.textos_guardar(
        usuario=f.usuario("admin"), datos=datos | {"institucion": "Agencia Digital de Anáhuac"}
    )
    renombrado = anonimo.get(rutas[0]).content.decode()
    assert '"Agencia Digital de Anáhuac"@es' in renombrado
    assert f'"{anterior}"@es' not in renombrado
    bienes = Area.objects.get(nombre=AREAS["bienes"][0]).clave
    f.presentada(areas=(bienes,), titulo="Presentada tras el cambio de nombre")
    despues = {ruta: anonimo.get(ruta).content.decode() for ruta in rutas}
    creado = json.loads(despues[rutas[1]])["created"]
    assert creado > json.loads(antes[rutas[1]])["created"]
    # The month's package, dated when it changed: in the catalogue too.
    assert f'"{creado}"^^xsd:dateTime' in despues[rutas[0]]
    assert f'"{creado}"^^xsd:dateTime' not in renombrado
