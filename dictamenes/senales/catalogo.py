"""The catalogue of signs (issue 80): per code, its rule in one sentence, the thresholds it
reads (fields of ConfiguracionVias, changed under dual control through «Vías de revisión»), the
evidence it links to, when it is computed, and its source where one exists. The open data and
the pages print the rule with the thresholds in force (regla)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from dictamenes.models.senales import CodigoSenal as C

CARDINAL = "Open Contracting Partnership, Cardinal"
CHILECOMPRA = "ChileCompra, reglas de alerta (2025)"
LAASSP = "LAASSP"


@dataclass(frozen=True)
class Definicion:
    codigo: str
    regla: str  # one sentence; %(name)s are the thresholds below
    umbrales: tuple[str, ...]
    evidencia: str
    cuando: str
    fuente: str = ""

    @property
    def nombre(self) -> str:
        return str(C(self.codigo).label)


CATALOGO: dict[str, Definicion] = {
    d.codigo: d
    for d in (
        Definicion(
            C.FRACCIONAMIENTO,
            _(
                "Con otras solicitudes del mismo ente que piden la misma categoría en "
                "%(fraccion_ventana_dias)s días naturales (0: el ejercicio), suma "
                "%(umbral_monto)s pesos o más, el umbral de la vía rápida, que sola no alcanza."
            ),
            ("umbral_monto", "fraccion_ventana_dias"),
            _("las solicitudes relacionadas"),
            _("al presentarla, al admitirla y al presentarse otra del mismo ente"),
            CHILECOMPRA,
        ),
        Definicion(
            C.PRECIO_ALTO,
            _(
                "Una partida cuesta más de %(precio_senal_pct)s %% sobre la mediana de "
                "referencia, o más de %(ley_no_aceptable_pct)s %% sobre el valor central de sus "
                "cotizaciones (precio no aceptable)."
            ),
            ("precio_senal_pct", "ley_no_aceptable_pct"),
            _("la partida, su referencia y sus cotizaciones"),
            _("al presentarla y al cambiar sus partidas o cotizaciones"),
            LAASSP,
        ),
        Definicion(
            C.POCAS_COTIZACIONES,
            _(
                "Una solicitud de más de %(cotizaciones_umbral)s pesos tiene una partida con "
                "menos de tres cotizaciones válidas de proveedores distintos."
            ),
            ("cotizaciones_umbral",),
            _("la partida y sus cotizaciones, con el motivo de las que no cuentan"),
            _("al presentarla y al cambiar sus cotizaciones"),
            CHILECOMPRA,
        ),
        Definicion(
            C.COBERTURA,
            _(
                "Dos cotizaciones de una partida repiten el archivo, el RFC, el domicilio, el "
                "teléfono o la persona que firma, o sus precios difieren a lo más "
                "%(senal_cobertura_pct)s %%, o un proveedor cotiza cada partida con la misma "
                "razón sobre otro (±%(senal_cobertura_pct)s %%)."
            ),
            ("senal_cobertura_pct",),
            _("las cotizaciones que coinciden y en qué"),
            _("al presentarla y al cambiar sus cotizaciones"),
            f"{CARDINAL}, R028 y R044",
        ),
        Definicion(
            C.PROVEEDOR_DEL_ENTE,
            _(
                "Cotiza el propio ente que solicita, o una persona de su personal registrada "
                "en el sistema."
            ),
            (),
            _("la cotización y a quién coincide"),
            _("al presentarla y al cambiar sus cotizaciones"),
        ),
        Definicion(
            C.CONTRATO_EXCEDE,
            _("Lo contratado bajo el dictamen pasa el monto que aprobó."),
            (),
            _("el contrato, lo contratado y lo aprobado"),
            _("al registrar o autorizar un contrato"),
            CHILECOMPRA,
        ),
        Definicion(
            C.CONTRATO_SIN_COTIZACION,
            _("Se contrató con un proveedor que no cotizó ninguna partida de la solicitud."),
            (),
            _("el contrato y los proveedores que cotizaron"),
            _("al registrar un contrato"),
            CHILECOMPRA,
        ),
        Definicion(
            C.APROBADA_SIN_MOTIVO,
            _(
                "Se aprobó una partida a más de %(precio_senal_pct)s %% sobre su referencia, "
                "o a un precio no aceptable, sin explicar por qué en la partida."
            ),
            ("precio_senal_pct",),
            _("la decisión de la partida y su base de precio"),
            _("al decidir"),
            LAASSP,
        ),
        Definicion(
            C.PROVEEDOR_DOMINANTE,
            _(
                "Un proveedor tiene más de %(senal_dominante_pct)s %% de lo que un ente con "
                "%(senal_dominante_contratos)s contratos o más contrató en TIC en el año."
            ),
            ("senal_dominante_pct", "senal_dominante_contratos"),
            _("los contratos del ente en el año y la parte del proveedor"),
            _("al registrar, autorizar o rechazar un contrato del ente"),
            CARDINAL,
        ),
        Definicion(
            C.CIERRE_DE_EJERCICIO,
            _(
                "Se presentó en los últimos %(senal_cierre_dias)s días hábiles de su ejercicio "
                "fiscal."
            ),
            ("senal_cierre_dias",),
            _("la fecha de presentación y el último día hábil del ejercicio"),
            _("al presentarla"),
        ),
        Definicion(
            C.VIGENCIA_VENCIDA,
            _("Se firmó un contrato después de que venció la vigencia del dictamen."),
            (),
            _("el contrato y la vigencia del dictamen"),
            _("al registrar un contrato"),
        ),
        Definicion(
            C.CONDICIONES_VENCIDAS,
            _("Una condición del dictamen venció sin evidencia verificada."),
            (),
            _("la condición y su vencimiento"),
            _("cada día hábil y al verificar una evidencia"),
        ),
        Definicion(
            C.ENTREGA_FALTANTE,
            _(
                "Pasaron %(senal_entrega_dias)s días hábiles del término de un contrato sin "
                "acta de entrega-recepción registrada."
            ),
            ("senal_entrega_dias",),
            _("el contrato y su término"),
            _("cada día hábil y al registrar una entrega"),
            "US IT Dashboard (GAO-16-494)",
        ),
        Definicion(
            C.PAGO_EXCEDE,
            _("Lo pagado bajo un contrato pasa su monto."),
            (),
            _("el contrato y sus entregas"),
            _("al registrar una entrega"),
        ),
        Definicion(
            C.ENTREGA_DISTINTA,
            _("Las cantidades recibidas de una partida difieren de las aprobadas."),
            (),
            _("las partidas aprobadas y las actas de entrega"),
            _("al registrar una entrega"),
        ),
    )
}


def umbrales_de(codigo: str, config) -> dict:
    """The thresholds of a sign in a version of the tracks' configuration."""
    return {campo: getattr(config, campo) for campo in CATALOGO[codigo].umbrales}


def regla(codigo: str, config=None, umbrales: dict | None = None) -> str:
    """The sign's rule with its thresholds: those kept with a sign, or those of `config`."""
    d = CATALOGO[codigo]
    valores = umbrales if umbrales is not None else umbrales_de(codigo, config)
    return str(d.regla) % valores if d.umbrales else str(d.regla)
