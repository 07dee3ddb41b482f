"""What the signs read of one request and what they find (issue 80): the request's items with
their quotes and decisions, its dictamen in force and its contracts with their deliveries, read
once; each rule of the catalogue over them, in the catalogue's order. Nothing is kept here:
dictamenes.senales.services keeps what `hallar` finds."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dictamenes.models import (
    Condicion,
    ConfiguracionVias,
    Contrato,
    DecisionPartida,
    Dictamen,
    Perfil,
    ReferenciaPrecio,
    Solicitud,
)
from dictamenes.models.senales import CodigoSenal as C
from dictamenes.models.vias import monto_aprobado
from dictamenes.organizacion.selectors.calendario import Calendario
from dictamenes.precios import reglas as reglas_precios
from dictamenes.precios.selectors import (
    clave_de,
    cotizaciones_con_huella,
    entes_por_clave,
    huellas_de,
    precio_de,
    precios_de,
)
from dictamenes.precios.services import referencia_en
from dictamenes.senales import catalogo, reglas
from estandares import identidad

SIN_SENALES = (Solicitud.Estado.BORRADOR,)


def _pesos(valor) -> str:
    return f"${Decimal(valor):,.2f}"


@dataclass
class Hallazgo:
    texto: str
    evidencia: list[dict] = field(default_factory=list)
    proveedores: set[str] = field(default_factory=set)


@dataclass
class _Lectura:
    """What the rules of one request read, read once."""

    solicitud: Solicitud
    config: ConfiguracionVias
    hoy: datetime.date
    partidas: list
    dictamen: Dictamen | None
    contratos: list[Contrato]
    hallazgos: dict[str, Hallazgo] = field(default_factory=dict)
    umbrales: dict[str, dict] = field(default_factory=dict)
    # The signs this reading could not judge (a request that never went through the track's
    # door, without the rule to judge its split purchases): what is kept of them stays.
    sin_leer: set[str] = field(default_factory=set)

    def hallar(self, codigo, texto, evidencia=(), proveedores=()) -> None:
        h = self.hallazgos.setdefault(codigo, Hallazgo(texto=""))
        h.texto = f"{h.texto} {texto}".strip() if h.texto else str(texto)
        h.evidencia.extend(evidencia)
        h.proveedores.update(p for p in proveedores if p)

    def enlace(self) -> str:
        return reverse("solicitudes:detalle", args=[self.solicitud.pk])


def _precio_de(le, partida: int) -> str:
    return reverse("solicitudes:partida_precio", args=[le.solicitud.pk, partida])


def _leer(solicitud, hoy) -> _Lectura:
    solicitud = Solicitud.objects.select_related("ente").get(pk=solicitud.pk)
    partidas = list(
        solicitud.partidas.select_related("perfil__categoria")
        .prefetch_related(
            Prefetch("cotizaciones", queryset=cotizaciones_con_huella().order_by("id"))
        )
        .order_by("id")
    )
    decisiones = {
        d.partida_id: d for d in DecisionPartida.objects.filter(partida__solicitud=solicitud)
    }
    for p in partidas:
        p.decision_leida = decisiones.get(p.pk)
    dictamen = (
        solicitud.dictamenes.filter(cancelado_en__isnull=True)
        .order_by("-emitido_en", "-id")
        .first()
    )
    contratos = (
        list(dictamen.contratos.prefetch_related("entregas").order_by("fecha", "id"))
        if dictamen
        else []
    )
    return _Lectura(
        solicitud=solicitud,
        config=ConfiguracionVias.objects.vigentes(),
        hoy=hoy,
        partidas=partidas,
        dictamen=dictamen,
        contratos=contratos,
    )


# --- The rules, one function each, in the catalogue's order ------------------------------


def _fraccionamiento(le: _Lectura, fracciones) -> None:
    """The split purchases the track's door recorded (Solicitud.via_fraccion). A request that
    never went through it (the history written in bulk, or imported) has no record: judged
    by `fracciones` (the track's rule, given by a caller above tramite), or not at all."""
    registradas = le.solicitud.via_fraccion or []
    if not le.solicitud.via:
        if fracciones is None:
            le.sin_leer.add(C.FRACCIONAMIENTO)
            return
        registradas = fracciones(le.solicitud)
    for f in registradas:
        otras = ", ".join(f.get("folios", []))
        le.hallar(
            C.FRACCIONAMIENTO,
            _("Con %(otras)s suma %(suma)s en «%(que)s».")
            % {"otras": otras, "suma": _pesos(f.get("suma", 0)), "que": f.get("nombre", "")},
            [{"texto": _("Solicitudes relacionadas: %(o)s") % {"o": otras}, "enlace": le.enlace()}],
        )


def _precios(le: _Lectura, vistas: dict) -> None:
    umbral = le.config.cotizaciones_umbral
    total = sum((p.importe for p in le.partidas), Decimal(0))
    for p in le.partidas:
        v = vistas[p.pk]
        nombre = p.perfil.nombre if p.perfil_id else str(p)
        enlace = _precio_de(le, p.pk)
        if v.senalada or v.no_aceptable:
            por = []
            if v.senalada:
                por.append(
                    str(_("%(pct)s %% sobre la mediana de referencia") % {"pct": v.posicion.pct})
                )
            if v.no_aceptable:
                por.append(str(v.ley.texto))
            le.hallar(
                C.PRECIO_ALTO,
                _("«%(p)s» a %(precio)s: %(por)s.")
                % {"p": nombre, "precio": _pesos(p.precio_unitario), "por": "; ".join(por)},
                [{"texto": str(nombre), "enlace": enlace}],
            )
        exigidas = reglas_precios.cotizaciones_exigidas(total=total, umbral=umbral)
        if exigidas and reglas_precios.cotizaciones_faltan(validas=len(v.mercado.validas)):
            motivos = [f"{c.proveedor}: {m}" for c, m in v.mercado.cotizaciones if m]
            le.hallar(
                C.POCAS_COTIZACIONES,
                _("«%(p)s» tiene %(n)s cotizaciones válidas de proveedores distintos.")
                % {"p": nombre, "n": len(v.mercado.validas)},
                [{"texto": "; ".join([str(nombre), *motivos]), "enlace": enlace}],
            )


def _cotizadas(le: _Lectura) -> list[reglas.Cotizada]:
    return [
        reglas.Cotizada(
            pk=c.pk,
            partida=p.pk,
            proveedor=c.proveedor,
            proveedor_rfc=c.proveedor_rfc,
            precio=c.precio_unitario,
            archivo=getattr(c, "anexo_sha256", "") or "",
            domicilio=c.domicilio,
            telefono=c.telefono,
            firmante=c.firmante_huella,
        )
        for p in le.partidas
        for c in p.cotizaciones.all()
    ]


def _cobertura(le: _Lectura) -> None:
    nombres = {p.pk: (p.perfil.nombre if p.perfil_id else str(p)) for p in le.partidas}
    for h in reglas.coincidencias(_cotizadas(le), pct=le.config.senal_cobertura_pct):
        le.hallar(
            C.COBERTURA,
            _("En «%(p)s», %(a)s y %(b)s: %(en)s.")
            % {"p": nombres[h.a.partida], "a": h.a.proveedor, "b": h.b.proveedor, "en": h.en},
            [
                {
                    "texto": f"{h.a.proveedor} · {_pesos(h.a.precio)}; "
                    f"{h.b.proveedor} · {_pesos(h.b.precio)}",
                    "enlace": reverse(
                        "solicitudes:partida_precio", args=[le.solicitud.pk, h.a.partida]
                    ),
                }
            ],
            [h.a.proveedor, h.b.proveedor],
        )


def _personal(ente_id) -> dict[str, str]:
    """The agency's staff by their name as compared with a supplier's."""
    nombres = {}
    for p in Perfil.objects.filter(ente_id=ente_id).select_related("usuario"):
        completo = identidad.persona_canonica(p.usuario.get_full_name())
        if completo:
            nombres[completo] = p.usuario.get_full_name()
    return nombres


def _proveedor_del_ente(le: _Lectura) -> None:
    ente = le.solicitud.ente
    propias = {
        clave: ente.pk
        for texto in (ente.nombre, ente.siglas)
        for clave in identidad.claves_de_ente(texto)
    }
    for anterior in ente.nombres_anteriores.all():
        propias.update(dict.fromkeys(identidad.claves_de_ente(anterior.nombre), ente.pk))
    personal = None
    for p in le.partidas:
        for c in p.cotizaciones.all():
            if reglas_precios.ente_de(c.proveedor, propias) is not None:
                quien = _("es el propio ente que solicita")
            else:
                personal = _personal(ente.pk) if personal is None else personal
                nombre = identidad.persona_canonica(c.proveedor)
                if nombre not in personal:
                    continue
                quien = _("coincide con el nombre de una persona del personal del ente")
            le.hallar(
                C.PROVEEDOR_DEL_ENTE,
                _("%(c)s %(quien)s.") % {"c": c.proveedor, "quien": quien},
                [
                    {
                        "texto": f"{c.proveedor} · {_pesos(c.precio_unitario)}",
                        "enlace": reverse(
                            "solicitudes:partida_precio", args=[le.solicitud.pk, p.pk]
                        ),
                    }
                ],
                [c.proveedor],
            )


def _aprobado_total(le: _Lectura) -> Decimal:
    return sum(
        (
            monto_aprobado(
                partida=p, decision=p.decision_leida, resultado_dictamen=le.dictamen.resultado
            )
            for p in le.partidas
        ),
        Decimal(0),
    )


def _decisiones(le: _Lectura, vistas: dict) -> None:
    pct = le.config.precio_senal_pct
    for p in le.partidas:
        d = p.decision_leida
        if d is None or d.resultado == DecisionPartida.Resultado.NO_APROBADA or d.texto.strip():
            continue
        if not d.cantidad_aprobada:
            continue
        unitario = d.monto_aprobado / d.cantidad_aprobada
        sobre = d.referencia_unitaria and unitario > d.referencia_unitaria * (
            1 + Decimal(pct) / 100
        )
        ley = (d.base_precio or {}).get("ley") or {}
        no_aceptable = ley.get("veredicto") == "no_aceptable"
        if sobre or no_aceptable:
            nombre = p.perfil.nombre if p.perfil_id else str(p)
            referencia = (
                _("referencia %(r)s") % {"r": _pesos(d.referencia_unitaria)}
                if d.referencia_unitaria
                else _("precio no aceptable")
            )
            le.hallar(
                C.APROBADA_SIN_MOTIVO,
                _("«%(p)s» aprobada a %(u)s por unidad (%(ref)s) sin explicación.")
                % {"p": nombre, "u": _pesos(unitario), "ref": referencia},
                [{"texto": str(nombre), "enlace": le.enlace()}],
            )


def _contratos(le: _Lectura) -> None:
    if le.dictamen is None or not le.contratos:
        return
    vivos = [c for c in le.contratos if c.autorizacion != Contrato.Autorizacion.RECHAZADA]
    aprobado = _aprobado_total(le)
    contratado = sum((c.monto for c in vivos), Decimal(0))
    if vivos and contratado > aprobado:
        le.hallar(
            C.CONTRATO_EXCEDE,
            _("Contratado %(c)s contra %(a)s aprobados.")
            % {"c": _pesos(contratado), "a": _pesos(aprobado)},
            [
                {"texto": f"{c.numero} · {c.proveedor} · {_pesos(c.monto)}", "enlace": le.enlace()}
                for c in vivos
            ],
            [c.proveedor for c in vivos],
        )
    cotizaron = [
        reglas_precios.Cotizada(
            pk=c.pk,
            proveedor=c.proveedor,
            proveedor_rfc=c.proveedor_rfc,
            precio=c.precio_unitario,
            vigente=True,
        )
        for p in le.partidas
        for c in p.cotizaciones.all()
    ]
    if cotizaron:
        for c in vivos:
            este = reglas_precios.Cotizada(
                pk=None,
                proveedor=c.proveedor,
                proveedor_rfc=c.proveedor_rfc,
                precio=c.monto,
                vigente=True,
            )
            if not any(reglas_precios.mismo_proveedor(este, o) for o in cotizaron):
                le.hallar(
                    C.CONTRATO_SIN_COTIZACION,
                    _("El contrato %(n)s es con %(p)s, que no cotizó.")
                    % {"n": c.numero, "p": c.proveedor},
                    [{"texto": f"{c.numero} · {c.proveedor}", "enlace": le.enlace()}],
                    [c.proveedor],
                )
    for c in vivos:
        if c.fecha > le.dictamen.vigencia_hasta:
            le.hallar(
                C.VIGENCIA_VENCIDA,
                _("El contrato %(n)s es del %(f)s; el dictamen valía hasta el %(v)s.")
                % {
                    "n": c.numero,
                    "f": f"{c.fecha:%d/%m/%Y}",
                    "v": f"{le.dictamen.vigencia_hasta:%d/%m/%Y}",
                },
                [{"texto": f"{c.numero} · {c.fecha:%d/%m/%Y}", "enlace": le.enlace()}],
                [c.proveedor],
            )


def _dominante(le: _Lectura) -> None:
    """Whether a supplier of this request's contracts concentrates the agency's year."""
    vivos = [c for c in le.contratos if c.cuenta]
    if not vivos:
        return
    anios = {c.fecha.year for c in vivos}
    for anio in sorted(anios):
        del_anio = list(
            Contrato.objects.que_cuentan()
            .filter(dictamen__solicitud__ente_id=le.solicitud.ente_id, fecha__year=anio)
            .values_list("proveedor", "proveedor_rfc", "monto")
        )
        # One supplier however written: its RFC, its name, a typo (issue 88).
        proveedores = identidad.Proveedores()
        claves = [(proveedores.clave(p, rfc), m) for p, rfc, m in del_anio]
        altos = reglas.dominantes(
            claves, pct=le.config.senal_dominante_pct, minimo=le.config.senal_dominante_contratos
        )
        for c in vivos:
            clave = proveedores.clave(c.proveedor, c.proveedor_rfc)
            if c.fecha.year == anio and clave in altos:
                le.hallar(
                    C.PROVEEDOR_DOMINANTE,
                    _(
                        "%(p)s tiene %(pct)s %% de lo que el ente contrató en %(a)s "
                        "(%(n)s contratos)."
                    )
                    % {"p": c.proveedor, "pct": altos[clave], "a": anio, "n": len(del_anio)},
                    [{"texto": f"{c.numero} · {c.proveedor}", "enlace": le.enlace()}],
                    [c.proveedor],
                )


def _habiles_del_final(anio: int, dias: int, calendario: Calendario) -> list[datetime.date]:
    fecha, habiles = datetime.date(anio, 12, 31), []
    while len(habiles) < dias and fecha.year == anio:
        if calendario.es_habil(fecha):
            habiles.append(fecha)
        fecha -= datetime.timedelta(days=1)
    return habiles


def _cierre(le: _Lectura, calendario: Calendario) -> None:
    s = le.solicitud
    if not s.presentada_en:
        return
    presentada = timezone.localtime(s.presentada_en).date()
    if presentada.year != s.ejercicio:
        return
    finales = _habiles_del_final(s.ejercicio, le.config.senal_cierre_dias, calendario)
    if reglas.en_cierre(presentada, finales):
        le.hallar(
            C.CIERRE_DE_EJERCICIO,
            _(
                "Presentada el %(p)s; los últimos %(n)s días hábiles del ejercicio "
                "empiezan el %(d)s."
            )
            % {"p": f"{presentada:%d/%m/%Y}", "n": len(finales), "d": f"{min(finales):%d/%m/%Y}"},
            [{"texto": f"{presentada:%d/%m/%Y}", "enlace": le.enlace()}],
        )


def _condiciones(le: _Lectura) -> None:
    if le.dictamen is None:
        return
    for c in Condicion.objects.filter(dictamen=le.dictamen, vence__lt=le.hoy).exclude(
        estado=Condicion.Estado.CUMPLIDA
    ):
        le.hallar(
            C.CONDICIONES_VENCIDAS,
            _("La condición %(n)s venció el %(v)s sin evidencia verificada.")
            % {"n": c.numero, "v": f"{c.vence:%d/%m/%Y}"},
            [{"texto": c.texto[:200], "enlace": le.enlace()}],
        )


def _entregas(le: _Lectura, calendario: Calendario) -> None:
    vivos = [c for c in le.contratos if c.cuenta]
    if not vivos:
        return
    dias = le.config.senal_entrega_dias
    recibidas: dict[int, int] = {}
    terminos = []
    for c in vivos:
        entregas = list(c.entregas.all())
        termino = c.termino or c.fecha
        terminos.append(termino)
        # A term still to come needs no count (and may be past the calendar loaded).
        if not entregas and termino < le.hoy and calendario.sumar(termino, dias) < le.hoy:
            le.hallar(
                C.ENTREGA_FALTANTE,
                _("El contrato %(n)s terminó el %(t)s y no tiene acta de entrega-recepción.")
                % {"n": c.numero, "t": f"{termino:%d/%m/%Y}"},
                [{"texto": f"{c.numero} · {c.proveedor}", "enlace": le.enlace()}],
                [c.proveedor],
            )
        pagado = sum((e.monto_pagado for e in entregas), Decimal(0))
        if pagado > c.monto:
            le.hallar(
                C.PAGO_EXCEDE,
                _("Bajo el contrato %(n)s se pagó %(p)s contra %(m)s contratados.")
                % {"n": c.numero, "p": _pesos(pagado), "m": _pesos(c.monto)},
                [{"texto": f"{c.numero} · {c.proveedor}", "enlace": le.enlace()}],
                [c.proveedor],
            )
        for e in entregas:
            for partida, n in (e.cantidades or {}).items():
                recibidas[int(partida)] = recibidas.get(int(partida), 0) + int(n)
    if not recibidas:
        return
    aprobadas = {
        p.pk: p.decision_leida.cantidad_aprobada if p.decision_leida else p.cantidad
        for p in le.partidas
        if p.decision_leida is None
        or p.decision_leida.resultado != DecisionPartida.Resultado.NO_APROBADA
    }
    distintas = reglas.cantidades_distintas(
        aprobadas, recibidas, termino_vencido=max(terminos) < le.hoy
    )
    nombres = {p.pk: (p.perfil.nombre if p.perfil_id else str(p)) for p in le.partidas}
    for partida, (aprobada, recibida) in distintas.items():
        le.hallar(
            C.ENTREGA_DISTINTA,
            _("«%(p)s»: %(a)s aprobadas, %(r)s recibidas.")
            % {"p": nombres.get(partida, partida), "a": aprobada, "r": recibida},
            [{"texto": str(nombres.get(partida, partida)), "enlace": le.enlace()}],
        )


def _calendario(le: _Lectura) -> Calendario:
    anio = le.solicitud.ejercicio
    return Calendario.cargar(
        datetime.date(min(anio, le.hoy.year) - 1, 1, 1),
        datetime.date(max(anio, le.hoy.year) + 2, 12, 31),
    )


def _vistas(le: _Lectura, presentada: datetime.date) -> dict:
    """Each item's price as it was presented: against the reference of that day. Presented
    today, the reference the office keeps (recalculated each night); presented on an earlier
    day, the reference of the window that ended then (precios.services.referencia_en), not
    today's: a request computed again months later (its contract, the daily run, a new
    threshold) is judged against what its requester could see."""
    if presentada >= timezone.localdate():
        return precios_de(le.partidas, config=le.config, hoy=presentada)
    referencias = {}
    for clave in {clave_de(p) for p in le.partidas}:
        valores = referencia_en(clave=clave, hoy=presentada)
        referencias[clave] = ReferenciaPrecio(**valores) if valores else None
    entes = entes_por_clave() if any(p.cotizaciones.all() for p in le.partidas) else {}
    huellas = huellas_de(le.partidas)
    return {
        p.pk: precio_de(
            p,
            referencia=referencias[clave_de(p)],
            config=le.config,
            hoy=presentada,
            entes=entes,
            huellas=huellas,
        )
        for p in le.partidas
    }


def hallar(solicitud, *, hoy=None, fracciones=None) -> "_Lectura | None":
    """Every sign the request carries on `hoy` (`hallazgos`, with the thresholds each was
    found with, `umbrales`), read from its rows; None for a draft, which carries none."""
    le = _leer(solicitud, hoy or timezone.localdate())
    if le.solicitud.estado in SIN_SENALES:
        return None
    presentada = (
        timezone.localtime(le.solicitud.presentada_en).date()
        if le.solicitud.presentada_en
        else le.hoy
    )
    vistas = _vistas(le, presentada)
    calendario = _calendario(le)
    _fraccionamiento(le, fracciones)
    _precios(le, vistas)
    _cobertura(le)
    _proveedor_del_ente(le)
    _decisiones(le, vistas)
    _contratos(le)
    _dominante(le)
    _cierre(le, calendario)
    _condiciones(le)
    _entregas(le, calendario)
    le.umbrales = {codigo: catalogo.umbrales_de(codigo, le.config) for codigo in le.hallazgos}
    return le
