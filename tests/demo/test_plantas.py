"""The history with known red flags (issue 80, item 6): what the truth file says was planted
is in the rows, as a person reading each sign's sentence would find it, and a clean request
looks like an honest one. Read from the rows with this file's own arithmetic, not the signs'
services; and the planting code imports none of the system's rules."""

import ast
import datetime
import json
import statistics
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from demo.historico import con_senales
from dictamenes.models import Condicion, Contrato, Cotizacion, DecisionPartida, Partida, Solicitud

HASTA = timezone.make_aware(datetime.datetime(2026, 11, 20, 12, 0))
RAIZ = Path(__file__).resolve().parents[2]
MODULOS = ("demo/historico/plantas.py", "demo/historico/cotizaciones_plantadas.py")
PROHIBIDOS = ("dictamenes.senales", "dictamenes.precios", "dictamenes.tramite")


def _importa(ruta: Path) -> set[str]:
    arbol = ast.parse(ruta.read_text(encoding="utf-8"))
    nombres = set()
    for nodo in ast.walk(arbol):
        if isinstance(nodo, ast.Import):
            nombres |= {a.name for a in nodo.names}
        elif isinstance(nodo, ast.ImportFrom) and nodo.module:
            nombres |= {nodo.module} | {f"{nodo.module}.{a.name}" for a in nodo.names}
    return nombres


@pytest.mark.parametrize("modulo", MODULOS)
def test_lo_plantado_no_importa_reglas_del_sistema(modulo):
    # Directly here; through other modules, import-linter's forbidden contract (pyproject).
    prohibidos = {n for n in _importa(RAIZ / modulo) if n.startswith(PROHIBIDOS)}
    assert not prohibidos, prohibidos
    assert "dictamenes.models" in _importa(RAIZ / modulo)  # it does read the rows


def _clave(nombre: str) -> str:
    """A company as a person compares names: without case, punctuation or legal form."""
    plano = "".join(c if c.isalnum() else " " for c in nombre.casefold()).split()
    formas = ("s a de c v", "sa de cv", "s de r l de c v", "s de rl de cv", "s a p i de c v")
    for forma in (f.split() for f in (*formas, "sapi de cv")):
        if plano[-len(forma) :] == forma:
            return " ".join(plano[: -len(forma)])
    return " ".join(plano)


def _cubiertas(cotizaciones) -> bool:
    """Two quotes of an item from different companies sharing a file, phone, address or
    signer, or priced within 0.5 %; or a company quoting two items at one ratio over another."""
    por_partida = defaultdict(list)
    for c in cotizaciones:
        por_partida[c.partida_id].append(c)
    for grupo in por_partida.values():
        for i, a in enumerate(grupo):
            for b in grupo[i + 1 :]:
                if _clave(a.proveedor) == _clave(b.proveedor):
                    continue
                for campo in ("domicilio", "telefono", "firmante_huella"):
                    if getattr(a, campo) and getattr(a, campo) == getattr(b, campo):
                        return True
                if a.anexo.sha256 == b.anexo.sha256:
                    return True
                if abs(a.precio_unitario - b.precio_unitario) <= min(
                    a.precio_unitario, b.precio_unitario
                ) * Decimal("0.005"):
                    return True
    precio = {(_clave(c.proveedor), c.partida_id): c.precio_unitario for c in cotizaciones}
    empresas = sorted({e for e, _p in precio})
    for i, x in enumerate(empresas):
        for y in empresas[i + 1 :]:
            razones = [
                precio[(y, p)] / precio[(x, p)]
                for p in por_partida
                if (x, p) in precio and (y, p) in precio
            ]
            if len(razones) > 1 and max(razones) / min(razones) <= Decimal("1.005"):
                return True
    return False


