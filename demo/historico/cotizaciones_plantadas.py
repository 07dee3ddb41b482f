"""The quotes of the history with known red flags (demo.historico.plantas): a pool of
companies that share nothing, three quotes per item apart from one another, and the planted
cases of the quotes' signs (fewer than three, cover quotes, a quote from the agency itself).
Like plantas, it reads and writes rows only: nothing of the signs', prices' or procedure's
rules."""

import datetime
import hashlib
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from demo.rfc import rfc_de_empresa
from dictamenes.models import (
    Anexo,
    Condicion,
    Contrato,
    Cotizacion,
    DecisionPartida,
    Entrega,
)

TASA = 0.03  # each planted sign, among the requests it can be planted on
CARO = (1.6, 2.5)  # an item far above the market: times the market price
CALMO = (0.93, 1.07)  # every other item: times the market price
PESO = Decimal(1)
CENTAVO = Decimal("0.01")
# The codes (dictamenes.models.CodigoSenal), written out: they are the rulebook's names.
FRACCIONAMIENTO = "fraccionamiento"
PRECIO_ALTO = "precio_alto"
POCAS = "pocas_cotizaciones"
COBERTURA = "cobertura"
DEL_ENTE = "proveedor_del_ente"
EXCEDE = "contrato_excede"
SIN_COTIZACION = "contrato_sin_cotizacion"
SIN_MOTIVO = "aprobada_sin_motivo"
DOMINANTE = "proveedor_dominante"
CIERRE = "cierre_de_ejercicio"
VIGENCIA = "vigencia_vencida"
CONDICIONES = "condiciones_vencidas"
FALTANTE = "entrega_faltante"
PAGO = "pago_excede"
DISTINTA = "entrega_distinta"
CODIGOS = (
    FRACCIONAMIENTO,
    PRECIO_ALTO,
    POCAS,
    COBERTURA,
    DEL_ENTE,
    EXCEDE,
    SIN_COTIZACION,
    SIN_MOTIVO,
    DOMINANTE,
    CIERRE,
    VIGENCIA,
    CONDICIONES,
    FALTANTE,
    PAGO,
    DISTINTA,
)
# Where the request is once presented; the agency's other requests a split is made of are
# those still alive (not desechada, cancelada or desistida).
VIVAS = {
    "admision",
    "prevenida",
    "revision_tecnica",
    "revision_estrategica",
    "firma",
    "dictaminada",
}
COBERTURAS = ("precio", "casi", "archivo", "telefono", "domicilio", "firmante", "razon")

_RAICES = (
    "Redes",
    "Sistemas",
    "Cómputo",
    "Soluciones",
    "Tecnologías",
    "Servicios Digitales",
    "Telecomunicaciones",
    "Integradora",
    "Infraestructura",
    "Consultoría Informática",
)
_LUGARES = (
    "del Noroeste",
    "de Sonora",
    "del Pacífico",
    "del Yaqui",
    "de Cajeme",
    "del Desierto",
    "de Occidente",
    "del Mayo",
    "Peninsular",
)
_FORMAS = ("S.A. de C.V.", "S. de R.L. de C.V.", "S.A.P.I. de C.V.")
_CALLES = ("Reforma", "Juárez", "Hidalgo", "Morelos", "Obregón", "Rosales", "Serdán", "Colosio")


@dataclass(frozen=True)
class Proveedor:
    nombre: str
    domicilio: str
    telefono: str
    huella: str  # who signs its quotes, as a keyed hash would keep it
    rfc: str = ""  # issue 88: a company's, in its own field; an agency quoting has none here


def proveedores() -> list[Proveedor]:
    """The pool: ninety companies, each with an address, a phone, a signer and an RFC of its
    own."""
    pool = []
    for i, (raiz, lugar) in enumerate((r, lugar) for r in _RAICES for lugar in _LUGARES):
        nombre = f"{raiz} {lugar}, {_FORMAS[i % len(_FORMAS)]}"
        pool.append(
            Proveedor(
                nombre=nombre,
                domicilio=f"Blvd. {_CALLES[i % len(_CALLES)]} {100 + 7 * i}, Hermosillo, Son.",
                telefono=f"662 {200 + i:03d} {1000 + 37 * i:04d}",
                huella=hashlib.sha256(f"firmante|{nombre}".encode()).hexdigest(),
                rfc=rfc_de_empresa(nombre),
            )
        )
    return pool


