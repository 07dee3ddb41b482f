from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandError

from dictamenes.models.vias import ConfiguracionVias
from dictamenes.simulacion.selectors.registro_anual import historial_del_anio
from dictamenes.simulacion.services import comprobacion as replay
from dictamenes.simulacion.services import motor, refuerzo, via_rapida
from estandares.entradas import entero_argumento
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
        "Aprende del registro de un ejercicio con pasos del flujo (el tiempo de trabajo de cada "
        "paso, el personal de cada paso por mes, prevenciones y peticiones de información), "
        "comprueba que sus colas reproducen su mediana y su p90 dentro del 20 % y solo entonces "
        "compara escenarios: planeación, asignación por carga y un revisor más en un área. Un "
        "registro sin pasos (histórico importado) no se dimensiona: se dice por qué."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--anio", type=entero_argumento, default=2024, help="Ejercicio registrado."
        )
        parser.add_argument("--semilla", type=entero_argumento, default=7)
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
            help="Con la vía rápida, la planeación y la asignación por carga, busca el préstamo "
            "mínimo de revisores (área, fechas) que lleva el p90 de cada mes del cierre a la "
            "meta, y lo comprueba reproduciendo el año con él.",
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
        except motor.SinPasos as error:
            self._sin_pasos(error, meses, options)
            return
        except ValueError as error:
            raise CommandError(str(error)) from error
        try:
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
        self.stdout.write(
            f"Aprendido del registro: prevenciones {100 * ajuste.parte_prevenciones:.1f} % "
            f"(desechadas {100 * ajuste.parte_desechadas:.1f} % de ellas), peticiones de "
            f"información {100 * ajuste.parte_peticiones:.1f} %; por paso, personas por mes y "
            "tiempo de trabajo medio por tarea (días hábiles): "
            + "; ".join(
                f"{paso} {min(p.personal.values())}-{max(p.personal.values())}, {p.media:.2f}"
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
            comprobacion = replay.comprobar(ajuste, semilla=options["semilla"])
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
        n = replay.SEMILLAS_COMPROBACION
        self.stdout.write(
            f"\nAjuste (días hábiles de atención)  {'registrado':>10} {'simulado':>9} "
            f"{'banda de ' + str(n) + ' corridas':>22}"
        )
        for nombre, registrado, media, (a, b) in (
            (
                "mediana",
                comprobacion.registrado_mediana,
                comprobacion.mediana,
                comprobacion.banda_mediana,
            ),
            ("p90", comprobacion.registrado_p90, comprobacion.p90, comprobacion.banda_p90),
        ):
            self.stdout.write(
                f"{nombre:<34} {registrado:>10.1f} {media:>9.1f} {f'{a:.1f} a {b:.1f}':>22}"
            )
        if not comprobacion.reproduce:
            self.stdout.write(
                f"\nEl modelo no reproduce el registro de {h.anio}: su mediana o su p90 quedan "
                f"fuera de lo que dan {n} corridas; no se comparan escenarios, porque un modelo "
                "que no concuerda con el registro no puede aconsejar."
            )
            return
        self.stdout.write(
            f"\nEl modelo reproduce el registro: su mediana y su p90 caen dentro de lo que dan "
            f"{n} corridas. Escenarios "
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
            f"Con la regla de la vía (reglas/vias.py), {rapidas} de {total} solicitudes de "
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

    def _sin_pasos(self, error, meses, options):
        """A record without steps: what it says, and what it cannot size."""
        escribir = self.stdout.write
        h = historial_del_anio(anio=options["anio"])
        if not h.atendidas:
            raise CommandError(str(motor.ERROR_SIN_REGISTRO).format(anio=h.anio))
        escribir(f"Registro de {h.anio}: {h.atendidas} solicitudes atendidas.")
        escribir(str(error))
        por_mes = dict.fromkeys(range(1, 13), 0)
        for dia, n in h.llegadas.items():
            por_mes[dia.month] += n
        escribir("Lo que sí dice: las llegadas por mes y los días de atención registrados.")
        escribir("mes " + " ".join(f"{m:>4}" for m in por_mes))
        escribir("    " + " ".join(f"{n:>4}" for n in por_mes.values()))
        escribir(f"mediana {h.mediana:.1f} y p90 {h.p90:.0f} días hábiles de atención.")
        escribir(
            "No se simulan escenarios: sin tiempos de servicio ni personal por paso, cualquier "
            "cifra de planeación, asignación o revisores de más la pondría el modelo, no el "
            "registro."
        )
        if options["plan"]:
            escribir(
                "\nPlan de capacidad: no se puede dimensionar con este registro; no se da un "
                "refuerzo en días-revisor. Use un año tramitado en el sistema (con pasos del "
                "flujo); cómo planea y cuánto acierta se mide en mundos generados con "
                "`manage.py capacidad_validar --panel`."
            )

    def _plan(self, ajuste, con_todo, rapida, meses, options):
        """(d): (c) with the fewest reviewers lent each rush month for the goal."""
        escribir = self.stdout.write
        meta = via_rapida.META_P90
        anio = ajuste.historial.anio
        semilla, planeada = options["semilla"], options["parte_planeada"]

        def correr(escenario):
            return [
                motor.simular(
                    ajuste, escenario, semilla=semilla, parte_planeada=planeada, rapida=rapida
                )
            ]

        def ventana(mes):
            return [d for d in ajuste.reloj.dias if d.year == anio and d.month == mes]

        def cumple(resultados, mes):
            r = resultados[0]
            del_mes = [d for d, m in zip(r.dias, r.meses, strict=True) if m == mes]
            return not del_mes or motor.percentil_90(del_mes) <= meta

        def p90_areas(resultados, mes):
            r, por = resultados[0], {}
            for i, m in enumerate(r.meses):
                if m == mes:
                    for paso in r.areas[i]:
                        por.setdefault(paso, []).append(r.dias[i])
            return {paso: motor.percentil_90(dias) for paso, dias in por.items()}

        recomendacion = refuerzo.recomendar(
            escenario=con_todo.escenario,
            correr=correr,
            meses=sorted(meses),
            ventana=ventana,
            cumple=cumple,
            p90_areas=p90_areas,
            estandar=meta,
        )
        escribir(
            f"\nPlan de capacidad: el préstamo mínimo de revisores en cada mes del cierre para un "
            f"p90 de {meta} días hábiles o menos en sus solicitudes, sobre (c), buscado en las "
            "colas del simulador (un revisor más a cada área cuyas solicitudes no cumplen, "
            "mientras el mes no cumpla; luego los préstamos se acortan a los días que bastan):"
        )
        dias_del_anio = [d for d in ajuste.reloj.dias if d.year == anio]
        total = 0.0
        for p in recomendacion.prestamos:
            dias = p.dias(dias_del_anio)
            total += dias
            escribir(
                f"Prestar {p.personas:.0f} revisor a {p.area} del {p.desde:%d/%m} al "
                f"{p.hasta:%d/%m} ({dias:.0f} días-revisor)."
            )
        for mes, paso in sorted(recomendacion.sin_alcance.items()):
            escribir(
                f"Mes {mes}: ningún préstamo de revisores alcanza la meta; sus solicitudes "
                f"esperan sobre todo en {refuerzo.nombre_del_paso(paso)}, que ningún revisor "
                "técnico atiende."
            )
        cierre = recomendacion.resultados[0].en_meses(meses)
        nombre = "(d) (c) con el préstamo del plan"
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
            f"Refuerzo recomendado: {total:.0f} días-revisor en el cierre. {alcanza} la meta: "
            f"p90 {cierre.p90} en las solicitudes de los meses {', '.join(map(str, meses))}."
        )
