"""The forms of the console's page of people and roles: what an administrator fills in to grant
or remove a role, to deactivate or reactivate an account, to give or take away the jefatura, to
ask for a change of someone's identity data or of their cargo (personas.services.cargos)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dictamenes.consola.forms.motivo import AYUDA_ORGANIZACION, AYUDA_PERSONAS, campo_motivo
from estandares.entradas import PaginaField, TextoCortoField

# --- Roles (issue 18): what an administrator fills in to grant or remove one ----------------


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
        self.fields["motivo"] = campo_motivo(ayuda=AYUDA_PERSONAS, renglones=3)


class RolRetirarForm(forms.Form):
    rol = forms.ChoiceField(label=_("Rol que se retira"))

    def __init__(self, *args, roles_actuales, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rol"].choices = [("", _("Elija un rol")), *roles_actuales]
        self.fields["motivo"] = campo_motivo(ayuda=AYUDA_PERSONAS, renglones=3)


class AccesoForm(forms.Form):
    """Deactivate an active account or reactivate an inactive one: only its reason."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["motivo"] = campo_motivo(ayuda=AYUDA_PERSONAS, renglones=3)


class JefaturaForm(forms.Form):
    """Give or take away the jefatura (issue 77): only its reason; a second administrator
    approves."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["motivo"] = campo_motivo(ayuda=AYUDA_PERSONAS, renglones=3)


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
        self.fields["motivo"] = campo_motivo(ayuda=AYUDA_PERSONAS, renglones=3)


# --- Cargo (issue 59): the one the next dictamen this person signs prints -------------------


class CargoForm(forms.Form):
    cargo = TextoCortoField(
        label=_("Cargo"),
        max_length=200,
        required=False,
        help_text=_("El que imprime el próximo dictamen que firme la persona."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["motivo"] = campo_motivo(ayuda=AYUDA_ORGANIZACION)
