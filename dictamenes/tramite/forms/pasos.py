"""The forms of the procedure's steps (admission, area review, the strategic decision, early
closing, substitution): what each step asks for and how it checks it before the service
does the rest."""

import re
from decimal import Decimal

from django import forms
from django.db.models import prefetch_related_objects
from django.utils.translation import gettext_lazy as _

from dictamenes import exceptions
from dictamenes.comun import widgets
from dictamenes.models import (
    DecisionPartida,
    MotivoRechazo,
    RevisionArea,
)
from dictamenes.models.dictamenes import MOTIVOS_MAX
from dictamenes.montos import MontoEscritoField
from dictamenes.precios.selectors.partidas import precios_de_partidas
from dictamenes.tramite.services import decisiones
from estandares import selectors as estandares_selectors
from estandares.cumplimiento import Resultado as ResultadoRequisito
from estandares.datos_personales import SIN_DATOS_PERSONALES
from estandares.entradas import TextoLargoField
from estandares.motivos import MotivoCortoField, MotivoField


class AdmisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decisión"),
        choices=[
            ("admitir", _("Admitir: la solicitud está completa")),
            ("prevenir", _("Prevenir: falta información")),
        ],
        widget=widgets.RadioSelect,
    )
    faltantes = MotivoField(
        label=_("Qué falta (para la prevención)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TextoForm(forms.Form):
    texto = TextoLargoField(label=_("Texto"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, etiqueta=None, **kwargs):
        super().__init__(*args, **kwargs)
        if etiqueta:
            self.fields["texto"].label = etiqueta


ERROR_OPINION_SIN_ELEGIR = exceptions.ERROR_OPINION_SIN_ELEGIR

AJUSTES = [("", _("Confirmar el resultado del motor"))] + [
    (r.value, r.label) for r in ResultadoRequisito
]


class RevisionAreaForm(forms.Form):
    """One area's review: an opinion per item and, per requisito, confirm or override."""

    # No opinion is offered ready-made: the reviewer chooses one, whatever the engine said.
    opinion = forms.ChoiceField(
        label=_("Opinión del área"),
        choices=[("", _("Elija la opinión del área"))] + RevisionArea.Opinion.choices,
        error_messages={"required": ERROR_OPINION_SIN_ELEGIR},
    )
    observaciones = TextoLargoField(
        label=_("Observaciones"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, partidas, **kwargs):
        super().__init__(*args, **kwargs)
        self.partidas = partidas
        for partida in partidas:
            self.fields[f"p{partida.pk}_opinion"] = TextoLargoField(
                label=_("Opinión técnica de «%(p)s»") % {"p": partida.descripcion},
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={
                    "required": exceptions.ERROR_OPINION_FALTANTE % {"partida": partida.descripcion}
                },
            )
            for r in partida.evaluacion.get("resultados", []):
                self.fields[f"p{partida.pk}_{r['clave']}_resultado"] = forms.ChoiceField(
                    label=_("Resultado de «%(r)s»") % {"r": r["nombre"]},
                    choices=AJUSTES,
                    required=False,
                )
                self.fields[f"p{partida.pk}_{r['clave']}_motivo"] = MotivoCortoField(
                    label=_("Motivo del cambio en «%(r)s»") % {"r": r["nombre"]},
                    required=False,
                    max_length=500,
                )

    def filas(self):
        """For templates: (partida, opinion field, [(resultado, override field, motivo field,
        the text the requester declared for that requisito or "")])."""
        filas = []
        for partida in self.partidas:
            declarado = estandares_selectors.declaraciones_por_clave(partida=partida)
            filas.append(
                (
                    partida,
                    self[f"p{partida.pk}_opinion"],
                    [
                        (
                            r,
                            self[f"p{partida.pk}_{r['clave']}_resultado"],
                            self[f"p{partida.pk}_{r['clave']}_motivo"],
                            declarado.get(r["clave"], ""),
                        )
                        for r in partida.evaluacion.get("resultados", [])
                    ],
                )
            )
        return filas

    def partidas_datos(self) -> dict:
        datos = {}
        for partida in self.partidas:
            ajustes = {}
            for r in partida.evaluacion.get("resultados", []):
                elegido = self.cleaned_data.get(f"p{partida.pk}_{r['clave']}_resultado")
                if elegido:
                    ajustes[r["clave"]] = {
                        "resultado": elegido,
                        "motivo": self.cleaned_data.get(f"p{partida.pk}_{r['clave']}_motivo", ""),
                    }
            datos[partida.pk] = {
                "opinion": self.cleaned_data.get(f"p{partida.pk}_opinion", ""),
                "ajustes": ajustes,
            }
        return datos


ERROR_SIN_AREA = _("Elija el área a la que devuelve.")

# Where the service's refusal of one item's decision is shown: beside that item's field.
CAMPO_DE_DECISION = {
    "sin_decision": "resultado",
    "cantidad_reducida": "cantidad",
    "monto_reducido": "monto",
    "sin_motivo_rechazo": "motivo",
    "sin_motivo_reduccion": "motivo",
    "otro_sin_texto": "texto",
    "aprobada_sin_razon": "texto",
    # The text that a flagged approval or «Otro motivo» asks for, short of the rule of every
    # reason (estandares.motivos).
    "motivo_sin_palabras": "texto",
}
# The text's help on an item whose approval needs its reason (decisiones.razon_exigida): the
# field is shown whatever the choice, and says why.
AYUDA_RAZON_EXIGIDA = _(
    "Obligatoria si la aprueba: %(causa)s. Si la aprueba por menos o no la aprueba, explica "
    "el motivo elegido."
)


# The name of an item's field in EstrategicaForm.
_DE_PARTIDA = re.compile(r"p\d+_")


class EstrategicaForm(forms.Form):
    """The strategic review: send back to an area, or decide each item (the result follows
    from them by decisiones.REGLA_RESULTADO), with the decision's grounds and conditions."""

    regla = decisiones.REGLA_RESULTADO  # stated on the page, above the items

    accion = forms.ChoiceField(
        label=_("Acción"),
        choices=[
            ("decidir", _("Decidir cada partida")),
            ("devolver", _("Devolver a un área para re-revisión")),
        ],
        widget=widgets.RadioSelect,
        initial="decidir",
    )
    motivos = MotivoField(
        label=_("Motivos"), max_length=MOTIVOS_MAX, widget=widgets.Textarea(attrs={"rows": 4})
    )
    condiciones = TextoLargoField(
        label=_("Condiciones (si las hay, el dictamen es favorable condicionado)"),
        required=False,
        widget=widgets.Textarea(attrs={"rows": 3}),
        validators=[SIN_DATOS_PERSONALES],
        help_text=_(
            "Una condición por renglón; anteponga el área que la verificará, p. ej. «Redes: "
            "acreditar el enlace redundante». Cada una se sigue como obligación con su plazo. "
            "Si debe cumplirse antes de contratar, dígalo («… antes de contratar»): un contrato "
            "registrado sin cumplirla se señala."
        ),
    )
    area = forms.ModelChoiceField(
        label=_("Área a la que se devuelve"), queryset=None, required=False
    )

    def __init__(self, *args, areas, partidas=(), motivos_rechazo=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._campos["area"].queryset = areas
        self.partidas = list(partidas)
        # The active catalogue, read once: every item's select offers it.
        if motivos_rechazo is None:
            motivos_rechazo = MotivoRechazo.objects.filter(activo=True).order_by("orden", "nombre")
        self.motivos_rechazo = {m.clave: m for m in motivos_rechazo}
        # Each item's five fields are made on the form's first use of its fields: the
        # request's page, which renders them once per version of the data
        # (contexto_detalle's `fragmentos`), does not use them while they are kept.
        self._por_hacer = list(self.partidas)

    @property
    def fields(self) -> dict:
        if self._por_hacer:
            partidas, self._por_hacer = self._por_hacer, None
            self._campos_de(partidas)
        return self._campos

    @fields.setter
    def fields(self, campos) -> None:
        self._campos = campos

    def __getitem__(self, name):
        # A template asks for `f.is_bound` or `f.non_field_errors` as a key first: that is no
        # item's field (p<pk>_<campo>), and makes none.
        if self._por_hacer and name not in self._campos and not _DE_PARTIDA.match(name):
            raise KeyError(f"Key '{name}' not found in '{type(self).__name__}'.")
        return super().__getitem__(name)

    def _campos_de(self, partidas) -> None:
        # A list of choices, not a drop-down (issue 78): on a phone a chosen motive as long as
        # «Riesgo de seguridad de la información no mitigado» was cut in its box; each choice
        # wraps on its own line. None chosen is no motive.
        opciones = [(m.clave, m.nombre) for m in self.motivos_rechazo.values()]
        for p in partidas:
            nombre = {"p": p.descripcion}
            self._campos[f"p{p.pk}_resultado"] = forms.ChoiceField(
                label=_("Decisión sobre «%(p)s»") % nombre,
                choices=DecisionPartida.Resultado.choices,
                widget=widgets.RadioSelect,
                required=False,
            )
            self._campos[f"p{p.pk}_cantidad"] = forms.IntegerField(
                label=_("Cantidad aprobada de «%(p)s»") % nombre,
                required=False,
                min_value=1,
                widget=widgets.NumberInput,
                help_text=_("De 1 a %(n)s.") % {"n": p.cantidad},
            )
            self._campos[f"p{p.pk}_monto"] = MontoEscritoField(
                label=_("Monto aprobado de «%(p)s» (MXN)") % nombre,
                required=False,
                max_digits=14,
                decimal_places=2,
                min_value=Decimal("0.01"),
                widget=widgets.NumberInput,
                help_text=_(
                    "Menor que su importe. Si lo deja vacío y baja la cantidad, se calcula al "
                    "precio unitario."
                ),
            )
            self._campos[f"p{p.pk}_motivo"] = forms.ChoiceField(
                label=_("Motivo de la decisión sobre «%(p)s»") % nombre,
                help_text=_("Del catálogo publicado: por qué se aprueba por menos o no."),
                choices=opciones,
                widget=widgets.RadioSelect,
                required=False,
            )
            self._campos[f"p{p.pk}_texto"] = TextoLargoField(
                label=_("Explicación sobre «%(p)s»") % nombre,
                required=False,
                widget=widgets.Textarea(attrs={"rows": 2}),
                validators=[SIN_DATOS_PERSONALES],
                help_text=_("Opcional; obligatoria si el motivo es «Otro motivo»."),
            )

    def filas(self):
        """For the template: (partida, {campo: bound field}). An item whose approval needs its
        own reason (its `.precio`, decisiones.razon_exigida) is marked `.razon_exigida` and its
        text's help says why."""
        for p in self.partidas:
            p.razon_exigida = decisiones.razon_exigida(getattr(p, "precio", None))
            if p.razon_exigida:
                self.fields[f"p{p.pk}_texto"].help_text = AYUDA_RAZON_EXIGIDA % {
                    "causa": p.razon_exigida
                }
        filas = [
            (
                p,
                {
                    c: self[f"p{p.pk}_{c}"]
                    for c in ("resultado", "cantidad", "monto", "motivo", "texto")
                },
            )
            for p in self.partidas
        ]
        # Each field as _campo.html draws it, drawn in Python (`.dibujo`): fifty includes of
        # that template were a fifth of the page's first visit after a change.
        for _p, campos in filas:
            for campo in campos.values():
                campo.dibujo = widgets.CampoDibujado(campo)
        return filas

    @classmethod
    def escrito_con(cls, datos, *, valores: dict, **kwargs) -> "EstrategicaForm":
        """The form again, not bound, with what was typed (`datos`, the POST) and some fields
        set to `valores` (one item's reduction to the reference): the page shows it as it
        was, nothing refused, and the step is not concluded."""
        form = cls(**kwargs)
        escrito = {nombre: datos[nombre] for nombre in form.fields if nombre in datos}
        valores = dict(valores)
        for nombre, valor in valores.items():
            # A text set (the reduction's figures) goes before what was typed there, not in
            # its place.
            tecleado = (escrito.get(nombre) or "").strip()
            if nombre.endswith("_texto") and tecleado and str(valor) not in tecleado:
                valores[nombre] = f"{valor} {tecleado}"
        form.initial = escrito | valores
        return form

    def partidas_datos(self) -> dict:
        """What the service reads: {partida pk: {resultado, cantidad, monto, motivo, texto}}."""
        datos = {}
        for p in self.partidas:
            leido = {
                c: self.cleaned_data.get(f"p{p.pk}_{c}")
                for c in ("resultado", "cantidad", "monto", "motivo", "texto")
            }
            datos[p.pk] = leido
        return datos

    def totales(self) -> dict:
        """Requested, and approved as far as a refused form's choices say (None until every
        item has a decision that can be read)."""
        solicitado = sum((p.importe for p in self.partidas), Decimal(0))
        aprobado = None
        if self.is_bound and hasattr(self, "cleaned_data"):
            aprobado = Decimal(0)
            for p in self.partidas:
                monto = self._aprobado(p)
                if monto is None:
                    aprobado = None
                    break
                aprobado += monto
        return {"solicitado": solicitado, "aprobado": aprobado}

    def _aprobado(self, partida):
        leido = self.partidas_datos()[partida.pk]
        try:
            if leido["resultado"] == "reducida":
                return decisiones.lo_aprobado_por_menos(partida=partida, datos=leido)[1]
            return {"aprobada": partida.importe, "no_aprobada": Decimal(0)}[leido["resultado"]]
        except (forms.ValidationError, KeyError):
            return None

    def clean(self):
        # Each choice asks for what it uses, said beside that field; the service's rules
        # for each item (decisiones.decision_leer) are checked here to say so.
        datos = super().clean()
        if datos.get("accion") == "devolver" and not datos.get("area"):
            self.add_error("area", ERROR_SIN_AREA)
        if datos.get("accion") == "decidir":
            leidos = self.partidas_datos()
            self._precios()
            for p in self.partidas:
                if any(self.has_error(f"p{p.pk}_{c}") for c in CAMPO_DE_DECISION.values()):
                    continue
                try:
                    decisiones.decision_leer(
                        partida=p,
                        datos=leidos[p.pk],
                        motivos=self.motivos_rechazo,
                        precio=p.precio,
                    )
                except forms.ValidationError as exc:
                    self.add_error(f"p{p.pk}_{CAMPO_DE_DECISION[exc.code]}", exc)
        return datos

    def _precios(self) -> None:
        """Each item's price (`.precio`), which says whether approving it needs its reason:
        the page's items come with it; those of a POST are judged here, as the service will."""
        faltan = [p for p in self.partidas if not hasattr(p, "precio")]
        if faltan:
            prefetch_related_objects(faltan, "perfil__categoria")
            precios_de_partidas(solicitud=faltan[0].solicitud, partidas=faltan)


class CierreForm(forms.Form):
    """Closing a request early (desistimiento or cancelación): the reason, and a confirmation,
    since it cannot be undone."""

    motivo = MotivoField(
        label=_("Motivo"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Queda en el historial de la solicitud y se comunica por correo."),
    )
    confirmar = forms.BooleanField(
        label=_("Entiendo que la solicitud se cierra sin dictamen y que no puede reabrirse."),
        error_messages={"required": _("Confirme que desea cerrar la solicitud.")},
    )


class SustitucionForm(forms.Form):
    suplente = forms.ModelChoiceField(label=_("Suplente"), queryset=None)
    desde = forms.DateField(label=_("Desde"), widget=forms.DateInput(attrs={"type": "date"}))
    hasta = forms.DateField(label=_("Hasta"), widget=forms.DateInput(attrs={"type": "date"}))
    motivo = MotivoCortoField(label=_("Motivo"), max_length=200)

    def __init__(self, *args, titular, **kwargs):
        from django.contrib.auth import get_user_model

        super().__init__(*args, **kwargs)
        # Only people who share a role with the titular can stand in for them.
        self.fields["suplente"].queryset = (
            get_user_model()
            .objects.filter(groups__in=titular.groups.all(), is_active=True)
            .exclude(pk=titular.pk)
            .distinct()
            .order_by("first_name")
        )
        self.fields["suplente"].label_from_instance = lambda u: u.get_full_name() or u.username