@pytest.fixture
def historia(demo, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    con_senales.generar(anios=2, escala=0.3, hasta=HASTA, semilla=11, tasa=0.1)
    return json.loads((tmp_path / con_senales.VERDAD).read_text(encoding="utf-8"))


def test_lo_que_dice_la_verdad_esta_en_las_filas_y_lo_limpio_es_limpio(historia):
    plantadas = {int(k): set(v) for k, v in historia["plantadas"].items()}
    del_mundo = {int(k): set(v) for k, v in historia["del_mundo"].items()}
    solicitudes = Solicitud.objects.in_bulk(historia["solicitudes"])
    cotizaciones = defaultdict(list)
    for c in Cotizacion.objects.filter(partida__solicitud__in=solicitudes).select_related("anexo"):
        cotizaciones[c.partida_id].append(c)
    partidas = defaultdict(list)
    for p in Partida.objects.filter(solicitud__in=solicitudes).order_by("pk"):
        partidas[p.solicitud_id].append(p)
    contratos = {
        c.dictamen.solicitud_id: c
        for c in Contrato.objects.filter(dictamen__solicitud__in=solicitudes)
        .select_related("dictamen")
        .prefetch_related("entregas")
    }
    sin_motivo = set(
        DecisionPartida.objects.filter(texto="").values_list("partida__solicitud_id", flat=True)
    )
    atrasadas = set(
        Condicion.objects.filter(estado="pendiente", vence__lt=HASTA.date()).values_list(
            "dictamen__solicitud_id", flat=True
        )
    )

    def hallado(sid: int, codigo: str) -> bool:
        s, ps, contrato = solicitudes[sid], partidas[sid], contratos.get(sid)
        todas = [c for p in ps for c in cotizaciones[p.pk]]
        quienes = {_clave(c.proveedor) for c in todas}
        aprobado = sum(p.importe for p in ps)
        entregas = list(contrato.entregas.all()) if contrato else []
        return {
            "precio_alto": lambda: any(
                p.precio_unitario
                > Decimal("1.4") * statistics.median(c.precio_unitario for c in cotizaciones[p.pk])
                for p in ps
            ),
            "pocas_cotizaciones": lambda: any(
                len({_clave(c.proveedor) for c in cotizaciones[p.pk]}) < 3 for p in ps
            ),
            "cobertura": lambda: _cubiertas(todas),
            "proveedor_del_ente": lambda: any(
                _clave(s.ente.siglas) in _clave(c.proveedor).split()
                or _clave(s.ente.nombre) == _clave(c.proveedor)
                for c in todas
            ),
            "contrato_excede": lambda: contrato.monto > aprobado,
            "contrato_sin_cotizacion": lambda: _clave(contrato.proveedor) not in quienes,
            "aprobada_sin_motivo": lambda: sid in sin_motivo,
            "vigencia_vencida": lambda: contrato.fecha > s.dictamenes.get().vigencia_hasta,
            "condiciones_vencidas": lambda: sid in atrasadas,
            "entrega_faltante": lambda: not entregas and contrato.termino < HASTA.date(),
            "pago_excede": lambda: sum(e.monto_pagado for e in entregas) > contrato.monto,
            "entrega_distinta": lambda: any(
                e.cantidades != {str(p.pk): p.cantidad for p in ps} for e in entregas
            ),
        }[codigo]()

    vistas = defaultdict(int)
    for sid, codigos in plantadas.items():
        for codigo in codigos - {"proveedor_dominante"}:
            assert hallado(sid, codigo), (sid, codigo)
            vistas[codigo] += 1
    # Every planted sign but the agency-year's (too few agency-years here) has cases.
    assert set(vistas) >= {
        "precio_alto",
        "pocas_cotizaciones",
        "cobertura",
        "proveedor_del_ente",
        "contrato_excede",
        "contrato_sin_cotizacion",
        "vigencia_vencida",
        "entrega_faltante",
        "pago_excede",
        "entrega_distinta",
        "condiciones_vencidas",
        "aprobada_sin_motivo",
    }, vistas
    # Clean requests: none of those readings finds anything, and each item has three quotes.
    limpias = [sid for sid in solicitudes if sid not in plantadas and sid not in del_mundo]
    assert len(limpias) > 0.25 * len(solicitudes)  # at ten times the bench's rates
    for sid in limpias:
        for codigo in ("precio_alto", "pocas_cotizaciones", "cobertura", "proveedor_del_ente"):
            assert not hallado(sid, codigo), (sid, codigo)
        if sid in contratos:
            for codigo in (
                "contrato_excede",
                "contrato_sin_cotizacion",
                "vigencia_vencida",
                "pago_excede",
                "entrega_distinta",
            ):
                assert not hallado(sid, codigo), (sid, codigo)
        assert sid not in atrasadas and sid not in sin_motivo
    # The world's own: a request in the year's last business days is in the truth.
    for sid, codigos in del_mundo.items():
        if "cierre_de_ejercicio" in codigos:
            assert solicitudes[sid].presentada_en.astimezone().date() >= datetime.date(
                solicitudes[sid].ejercicio, 12, 20
            )