class Llaves:
    """Primary keys handed out in advance, after the last of each table."""

    def __init__(self, *modelos):
        self._siguiente = {}
        for modelo in modelos:
            ultimo = modelo._base_manager.order_by("-pk").values_list("pk", flat=True).first()
            self._siguiente[modelo] = (ultimo or 0) + 1

    def __call__(self, modelo) -> int:
        valor = self._siguiente[modelo]
        self._siguiente[modelo] = valor + 1
        return valor


@dataclass
class Filas:
    """One year's planted rows, written together (in this order: each references the last)."""

    anexos: list = field(default_factory=list)
    cotizaciones: list = field(default_factory=list)
    decisiones: list = field(default_factory=list)
    contratos: list = field(default_factory=list)
    entregas: list = field(default_factory=list)
    condiciones: list = field(default_factory=list)

    def modelos(self):
        return (
            (Anexo, self.anexos),
            (Cotizacion, self.cotizaciones),
            (DecisionPartida, self.decisiones),
            (Contrato, self.contratos),
            (Entrega, self.entregas),
            (Condicion, self.condiciones),
        )


@dataclass
class Resumen:
    """What the split sign and the concentration sign read of a request, once all is written."""

    ente: int
    ejercicio: int
    anio_presentada: int
    viva: bool
    monto: Decimal
    por_familia: dict


def centavos(valor) -> Decimal:
    return Decimal(valor).quantize(CENTAVO, ROUND_HALF_UP)


