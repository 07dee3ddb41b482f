"""The console's forms whose saving changes the rules (issue 48) state every value they set. An
unticked checkbox sends nothing, so a POST that left a field out would read as «none» or «off»
(a probe emptied the categories always fully reviewed that way). The page sends, in one hidden
input, the names of its checkboxes; any field neither sent nor listed there refuses the whole
form."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

CAMPO_CASILLAS = "casillas_enviadas"
ERROR_CAMPO_FALTANTE = _(
    "El formulario no trajo «%(campo)s»: no se cambió nada. Recargue la página y envíelo "
    "completo; cada cambio dice todos sus valores."
)
_CASILLAS = (forms.CheckboxInput, forms.CheckboxSelectMultiple)


class TodosLosCampos:
    """Mixin for a forms.Form: `casillas` is what the hidden input carries."""

    campos_opcionales: tuple[str, ...] = ("motivo",)

    @property
    def casillas(self) -> str:
        return ",".join(n for n, f in self.fields.items() if isinstance(f.widget, _CASILLAS))

    def clean(self):
        datos = super().clean()
        if not self.is_bound:
            return datos
        listadas = set((self.data.get(self.add_prefix(CAMPO_CASILLAS)) or "").split(","))
        for nombre, campo in self.fields.items():
            if nombre in self.campos_opcionales or isinstance(campo, forms.FileField):
                continue
            enviado = self.add_prefix(nombre) in self.data or (
                isinstance(campo.widget, _CASILLAS) and nombre in listadas
            )
            if not enviado:
                self.add_error(
                    None,
                    forms.ValidationError(
                        ERROR_CAMPO_FALTANTE,
                        code="campo_faltante",
                        params={"campo": capfirst(str(campo.label or nombre))},
                    ),
                )
        return datos
