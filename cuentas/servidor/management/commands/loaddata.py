"""Django's `loaddata`, with the house's doors (issue 77, item 2). The probe made `auditor` a
superuser with a fixture and left no event: a fixture writes its rows raw, around every check,
dual control and event of the product.

In production (DICTAMENES_COMANDOS_CON_NOMBRE) it refuses any object of the models that hold
people, roles, access, the procedure, its rules or its audit chain (con_nombre.NO_SE_CARGAN),
checked object by object as they are read, so that a fixture cannot hide one behind a
harmless name; the load is one transaction and nothing of it stays. Anything else requires
--usuario, an active administrator, and its event (with the count of each model) commits with
the load. `restaurar` loads a whole verified backup through here: it names and audits itself."""

from collections import Counter

from django.core.management.base import CommandError
from django.core.management.commands import loaddata
from django.utils.translation import gettext_lazy as _

from cuentas.servidor.con_nombre import ConNombre, con_nombre, no_se_carga, restaurando

ERROR_NO_SE_CARGA = _(
    "En producción «loaddata» no carga %(modelo)s (%(que)s): eso se escribe por sus páginas y "
    "comandos, que lo revisan, piden la aprobación de otra persona y lo auditan. Una "
    "instalación entera se repone con «restaurar». No se cargó nada."
)


class Command(ConNombre, loaddata.Command):
    help = (
        "Carga datos de archivos (fixtures). En producción no carga personas, roles, "
        "permisos, credenciales, el trámite, sus reglas ni la auditoría, y lo demás pide "
        "--usuario y queda en la auditoría."
    )

    def handle(self, *fixture_labels, **options):
        self.cargados, self.etiquetas = Counter(), fixture_labels
        self.rechaza = con_nombre() and not restaurando()
        if restaurando():
            return loaddata.Command.handle(self, *fixture_labels, **options)
        return super().handle(*fixture_labels, **options)

    def save_obj(self, obj):
        modelo = type(obj.object)
        excluido = (
            obj.object._meta.app_config in self.excluded_apps or modelo in self.excluded_models
        )
        if self.rechaza and not excluido and (que := no_se_carga(modelo)):
            raise CommandError(str(ERROR_NO_SE_CARGA % {"modelo": modelo._meta.label, "que": que}))
        guardado = super().save_obj(obj)
        if guardado:
            self.cargados[modelo._meta.label_lower] += 1
        return guardado

    def descripcion(self, *, por, options):
        return (
            f"{por.username} cargó en el servidor con loaddata {sum(self.cargados.values())} "
            "objetos ("
            + ", ".join(f"{m}: {n}" for m, n in sorted(self.cargados.items()))
            + ") de "
            + ", ".join(f"«{f}»" for f in self.etiquetas)
        )

    def datos(self, *, options):
        return {
            **super().datos(options=options),
            "fixtures": list(self.etiquetas),
            "modelos": dict(sorted(self.cargados.items())),
        }
