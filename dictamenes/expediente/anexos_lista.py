"""A request's attachments drawn in Python, byte for byte as templates/solicitudes/_anexos.html
draws them: the request's page draws its list again after every change of the data, and the
template spent ~0.15 ms an attachment on its nodes and its {% url %} (the decision on ten items
of the bench's K=10 history has 28: ~4.5 ms of its first visit after a change; issue 92, item
6). The same values as the template gives them (render_value_in_context: localized, escaped;
filesizeformat and the slice of the hash; the link reversed and escaped as {% url %} does) and
the same markup; a test compares it with the template (tests/dictamenes/expediente/
test_anexos_lista.py), which stays as what it is compared with."""

from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.translation import gettext

from dictamenes.expediente.precio_linea import como_en_plantilla as _v


def dibujar(anexos, solicitud) -> str:
    """What {% include "solicitudes/_anexos.html" %} prints for these attachments."""
    if not anexos:
        # {% translate %} of a literal: not escaped.
        return f"<ul><li>{gettext('Sin anexos.')}</li></ul>"
    filas = []
    for a in anexos:
        enlace = conditional_escape(reverse("solicitudes:anexo", args=[solicitud.pk, a.pk]))
        # {% for %} over nothing draws nothing.
        avisos = "".join(f" · ⚠ {_v(aviso)}" for aviso in a.advertencias or ())
        filas.append(
            f'<li><a href="{enlace}">{_v(a.get_tipo_display())}: {_v(a.nombre)}</a> '
            f'<span class="ayuda">{_v(filesizeformat(a.tamano))} · SHA-256 {_v(a.sha256[:12])}… '
            f"· {_v(a.subido_por.get_full_name())}{avisos}</span></li>"
        )
    return f"<ul>{''.join(filas)}</ul>"