class Cotizador:
    """The quotes of one request (a part of plantas.Plantador)."""

    def _anexo(self, filas, s, *, tipo: str, nombre: str, sha256: str, momento) -> Anexo:
        anexo = Anexo(
            id=self.llaves(Anexo),
            solicitud_id=s.pk,
            tipo=tipo,
            archivo=f"expedientes/historico/{tipo}/{sha256[:16]}.pdf",
            nombre=nombre,
            content_type="application/pdf",
            tamano=2048 + int(sha256[:3], 16),
            sha256=sha256,
            subido_por_id=s.creada_por_id,
            subido_en=momento,
        )
        filas.anexos.append(anexo)
        return anexo

    def _separados(self, azar, n_partidas: int) -> list[list[float]]:
        """Per item, three suppliers' prices in times the item's: the lowest about the item's,
        the middle 3–10 % over it, the highest 13–25 % over; two suppliers' ratios differing
        from item to item by more than 3 %."""
        for _intento in range(50):
            filas = [
                [azar.uniform(0.97, 1.0), azar.uniform(1.03, 1.10), azar.uniform(1.13, 1.25)]
                for _ in range(n_partidas)
            ]
            for f in filas:
                azar.shuffle(f)
            parejas = [(a, b) for a in range(3) for b in range(a + 1, 3)]
            if all(
                max(r) / min(r) > 1.03
                for a, b in parejas
                for r in [[f[b] / f[a] for f in filas]]
                if len(r) > 1
            ):
                return filas
        raise RuntimeError("no se hallaron precios separados")

    def _cotizar(self, filas, azar, s, partidas, caso, dominado) -> tuple[list, Decimal]:
        """Three suppliers quote every item (four, with an extra one, in some planted cases);
        returns who quoted and the middle price of the first item's quotes."""
        tres = azar.sample(self.pool, 3)
        if dominado is not None and dominado not in tres:
            tres[0] = dominado
        veces = self._separados(azar, len(partidas))
        presentada = s.presentada_en.date()
        variante = azar.choice(COBERTURAS if len(partidas) > 1 else COBERTURAS[:-1])
        quienes, mediana = list(tres), None
        for n, p in enumerate(partidas):
            # A dear item's quotes are the market's, not its own price's.
            base = (
                p.precio_unitario / Decimal(str(sum(CARO) / 2))
                if n == 0 and PRECIO_ALTO in self.plantadas[s.pk]
                else p.precio_unitario
            )
            cotizaciones = [
                [prov, centavos(base * Decimal(f"{v:.4f}")), prov, None]
                for prov, v in zip(tres, veces[n], strict=True)
            ]  # [who, price, whose details, file hash]
            if caso == POCAS and n == 0:
                if azar.random() < 0.5:
                    cotizaciones.pop()
                else:  # the same company twice, written another way
                    otro = tres[0].nombre.upper().replace(".", "").replace(",", "")
                    cotizaciones[1][0] = cotizaciones[1][2] = replace(tres[0], nombre=otro)
            elif caso == COBERTURA:
                self._cubrir(azar, variante, n, cotizaciones, veces, base)
            elif caso == DEL_ENTE and n == 0:
                ente = s.ente
                nombre = azar.choice(
                    [ente.nombre, ente.siglas, f"Comercializadora Estatal ({ente.siglas})"]
                )
                cotizaciones.append(
                    [
                        Proveedor(nombre, "", "", ""),
                        centavos(base * Decimal("1.02")),
                        Proveedor(nombre, "", "", ""),
                        None,
                    ]
                )
            if n == 0:
                precios = sorted(c[1] for c in cotizaciones)
                mediana = precios[len(precios) // 2]
            for i, (prov, precio, datos, archivo) in enumerate(cotizaciones):
                # Each on a day of its own, within a month before the presentation.
                fecha = presentada - datetime.timedelta(days=3 + 7 * i + azar.randint(0, 6))
                sha = archivo or f"{azar.getrandbits(256):064x}"
                anexo = self._anexo(
                    filas,
                    s,
                    tipo="cotizacion",
                    nombre=f"cotizacion-{n + 1}-{i + 1}.pdf",
                    sha256=sha,
                    momento=s.creada_en,
                )
                filas.cotizaciones.append(
                    Cotizacion(
                        id=self.llaves(Cotizacion),
                        partida_id=p.pk,
                        proveedor=prov.nombre,
                        proveedor_rfc=prov.rfc,
                        precio_unitario=max(precio, CENTAVO),
                        fecha=fecha,
                        vigencia=fecha + datetime.timedelta(days=120),
                        domicilio=datos.domicilio,
                        telefono=datos.telefono,
                        firmante_huella=datos.huella,
                        anexo=anexo,
                    )
                )
        return quienes, mediana

    def _cubrir(self, azar, variante, n, cotizaciones, veces, base):
        """Cover quotes: the second and third suppliers' quotes made to look like the first's.
        A fourth, honest quote keeps three that count when the file repeats."""
        primera = cotizaciones[0]
        if variante == "precio":
            for c in cotizaciones[1:]:
                c[1] = primera[1]
        elif variante == "casi":
            cotizaciones[1][1] = centavos(
                primera[1] * Decimal(str(1 + azar.uniform(0.0005, 0.003)))
            )
        elif variante == "archivo":
            primera[3] = primera[3] or f"{azar.getrandbits(256):064x}"
            cotizaciones[1][3] = primera[3]
            otro = next(p for p in self.pool if p not in (c[0] for c in cotizaciones))
            cotizaciones.append([otro, centavos(base * Decimal("1.17")), otro, None])
        elif variante in ("telefono", "domicilio", "firmante"):
            campo = {"telefono": "telefono", "domicilio": "domicilio", "firmante": "huella"}
            cotizaciones[1][2] = replace(
                cotizaciones[1][2], **{campo[variante]: getattr(primera[2], campo[variante])}
            )
        elif variante == "razon":
            # The second supplier quotes every item at the same ratio over the first.
            razon = veces[0][1] / veces[0][0]
            cotizaciones[1][1] = centavos(primera[1] * Decimal(f"{razon:.6f}"))
        return cotizaciones

    # --- Decision, conditions, contract, delivery ----------------------------------------------
