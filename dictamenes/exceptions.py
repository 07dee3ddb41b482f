from django.utils.translation import gettext_lazy as _

ERROR_REQUIRENTE_SIN_ENTE = _("Un requirente debe pertenecer a una dependencia o entidad.")
ERROR_INTERNO_CON_ENTE = _(
    "El personal de la Subsecretaría y los auditores no pertenecen a una dependencia."
)
ERROR_REVISOR_SIN_AREA = _("Un revisor técnico debe tener al menos un área de revisión.")
ERROR_SIN_ROLES = _("Indique al menos un rol.")
