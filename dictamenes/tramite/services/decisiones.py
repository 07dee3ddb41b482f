"""The strategic decision on each item (issue 36), and the rule the dictamen's result follows
from them.

For each item the strategic reviewer records one of: approved whole; approved for a lower
amount or quantity; not approved. Approving less and not approving both take a reason from the
published catalogue (MotivoRechazo), so /tramite/ and the open data can count why, and an
optional text (required for «Otro motivo»). The result is not chosen: REGLA_RESULTADO
gives it from the items and the conditions. etapas.solicitud_decidir calls this module and
saves the decisions in the same transaction as the decision's audit event.

Each decision also keeps the item's price basis at that moment (issue 62): the reference and
market unit prices and PrecioDePartida.base(), which the audit event carries too. A flagged item
with a sufficient reference may be reduced to it in one action (reduccion_a_referencia), for the
catalogue's «Precio por encima de la referencia» with the figures in its text (issue 76, item
7). Approving an item whose price is flagged over the reference, or that the law calls «no
aceptable», needs that item's own written reason (issue 76, item 6: razon_exigida), which the
decision, its audit event, the PDF, /verificar/ and the API keep."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dictamenes.models import DecisionPartida, MotivoRechazo, Resultado
from dictamenes.models.precios import UnidadPrecio
from dictamenes.montos import pesos
from dictamenes.precios.selectors.partidas import precios_de_partidas
from dictamenes.senales.services import senales_actualizar
from estandares.motivos import motivo_error, motivo_recortado

Decision = DecisionPartida.Resultado
MOTIVO_OTRO = "otro"
# «Reducir a la referencia» cites the price over the state's reference, not over the market
# research («precio-fuera-de-mercado», which stays in the catalogue for that): issue 76, item 7.
MOTIVO_PRECIO = "precio-sobre-referencia"
CENTAVO = Decimal("0.01")

# Stated on the decision page and on /tramite/: the result follows from the items.
REGLA_RESULTADO = _(
    "El resultado del dictamen se sigue de las partidas: si no se aprueba ninguna, es no "
    "favorable; si se aprueba al menos una (completa o por menos), es favorable condicionado "
    "cuando la decisión fija condiciones, y favorable cuando no."
)

ERROR_SIN_DECISION = _("Falta la decisión sobre la partida «%(partida)s».")
ERROR_MONTO_REDUCIDO = _(
    "En la partida «%(partida)s», el monto aprobado por menos debe ser mayor que cero y menor "
    "que su importe de %(importe)s."
)
ERROR_CANTIDAD_REDUCIDA = _(
    "En la partida «%(partida)s», la cantidad aprobada debe ser de 1 a %(cantidad)s."
)
ERROR_SIN_MOTIVO_RECHAZO = _(
    "Elija del catálogo el motivo por el que no se aprueba la partida «%(partida)s»."
)
ERROR_SIN_MOTIVO_REDUCCION = _(
    "Elija del catálogo el motivo por el que la partida «%(partida)s» se aprueba por menos."
)
ERROR_OTRO_SIN_TEXTO = _(
    "Explique por escrito el motivo de su decisión sobre la partida «%(partida)s»: eligió "
    "«Otro motivo»."
)
ERROR_SIN_REDUCCION = _(
    "Esa partida no puede reducirse a la referencia: no está señalada sobre una referencia "
    "suficiente, o su importe ya no es mayor."
)
ERROR_APROBADA_SIN_RAZON = _(
    "Para aprobar la partida «%(partida)s» escriba en ella por qué se aprueba: %(causa)s."
)
# Why approving an item needs its reason (razon_exigida): the ERROR's and the form's `causa`.
CAUSA_SENALADA = _("su precio está señalado, %(pct)s %% sobre la mediana de referencia")
CAUSA_NO_ACEPTABLE = _(
    "su precio es no aceptable según la ley, %(pct)s %% sobre el valor central de las "
    "cotizaciones válidas (%(valor)s; límite +%(limite)s %%)"
)
# The figures «Reducir a la referencia» writes in the decision's text, after the motive's name
# («Precio por encima de la referencia.»): both prices in the item's own unit.
TEXTO_REDUCCION = _(
    "Precio solicitado %(precio)s %(unidad)s contra una referencia de %(referencia)s (%(pct)s %%)."
)
UNIDAD_DEL_TEXTO = {
    UnidadPrecio.PIEZA: _("por pieza"),
    UnidadPrecio.SERVICIO: _("por servicio de %(meses)s meses"),
    UnidadPrecio.LICENCIA: _("por licencia de %(meses)s meses"),
}
ERROR_CONDICIONES_SIN_APROBADAS = _(
    "No se aprueba ninguna partida: el dictamen será no favorable, y uno no favorable no lleva "
    "condiciones. Borre las condiciones o apruebe alguna partida."
)


@dataclass(frozen=True)
class DecisionLeida:
    """One item's decision, checked, not yet saved."""

    partida: object
    resultado: str
    cantidad: int
    monto: Decimal
    motivo: MotivoRechazo | None
    texto: str
    # The item's PrecioDePartida it was read against: decisiones_guardar keeps its basis
    # without judging the item's price a second time.
    precio: object = field(default=None, repr=False, compare=False)


