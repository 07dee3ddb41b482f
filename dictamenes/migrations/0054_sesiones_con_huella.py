"""Every open session ends (issue 93, item 1): the rows that Django's session engine wrote
are stored under the session key itself, which cuentas.sesiones no longer reads (it looks a
session up by an HMAC of the key) and which must not stay in the database for a dump or a
backup to print. Everyone signs in again once.

Here, in `dictamenes`, because this app's migrations may depend on those of
`django.contrib.sessions`; `cuentas`, whose engine this is, has no models and no migrations.
Nothing to undo: the sessions do not come back.
"""

from django.db import migrations


def sesiones_terminar(apps, schema_editor):
    Session = apps.get_model("sessions", "Session")
    Session.objects.using(schema_editor.connection.alias).all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("dictamenes", "0053_senales"),
        ("sessions", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(sesiones_terminar, migrations.RunPython.noop, elidable=True),
    ]
