"""The forms of the console's pages of people, roles and pending changes: what an
administrator fills in to grant or remove a role, to ask for a change of someone's identity
data, and to approve or reject a change that waits."""

from django import forms
from django.utils.translation import gettext_lazy as _

from estandares.entradas import PaginaField, TextoCortoField, TextoLargoField

# --- Roles (issue 18): what an administrator fills in to grant or remove one ----------------
MOTIVO_MAX = 500


def _motivo() -> forms.CharField:
    return TextoLargoField(
        label=_("Motivo"),
        max_length=MOTIVO_MAX,
        help_text=_(
            "Por qué cambia (oficio, alta, baja, cambio de puesto). Queda en la auditoría."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RolOtorgarForm(forms.Form):
    rol = forms.ChoiceField(label=_("Rol"))
    ente = forms.ModelChoiceField(
        label=_("Dependencia o entidad"),
        queryset=None,
        required=False,
        empty_label=_("Elija un ente"),
        help_text=_("Solo para el rol Requirente: el ente al que pertenece la persona."),
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("Áreas de revisión"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Para el rol Revisor técnico: las áreas cuyas partidas revisa."),
    )

    def __init__(self, *args, roles_posibles, entes, areas, areas_suyas=None, **kwargs):
        """`areas_suyas`: the names of the areas of a person who already is a reviewer."""
        super().__init__(*args, **kwargs)
        self.fields["rol"].choices = [("", _("Elija un rol")), *roles_posibles]
        self.fields["ente"].queryset = entes
        self.fields["areas"].queryset = areas
        if areas_suyas is not None:
            self.fields["areas"].label = _("Áreas de revisión que se agregan")
            self.fields["areas"].help_text = _(
                "Ya revisa: %(suyas)s. Elija «Revisor técnico: agregar áreas» y las áreas "
                "que se suman; tienen efecto cuando otra persona administradora lo aprueba."
            ) % {"suyas": ", ".join(areas_suyas) or "—"}
        self.fields["motivo"] = _motivo()


class RolRetirarForm(forms.Form):
    rol = forms.ChoiceField(label=_("Rol que se retira"))

    def __init__(self, *args, roles_actuales, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rol"].choices = [("", _("Elija un rol")), *roles_actuales]
        self.fields["motivo"] = _motivo()


class AccesoForm(forms.Form):
    """Deactivate an active account or reactivate an inactive one: only its reason."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["motivo"] = _motivo()


class JefaturaForm(forms.Form):
    """Give or take away the jefatura (issue 77): only its reason; a second administrator
    approves."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["motivo"] = _motivo()


class ParametrosRoles(forms.Form):
    """The query string of the page of people and roles: the search and the page."""

    q = TextoCortoField(label=_("Buscar"), max_length=100, required=False)
    p = PaginaField(label=_("Página"))


# --- Dual control (issue 33) ----------------------------------------------------------------


class IdentidadForm(forms.Form):
    """What an administrator asks to change in someone's identity data; it takes effect when
    another administrator approves."""

    first_name = TextoCortoField(label=_("Nombre"), max_length=150, required=False)
    last_name = TextoCortoField(label=_("Apellidos"), max_length=150, required=False)
    username = TextoCortoField(
        label=_("Usuario"),
        max_length=150,
        required=False,
        help_text=_("Con él entra la persona con contraseña y la nombra la auditoría."),
    )
    email = forms.EmailField(label=_("Correo"), max_length=254)
    rfc = TextoCortoField(label=_("RFC"), max_length=13, required=False)
    curp = TextoCortoField(
        label=_("CURP"),
        max_length=18,
        required=False,
        help_text=_("Con ella se vincula la cuenta al entrar con la identidad del Estado."),
    )

    def __init__(self, *args, tiene_perfil: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not tiene_perfil:
            del self.fields["rfc"], self.fields["curp"]
        self.fields["motivo"] = _motivo()


class ResolverCambioForm(forms.Form):
    accion = forms.ChoiceField(
        choices=[("aprobar", _("Aprobar")), ("rechazar", _("Rechazar"))],
        widget=forms.HiddenInput,
    )
    motivo = TextoLargoField(
        label=_("Motivo del rechazo"),
        max_length=MOTIVO_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
