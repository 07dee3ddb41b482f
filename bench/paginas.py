"""The pages measured by make bench, resolved against the data in the database.

Run with Django set up (python bench/paginas.py): prints a JSON list of pages, each with the
person who opens it, its URL, its kind, its budget and, for a baseline, the page it is the
baseline of.
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")

import django  # noqa: E402

django.setup()

from django.db.models import Count  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from dictamenes.models import (  # noqa: E402
    Dictamen,
    Ente,
    Partida,
    Perfil,
    ReferenciaPrecio,
    Solicitud,
)
from publico.ocds.entregas import ocid_de  # noqa: E402

HTML, API, CSV = "html", "api", "csv"
# Each role's home page, with its «Pendientes» block: who opens it.
INICIOS = (
    ("requirente", "requirente.sh"),
    ("mesa de control", "mesa"),
    ("revisor", "revisor.computo"),
    ("revisor estratégico", "estrategico"),
    ("firmante", "firmante"),
    ("auditor", "auditor"),
    ("administrador", "admin"),
)
# The demo's request of ten items awaiting the strategic decision (demo/solicitudes.py).
DIEZ_PARTIDAS = "Equipamiento de las nuevas oficinas de recaudación"
# The requirente whose item form asks for the live check (partida_evaluar).
REQUIRENTE = "requirente.sh"


def _partida_con_referencia() -> Partida:
    """The item the strategic reviewer weighs: of the latest requests in strategic review,
    the first item whose profile has a reference that reaches the minimum (or, if none has,
    the first item: the demo's request of ten items always waits there)."""
    suficientes = set(
        ReferenciaPrecio.objects.filter(suficiente=True).values_list(
            "categoria_clave", "perfil_clave", "unidad"
        )
    )
    partidas = list(
        Partida.objects.filter(solicitud__estado=Solicitud.Estado.REVISION_ESTRATEGICA)
        .select_related("perfil__categoria", "solicitud")
        .order_by("-solicitud_id", "pk")[:200]
    )
    con_referencia = [
        p for p in partidas if (p.perfil.categoria.clave, p.perfil.clave, p.unidad) in suficientes
    ]
    return (con_referencia or partidas)[0]


def _precios(partida: Partida) -> list[tuple]:
    """Price (issue 62): the reviewer's item price page, the request's detail as the
    strategic reviewer sees it with its prices, and the requirente's live check of an item
    as typed (partida_evaluar, a POST). The item page is helper B's: where its URL does not
    resolve yet, it is left out with its reason."""
    solicitud = partida.solicitud
    try:
        precio = reverse("solicitudes:partida_precio", args=[solicitud.pk, partida.pk])
    except NoReverseMatch:
        precio = None
    # A draft of the requirente's agency (its item form is where the check runs).
    ente = Perfil.objects.get(usuario__username=REQUIRENTE).ente_id
    propias = Solicitud.objects.filter(ente_id=ente).order_by("-pk")
    propia = propias.filter(estado=Solicitud.Estado.BORRADOR).first() or propias.first()
    tecleada = {
        "perfil": partida.perfil_id,
        "descripcion": partida.descripcion,
        "cantidad": partida.cantidad,
        "precio_unitario": partida.precio_unitario,
        "unidad": partida.unidad,
        "meses": partida.meses or "",
    }
    return [
        (
            "Precio de una partida (revisor estratégico)",
            "estrategico",
            precio,
            HTML,
            None,
            None,
            None if precio else "la URL solicitudes:partida_precio no existe en esta rama",
        ),
        (
            "Detalle con precios (revisor estratégico)",
            "estrategico",
            f"/solicitudes/{solicitud.pk}/",
            HTML,
            None,
        ),
        (
            "Precio en vivo de la partida (requirente)",
            REQUIRENTE,
            reverse("solicitudes:partida_evaluar", args=[propia.pk]),
            API,
            None,
            tecleada,
        ),
    ]


def paginas() -> list[dict]:
    ente = Ente.objects.annotate(n=Count("solicitudes")).order_by("-n", "pk").first()
    anios = list(Solicitud.objects.values_list("ejercicio", flat=True).distinct().order_by())
    anio = sorted(anios)[-2] if len(anios) > 1 else anios[0]
    detalle = (
        Solicitud.objects.filter(estado=Solicitud.Estado.DICTAMINADA, ejercicio=anio)
        .annotate(n=Count("eventos"))
        .order_by("-n", "-pk")
        .first()
    )
    dictamen = Dictamen.objects.select_related("solicitud").order_by("-emitido_en").first()
    # The month of the latest dictamen: a full month of releases.
    mes = dictamen.emitido_en.astimezone(timezone.get_current_timezone()).strftime("%Y-%m")
    diez = Solicitud.objects.get(titulo=DIEZ_PARTIDAS)
    busqueda = (
        f"/solicitudes/?ejercicio={anio}&estado=dictaminada&resultado=favorable"
        "&area=computo&monto_min=100000&q=equipo"
    )
    p = [
        ("Bandeja (revisor)", "revisor.computo", "/flujos/workflow/inbox/", HTML, None),
        ("Cola (revisor)", "revisor.computo", "/flujos/workflow/queue/", HTML, None),
        ("Cola (mesa de control)", "mesa", "/flujos/workflow/queue/", HTML, None),
        (
            "Solicitudes por ente, año y texto (revisor)",
            "revisor.computo",
            f"/solicitudes/?ente={ente.pk}&ejercicio={anio}&q=equipo",
            HTML,
            None,
        ),
        ("Detalle con historial", "revisor.computo", f"/solicitudes/{detalle.pk}/", HTML, None),
        ("Mis solicitudes (requirente)", "requirente.sh", "/solicitudes/", HTML, None),
        ("Búsqueda filtrada (auditor)", "auditor", busqueda, HTML, None),
        ("Todas las solicitudes (auditor)", "auditor", "/solicitudes/", HTML, None),
        ("Indicadores", "auditor", "/indicadores/", HTML, None),
        # Issue 80: the auditor's signs, filtered by one sign and the year before last.
        (
            "Señales filtradas por señal (auditor)",
            "auditor",
            f"/senales/?codigo=cobertura&ejercicio={anio}",
            HTML,
            None,
        ),
        ("Registro público", None, "/registro/", HTML, None),
        ("Verificar un folio", None, f"/verificar/{dictamen.folio}/", HTML, None),
        ("API solicitudes", "auditor", "/api/v1/solicitudes/", API, None),
        ("API dictámenes", "auditor", "/api/v1/dictamenes/", API, None),
        ("API registro público", None, "/api/v1/registro/", API, None),
        *((f"Inicio con pendientes ({rol})", u, "/", HTML, None) for rol, u in INICIOS),
        ("Áreas (administrador)", "admin", "/cuentas/areas/", HTML, None),
        ("Cambios por aprobar (administrador)", "admin", "/cuentas/cambios/", HTML, None),
        ("Estado del sistema (administrador)", "admin", "/cuentas/sistema/", HTML, None),
        # The plan runs the year simulation (issue 50); the what-if runs it twice.
        (
            "Capacidad para el cierre (revisor estratégico)",
            "estrategico",
            "/capacidad/",
            HTML,
            None,
        ),
        ("OCDS: paquete del mes", None, f"/datos-abiertos/ocds/entregas/{mes}.json", API, None),
        (
            "OCDS: un registro",
            None,
            f"/datos-abiertos/ocds/registros/{ocid_de(dictamen.solicitud.folio)}.json",
            API,
            None,
        ),
        (
            "Decisión estratégica de diez partidas",
            "estrategico",
            f"/solicitudes/{diez.pk}/",
            HTML,
            None,
        ),
        ("Datos abiertos CSV completo", None, "/datos-abiertos/dictamenes.csv", CSV, None),
        # viewflow's own views over the same data: the baselines.
        (
            "viewflow: bandeja",
            "revisor.computo",
            "/flujos/workflow/base/inbox/",
            HTML,
            "Bandeja (revisor)",
        ),
        (
            "viewflow: cola",
            "revisor.computo",
            "/flujos/workflow/base/queue/",
            HTML,
            "Cola (revisor)",
        ),
        (
            "viewflow: lista de procesos",
            "mesa",
            "/flujos/workflow/flows/dictamen/flows/",
            HTML,
            "Todas las solicitudes (auditor)",
        ),
        *_precios(_partida_con_referencia()),
    ]
    return [_pagina(*fila) for fila in p]


def _pagina(nombre, usuario, url, tipo, base_de, datos=None, omitida=None) -> dict:
    """`datos`: the form fields the page is POSTed with (a GET without them). `omitida`: why
    the page is not measured in this tree (the bench says so and goes on)."""
    return {
        "nombre": nombre,
        "usuario": usuario,
        "url": url,
        "tipo": tipo,
        "base_de": base_de,
        "datos": {k: str(v) for k, v in datos.items()} if datos else None,
        "omitida": omitida,
    }


if __name__ == "__main__":
    json.dump(paginas(), sys.stdout, ensure_ascii=False)
