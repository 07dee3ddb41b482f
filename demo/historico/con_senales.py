"""The history with known red flags planted (issue 80, item 6): the generator's years, each
with the quotes, contracts, deliveries and conditions of demo.historico.plantas, and the truth
in var/senales-plantadas.json. Only make bench-senales asks for it (generar_historico
--senales): the history make bench and make bench-escala measure is the generator's own."""

from pathlib import Path

from django.conf import settings
from django.core.management.color import no_style
from django.db import connection
from django.utils import timezone

from demo.historico import filas, mercado
from demo.historico.generador import Generador
from demo.historico.plantas import Plantador, verdad_escribir
from dictamenes.models import ConfiguracionVias
from estandares.progreso import SIN_AVANCE, Avance

VERDAD = "senales-plantadas.json"


def ruta_verdad() -> Path:
    return Path(settings.VAR_DIR) / VERDAD


class GeneradorConSenales(Generador):
    tasa = None  # each planted sign's rate (plantas.TASA unless told)

    def generar(self, avisar=lambda texto: None, avance: Avance = SIN_AVANCE) -> dict:
        self.plantador = Plantador(
            semilla=self.semilla,
            hasta=self.hasta,
            cal=self.cal,
            config=ConfiguracionVias.objects.vigentes(),
            **({"tasa": self.tasa} if self.tasa else {}),
        )
        self.solicitudes_generadas: list[int] = []
        self.plantadas = dict.fromkeys(("cotizaciones", "contratos", "entregas", "condiciones"), 0)
        cuenta = super().generar(avisar, avance)
        return {**cuenta, **self.plantadas}

    def _compra(self, caso, *, perfil, fecha, numero: int) -> mercado.Precio:
        sid = caso.solicitud.pk

        def veces_de(azar, *, categoria, anios_atras):
            epoca = mercado.epoca(categoria=categoria, anios_atras=anios_atras)
            return epoca * self.plantador.factor(sid, numero, azar)

        return mercado.precio(
            self.mercado,
            categoria=perfil.categoria.clave,
            perfil=perfil.clave,
            fecha=fecha,
            hoy=self.hasta,
            veces_de=veces_de,
        )

    def _lote_escrito(self, lote: filas.Lote, anio: int) -> None:
        plantadas = self.plantador.anio(lote)
        with filas.fechas_historicas(*(modelo for modelo, _filas in plantadas.modelos())):
            for modelo, objetos in plantadas.modelos():
                filas._insertar(modelo, objetos)
        self.solicitudes_generadas += [s.pk for s in lote.solicitudes]
        for clave, objetos in (
            ("cotizaciones", plantadas.cotizaciones),
            ("contratos", plantadas.contratos),
            ("entregas", plantadas.entregas),
            ("condiciones", plantadas.condiciones),
        ):
            self.plantadas[clave] += len(objetos)

    def _historia_escrita(self, cuenta: dict) -> None:
        modelos = [modelo for modelo, _filas in self.plantador.filas_vacias().modelos()]
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), modelos):
                cursor.execute(sql)
        self.plantador.cerrar()
        verdad_escribir(self.plantador.verdad(self.solicitudes_generadas), ruta_verdad())


def generar(
    *,
    anios: int = 10,
    escala: float = 1,
    hasta=None,
    semilla: int = 2026,
    tasa: float | None = None,
    avisar=None,
    avance: Avance = SIN_AVANCE,
) -> dict:
    generador = GeneradorConSenales(
        anios=anios, escala=escala, hasta=hasta or timezone.now(), semilla=semilla
    )
    generador.tasa = tasa
    return generador.generar(avisar or (lambda texto: None), avance)
