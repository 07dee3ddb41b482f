from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandError

from dictamenes.models.vias import ConfiguracionVias
from dictamenes.simulacion.services import motor, refuerzo, via_rapida
from estandares.progreso import HECHO, OMITIDO, Progreso


def _meses(texto: str) -> tuple[int, ...]:
    try:
        meses = tuple(sorted({int(m) for m in texto.split(",") if m.strip()}))
    except ValueError:
        meses = ()
    if not meses or not all(1 <= m <= 12 for m in meses):
        raise CommandError(
            f"--meses: números de mes del 1 al 12 separados por comas, no «{texto}»."
        )
    return meses


def pesos(monto: Decimal) -> str:
    """$1,250,000.00, as the tracks' page writes it (not through the template tags: the
    layers' contract keeps them to the pages)."""
    return f"${Decimal(monto).quantize(Decimal('0.01')):,}"


def _umbral(texto: str | None) -> Decimal | None:
    if texto is None:
        return None
    try:
        umbral = Decimal(texto.replace(",", "").replace("$", ""))
    except InvalidOperation:
        umbral = Decimal(-1)
    if not umbral.is_finite() or umbral < 0:
        raise CommandError(f"--umbral: un monto en pesos, 0 o mayor, no «{texto}».")
    return umbral


class Command(BaseCommand):
    help = (
        "Aprende del registro de un ejercicio (tiempo de cada paso según la carga de quien lo "
        "hizo, personal de cada área por mes, prevenciones y peticiones de información), "
        "comprueba que el modelo reproduce su mediana y su p90 dentro del 20 % y solo entonces "
        "compara escenarios: planeación, asignación por carga y un revisor más en un área."
    )

    def add_arguments(self, parser):
        parser.add_argument("--anio", type=int, default=2024, help="Ejercicio registrado.")
        parser.add_argument("--semilla", type=int, default=7)
        parser.add_argument(
            "--parte-planeada",
            type=float,
            default=0.6,
            help="Parte de las solicitudes anunciadas en el programa anual (0 a 1).",
        )
        parser.add_argument(
            "--area", help="Clave del área con un revisor más (por omisión, la más cargada)."
        )
        parser.add_argument(
            "--meses",
            default="10,11,12",
            help="Meses del cierre del año: los del revisor adicional y los que mide la tabla "
            "de la vía rápida (p. ej. 11,12).",
        )
        parser.add_argument(
            "--plan",
            action="store_true",
            help="Con la vía rápida, la planeación y la asignación por carga, busca el refuerzo "
            "mínimo (días-revisor por mes del cierre) que lleva el p90 del cierre a la meta, y "
            "lo comprueba reproduciendo el año con él.",
        )
        parser.add_argument(
            "--umbral",
            help="Umbral de la vía rápida (MXN) a probar en lugar del configurado, sin guardarlo.",
        )

    def handle(self, *args, **options):
        if not 0 <= options["parte_planeada"] <= 1:
            raise CommandError("--parte-planeada va de 0 a 1.")
        meses = _meses(options["meses"])
        umbral = _umbral(options["umbral"])
        configurada = ConfiguracionVias.objects.vigentes()
        # The scenario is the fast track: on even when the configured tracks have it off.
        config = via_rapida.config_probada(configurada, umbral=umbral)
        config.rapida_activa = True
        try:
            ajuste = motor.ajustar(anio=options["anio"])
            lista = motor.escenarios(ajuste, area=options["area"], meses=meses)
            registro = via_rapida.registro_del_anio(anio=options["anio"])
            rapida = via_rapida.via_rapida(
                registro=registro, config=config, historial=ajuste.historial
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        con_via = via_rapida.escenarios_via_rapida()
        h = ajuste.historial
        self.stdout.write(f"Registro de {h.anio}: {h.atendidas} solicitudes atendidas.")
        if ajuste.por_tramite_completo:
            self.stdout.write(
                "El registro de ese año no tiene pasos del flujo (histórico importado): el "
                "modelo aprende el trámite completo según la carga de cada mes; no puede "
                "comparar asignación por carga ni un revisor más en un área."
            )
        else:
            self.stdout.write(
                f"Aprendido del registro: prevenciones {100 * ajuste.parte_prevenciones:.1f} % "
                f"(desechadas {100 * ajuste.parte_desechadas:.1f} % de ellas), peticiones de "
                f"información {100 * ajuste.parte_peticiones:.1f} %, personal por paso y mes: "
                + "; ".join(
                    f"{paso} {min(p.personal.values())}-{max(p.personal.values())}"
                    for paso, p in sorted(ajuste.pasos.items())
                )
            )
        # Every simulation first (the progress), then the table in one piece.
        with Progreso(
            salida=self.stdout,
            verbosidad=options["verbosity"],
            titulo="Simulación",
            etiquetas={HECHO: "simulados", OMITIDO: "sin comparar"},
        ) as progreso:
            progreso.fase("escenarios", total=1 + len(lista) + len(con_via))
            comprobacion = motor.comprobar(ajuste, semilla=options["semilla"])
            progreso.avanzar(HECHO)
            resultados = [comprobacion.simulado]
            if comprobacion.reproduce:
                for escenario in lista:
                    resultados.append(
                        motor.simular(
                            ajuste,
                            escenario,
                            semilla=options["semilla"],
                            parte_planeada=options["parte_planeada"],
                        )
                    )
                    progreso.avanzar(HECHO)
                for escenario in con_via:
                    resultados.append(
                        motor.simular(
                            ajuste,
                            escenario,
                            semilla=options["semilla"],
                            parte_planeada=options["parte_planeada"],
                            rapida=rapida,
                        )
                    )
                    progreso.avanzar(HECHO)
            else:  # a model that does not match the record cannot advise
                progreso.avanzar(OMITIDO, len(lista) + len(con_via))
        s = comprobacion.simulado
        self.stdout.write(
            f"\nAjuste (días hábiles de atención)  {'registrado':>10} {'simulado':>9} {'error':>7}"
        )
        self.stdout.write(
            f"{'mediana':<34} {comprobacion.registrado_mediana:>10.1f} {s.mediana:>9.1f} "
            f"{100 * comprobacion.error_mediana:>6.1f} %"
        )
        self.stdout.write(
            f"{'p90':<34} {comprobacion.registrado_p90:>10.1f} {s.p90:>9.1f} "
            f"{100 * comprobacion.error_p90:>6.1f} %"
        )
        tolerancia = round(100 * motor.TOLERANCIA)
        if not comprobacion.reproduce:
            self.stdout.write(
                f"\nEl modelo no reproduce el registro de {h.anio} dentro del {tolerancia} %: "
                "no se comparan escenarios, porque un modelo que no concuerda con el registro "
                "no puede aconsejar."
            )
            return
        self.stdout.write(
            f"\nEl modelo reproduce el registro dentro del {tolerancia} %. Escenarios "
            f"(plazo de {s.plazo} días hábiles; planeación: "
            f"{100 * options['parte_planeada']:.0f} % de las solicitudes anunciadas en el "
            "programa, que llegan de enero a octubre):"
        )
        self.stdout.write(f"{'escenario':<44} {'mediana':>8} {'p90':>5} {'fuera de plazo':>15}")
        for r in resultados:
            nombre = str(r.escenario.nombre)
            self.stdout.write(
                f"{nombre:<44} {r.mediana:>8.1f} {r.p90:>5} {r.fuera_de_plazo:>14.1f} %"
            )
        self._via_rapida(ajuste, registro, configurada, config, rapida, resultados, meses, options)
        if options["plan"]:
            self._plan(ajuste, resultados[-1], rapida, meses, options)

    def _via_rapida(
        self, ajuste, registro, configurada, config, rapida, resultados, meses, options
    ):
        """The rush with and without the fast track, against the goal."""
        escribir = self.stdout.write
        cierre = [resultados[0], *resultados[-2:]]
        cierre = [r.en_meses(meses) for r in cierre]
        origen = (
            f"umbral probado {pesos(config.umbral_monto)} (sin guardar; el configurado es "
            f"{pesos(configurada.umbral_monto)})"
            if options["umbral"] is not None
            else f"umbral {pesos(config.umbral_monto)}"
        )
        categorias = ", ".join(config.categorias_completas or []) or "ninguna"
        escribir(
            f"\nVía rápida con las vías de revisión configuradas (versión {configurada.version}): "
            f"{origen}; categorías que siempre van a revisión completa: {categorias}; una sola "
            f"revisión técnica de {config.dias_revision_rapida} días hábiles y la estratégica de "
            f"{config.dias_estrategica_rapida} (plazo total de la vía rápida: "
            f"{rapida.plazo} días hábiles)."
        )
        if not configurada.rapida_activa:
            escribir(
                "La vía rápida no está activa en la configuración: se simula como si lo estuviera."
            )
        if registro.supuesto:
            escribir(f"Supuesto: {registro.supuesto}")
        total = len(registro.solicitudes)
        rapidas = resultados[-2].rapidas
        escribir(
            f"Con la regla de la vía (selectors/vias.py), {rapidas} de {total} solicitudes de "
            f"{registro.anio} van por la vía rápida ({100 * rapidas / total:.1f} %); cada una "
            "hace una sola revisión técnica, de quien la toma de la cola común de sus áreas, "
            "y su revisión técnica y la estratégica pesan, en días y en carga, la parte de su "
            "plazo en el de la vía completa."
        )
        meses_texto = ", ".join(str(m) for m in meses)
        escribir(
            f"\nCierre del año (solicitudes presentadas en los meses {meses_texto}; fuera de "
            "plazo: más días hábiles que la suma de los plazos de su vía):"
        )
        escribir(
            f"{'escenario':<48} {'solicitudes':>11} {'vía rápida':>10} {'mediana':>8} {'p90':>5} "
            f"{'fuera de plazo':>15}"
        )
        nombres = [
            "(a) Hoy, sin vía rápida",
            "(b) Con vía rápida",
            "(c) Vía rápida, planeación y asignación por carga",
        ]
        for nombre, r in zip(nombres, cierre, strict=True):
            escribir(
                f"{nombre:<48} {len(r.dias):>11} {r.rapidas:>10} {r.mediana:>8.1f} {r.p90:>5} "
                f"{r.fuera_de_plazo:>14.1f} %"
            )
        if ajuste.por_tramite_completo:
            escribir(
                "En un registro sin pasos del flujo, (c) añade solo la planeación: el registro no "
                "dice quién revisó, y la asignación por carga no tiene entre quiénes repartir."
            )
        meta = via_rapida.META_P90
        p90 = cierre[1].p90
        if p90 <= meta:
            escribir(
                f"\nMeta: p90 de {meta} días hábiles o menos en el cierre con la vía rápida. "
                f"Se alcanza: p90 {p90}."
            )
            return
        escribir(
            f"\nMeta: p90 de {meta} días hábiles o menos en el cierre con la vía rápida. "
            f"No se alcanza: p90 {p90}."
        )
        busqueda = via_rapida.buscar_umbral(
            ajuste, registro=registro, config=config, meses=meses, semilla=options["semilla"]
        )
        propuesta = busqueda.propuesta
        if propuesta is None:
            mejor = busqueda.mejor
            escribir(
                "Ningún umbral la alcanza, ni sin categorías de revisión completa: con todas "
                f"las solicitudes bajo el umbral, el p90 del cierre es {mejor.p90} (mediana "
                f"{mejor.mediana:.1f}), con {mejor.rapidas} de {len(mejor.dias)} solicitudes del "
                "cierre en la vía rápida; las demás siguen en la vía completa porque alguna de "
                "sus partidas no cumple en la autoevaluación o no usa un perfil vigente."
            )
            todas = busqueda.todas
            escribir(
                "Si todas las solicitudes del cierre fueran por la vía rápida (lo que la regla no "
                f"permite), el p90 sería {todas.p90} (mediana {todas.mediana:.1f}): "
                + (
                    "la meta pide además que más partidas cumplan en la autoevaluación."
                    if todas.p90 <= meta
                    else "ni así se alcanza la meta con los tiempos que enseña el registro."
                )
            )
            return
        sin = " y sin categorías de revisión completa" if propuesta.sin_categorias else ""
        r = propuesta.cierre
        escribir(
            f"Con un umbral de {pesos(propuesta.umbral)}{sin} se alcanzaría: p90 {r.p90} "
            f"(mediana {r.mediana:.1f}, fuera de plazo {r.fuera_de_plazo:.1f} %, {r.rapidas} de "
            f"{len(r.dias)} solicitudes del cierre en la vía rápida)."
        )

    def _plan(self, ajuste, con_todo, rapida, meses, options):
        """(d): (c) with the fewest reviewers each rush month needs for the goal."""
        escribir = self.stdout.write
        meta = via_rapida.META_P90
        plan = refuerzo.plan_del_registro(
            ajuste,
            con_todo.escenario,
            meses=meses,
            meta=meta,
            semilla=options["semilla"],
            parte_planeada=options["parte_planeada"],
            rapida=rapida,
        )
        escribir(
            f"\nPlan de capacidad: el refuerzo mínimo de cada mes del cierre para un p90 de {meta} "
            "días hábiles o menos en sus solicitudes, sobre (c), buscado por bisección en el "
            "simulador:"
        )
        if ajuste.por_tramite_completo:
            escribir(
                "Supuesto: el registro no tiene pasos del flujo, así que una persona del trámite "
                f"completo es toda la oficina; se cuenta como los {plan.revisores} revisores que "
                "hoy tienen el rol y un área, y el refuerzo acelera el trámite completo."
            )
        for mes in sorted(meses):
            if plan.veces[mes] is None:
                escribir(f"Mes {mes}: ni {refuerzo.MAXIMO_PERSONAS:.0f} veces el personal basta.")
            else:
                escribir(
                    f"Mes {mes}: {plan.dias_revisor[mes]} días-revisor "
                    f"({plan.veces[mes]:.3f} veces el personal del mes)."
                )
        total = sum(plan.dias_revisor.values())
        cierre = plan.resultado.en_meses(meses)
        nombre = "(d) (c) con el refuerzo del plan"
        escribir(
            f"{'escenario':<48} {'solicitudes':>11} {'vía rápida':>10} {'mediana':>8} {'p90':>5} "
            f"{'fuera de plazo':>15}"
        )
        escribir(
            f"{nombre:<48} {len(cierre.dias):>11} {cierre.rapidas:>10} {cierre.mediana:>8.1f} "
            f"{cierre.p90:>5} {cierre.fuera_de_plazo:>14.1f} %"
        )
        alcanza = "Se alcanza" if cierre.p90 <= meta else "No se alcanza"
        escribir(
            f"Refuerzo recomendado: {total} días-revisor en el cierre. {alcanza} la meta: p90 "
            f"{cierre.p90} en las solicitudes de los meses {', '.join(map(str, meses))}."
        )