def razon_exigida(precio) -> str:
    """Why approving an item needs its own written reason, or "" when it needs none (issue
    76, item 6): its price is flagged (more than the office's percentage over the reference's
    median; a price just at it is not) or the law calls it «no aceptable». `precio`: its
    PrecioDePartida, or None (nothing to judge it by)."""
    if precio is None:
        return ""
    if precio.senalada:
        return str(CAUSA_SENALADA % {"pct": precio.posicion.pct})
    if precio.no_aceptable:
        prueba = precio.ley
        return str(
            CAUSA_NO_ACEPTABLE
            % {"pct": prueba.pct, "valor": pesos(prueba.valor), "limite": prueba.no_aceptable_pct}
        )
    return ""


def motivos_activos() -> dict:
    """The active catalogue, by pk and by clave: what a decision may cite."""
    activos = {}
    for motivo in MotivoRechazo.objects.filter(activo=True):
        activos[motivo.pk] = activos[str(motivo.pk)] = activos[motivo.clave] = motivo
    return activos


def _entero(valor):
    if valor in (None, ""):
        return None
    try:
        return int(valor)
    except (TypeError, ValueError):
        return False


def _decimal(valor):
    if valor in (None, ""):
        return None
    try:
        return Decimal(str(valor)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return False


def lo_aprobado_por_menos(*, partida, datos: dict) -> tuple[int, Decimal]:
    """The quantity and amount of an item approved for less, checked: the quantity from 1 to
    what was asked (what was asked when left empty); the amount above zero and below the
    item's, or the lowered quantity at the unit price when it is left empty. Raises
    ValidationError naming the item and the wrong field (by its code)."""
    nombre = {"partida": partida.descripcion}
    cantidad = _entero(datos.get("cantidad"))
    if cantidad is None:
        cantidad = partida.cantidad
    if cantidad is False or not 1 <= cantidad <= partida.cantidad:
        raise ValidationError(
            ERROR_CANTIDAD_REDUCIDA,
            code="cantidad_reducida",
            params=nombre | {"cantidad": partida.cantidad},
        )
    monto = _decimal(datos.get("monto"))
    if monto is None and cantidad < partida.cantidad:
        # Only the quantity was lowered: the amount follows at the unit price.
        monto = cantidad * partida.precio_unitario
    if monto is None or monto is False or not Decimal(0) < monto < partida.importe:
        raise ValidationError(
            ERROR_MONTO_REDUCIDO,
            code="monto_reducido",
            params=nombre | {"importe": f"${partida.importe:,.2f}"},
        )
    return cantidad, monto


def _motivo_leer(*, partida, datos: dict, motivos: dict, error, code: str, texto: str):
    """The catalogue's reason the decision cites (and its text when it is «Otro motivo»)."""
    nombre = {"partida": partida.descripcion}
    valor = datos.get("motivo")
    motivo = motivos.get(getattr(valor, "pk", valor)) if valor not in (None, "") else None
    if motivo is None:
        raise ValidationError(error, code=code, params=nombre)
    if motivo.clave == MOTIVO_OTRO and (
        falta := motivo_error(
            texto, vacio=ERROR_OTRO_SIN_TEXTO, code="otro_sin_texto", params=nombre
        )
    ):
        raise falta
    return motivo


def decision_leer(*, partida, datos: dict | None, motivos: dict, precio=None) -> DecisionLeida:
    """Check one item's decision. `datos`: {"resultado", "cantidad", "monto", "motivo",
    "texto"}; `motivos`: motivos_activos(); `precio`: the item's PrecioDePartida (None: no
    price to judge). Raises ValidationError naming the item, with a code that says which
    field is wrong (the form shows it beside that field)."""
    datos = datos or {}
    resultado = datos.get("resultado") or ""
    texto = motivo_recortado(datos.get("texto"))
    if resultado == Decision.APROBADA:
        causa = razon_exigida(precio)
        # Issue 93, item 4: the reason that lets a flagged price be approved says something
        # (one U+3164 HANGUL FILLER once approved three, and the signed PDF printed a blank).
        if causa and (
            falta := motivo_error(
                texto,
                vacio=ERROR_APROBADA_SIN_RAZON,
                code="aprobada_sin_razon",
                params={"partida": partida.descripcion, "causa": causa},
            )
        ):
            raise falta
        # The text of an item approved whole is kept only where it is asked for: elsewhere
        # the form hides the field, and a text left there from another choice would be
        # printed in the signed PDF without anyone seeing it.
        texto = texto if causa else ""
        return DecisionLeida(
            partida, resultado, partida.cantidad, partida.importe, None, texto, precio
        )
    if resultado == Decision.REDUCIDA:
        cantidad, monto = lo_aprobado_por_menos(partida=partida, datos=datos)
        motivo = _motivo_leer(
            partida=partida,
            datos=datos,
            motivos=motivos,
            error=ERROR_SIN_MOTIVO_REDUCCION,
            code="sin_motivo_reduccion",
            texto=texto,
        )
        return DecisionLeida(partida, resultado, cantidad, monto, motivo, texto, precio)
    if resultado == Decision.NO_APROBADA:
        motivo = _motivo_leer(
            partida=partida,
            datos=datos,
            motivos=motivos,
            error=ERROR_SIN_MOTIVO_RECHAZO,
            code="sin_motivo_rechazo",
            texto=texto,
        )
        return DecisionLeida(partida, resultado, 0, Decimal("0.00"), motivo, texto, precio)
    raise ValidationError(
        ERROR_SIN_DECISION, code="sin_decision", params={"partida": partida.descripcion}
    )


def texto_reduccion(*, partida, precio) -> str:
    """The figures «Reducir a la referencia» writes: «Precio solicitado $37,500.00 por pieza
    contra una referencia de $18,746.00 (+100 %).», both in the item's own unit (a 12-month
    service's whole price against the reference per month times 12), and how far the typed
    price stands over the reference's median, to the whole percent."""
    unidad = UNIDAD_DEL_TEXTO.get(partida.unidad, UNIDAD_DEL_TEXTO[UnidadPrecio.PIEZA])
    pct = precio.posicion.pct.quantize(Decimal(1), ROUND_HALF_UP)
    return str(
        TEXTO_REDUCCION
        % {
            "precio": pesos(partida.precio_unitario),
            "unidad": unidad % {"meses": partida.meses},
            "referencia": pesos(precio.referencia_unitaria),
            "pct": f"+{pct}" if pct > 0 else str(pct),
        }
    )


def reduccion_a_referencia(*, partida, precio) -> dict | None:
    """What «Reducir a la referencia» sets on an item: reduced, its whole quantity at the
    reference's unit price (in the item's unit, to the cent: reglas.en_unidad_de, so a
    12-month service is 12 months of the reference per month), for the catalogue's «Precio por
    encima de la referencia» with the figures in its text (texto_reduccion). Offered only for
    an item flagged over a sufficient reference, and only when that amount is below the
    item's; None otherwise. `precio`: its PrecioDePartida."""
    if precio is None or not precio.suficiente or not precio.senalada:
        return None
    monto = (partida.cantidad * precio.referencia_unitaria).quantize(CENTAVO)
    if not Decimal(0) < monto < partida.importe:
        return None
    return {
        "resultado": Decision.REDUCIDA,
        "cantidad": partida.cantidad,
        "monto": monto,
        "motivo": MOTIVO_PRECIO,
        "texto": texto_reduccion(partida=partida, precio=precio),
    }


def decisiones_leer(*, solicitud, datos: dict) -> list[DecisionLeida]:
    """Every item's decision, in the items' order; `datos` keyed by the item's pk (int or
    str). A missing or incomplete one is refused, naming its item; so is an item approved
    without the reason its price asks for (razon_exigida), judged as the page shows it."""
    motivos = motivos_activos()
    partidas = list(solicitud.partidas.select_related("perfil__categoria").order_by("pk"))
    precios = precios_de_partidas(solicitud=solicitud, partidas=partidas)
    return [
        decision_leer(
            partida=partida,
            datos=datos.get(partida.pk) or datos.get(str(partida.pk)),
            motivos=motivos,
            precio=precios.get(partida.pk),
        )
        for partida in partidas
    ]


def resultado_de(*, resultados, condiciones: str) -> str:
    """REGLA_RESULTADO, on the items' decisions (their `resultado` values)."""
    if not any(r != Decision.NO_APROBADA for r in resultados):
        if condiciones:
            raise ValidationError(ERROR_CONDICIONES_SIN_APROBADAS, code="condiciones_sin_aprobadas")
        return Resultado.NO_FAVORABLE
    return Resultado.CONDICIONADO if condiciones else Resultado.FAVORABLE


def decisiones_guardar(*, decisiones: list[DecisionLeida], usuario) -> list[dict]:
    """Save them (a later decision, after a send-back, replaces the earlier one) and return
    what the decision's audit event records of each. Called inside the decision's
    transaction."""
    ahora = timezone.now()
    registro = []
    # Each item's price as it was read against (decisiones_leer); judged here only for a
    # decision read without one.
    sin_precio = [d.partida for d in decisiones if d.precio is None]
    precios = (
        precios_de_partidas(solicitud=sin_precio[0].solicitud, partidas=sin_precio)
        if sin_precio
        else {}
    )
    for d in decisiones:
        precio = d.precio if d.precio is not None else precios[d.partida.pk]
        # Update or create, cleaned before it is written: the text is normalised and its
        # length checked as every text people type.
        fila = DecisionPartida.objects.filter(partida=d.partida).first()
        fila = fila or DecisionPartida(partida=d.partida)
        fila.resultado = d.resultado
        fila.cantidad_aprobada = d.cantidad
        fila.monto_aprobado = d.monto
        fila.motivo = d.motivo
        fila.texto = d.texto
        fila.decidida_por = usuario
        fila.decidida_en = ahora
        fila.referencia_unitaria = precio.referencia_unitaria
        fila.mercado_unitario = precio.mercado.precio
        fila.base_precio = precio.base()
        fila.full_clean(exclude=["partida", "decidida_por", "motivo"], validate_unique=False)
        fila.save()
        registro.append(
            {
                "partida": d.partida.pk,
                "descripcion": d.partida.descripcion,
                "resultado": d.resultado,
                "decision": str(fila.get_resultado_display()),
                "cantidad_solicitada": d.partida.cantidad,
                "monto_solicitado": str(d.partida.importe),
                "cantidad_aprobada": d.cantidad,
                "monto_aprobado": str(d.monto),
                "motivo": d.motivo.clave if d.motivo else "",
                "motivo_nombre": d.motivo.nombre if d.motivo else "",
                "texto": fila.texto,
                "precio": fila.base_precio,
            }
        )
    # Issue 80: an item approved over its reference without its reason is a sign.
    if decisiones:
        senales_actualizar(decisiones[0].partida.solicitud)
    return registro
