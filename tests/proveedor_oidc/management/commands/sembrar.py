"""Migrate the provider's database and create its people and its two clients.

    python -m django sembrar --oidc-redirect URL [...] --oidc-logout-redirect URL [...] \
        --llave-redirect URL [...]

Client ids and secrets come from the options or from PROVEEDOR_OIDC_CLIENTE_OIDC,
PROVEEDOR_OIDC_SECRETO_OIDC, PROVEEDOR_OIDC_CLIENTE_LLAVE, PROVEEDOR_OIDC_SECRETO_LLAVE.
Running it again updates everything (the redirect URIs are replaced by the new lists).
"""

import os

from django.contrib.auth import get_user_model
from django.core.management import BaseCommand, CommandError, call_command
from django.db import transaction
from oauth2_provider.models import get_application_model

from tests.proveedor_oidc.personas import CONTRASENA_PROVEEDOR, PERSONAS
from tests.proveedor_oidc.validador import NOMBRE_LLAVE, NOMBRE_OIDC


class Command(BaseCommand):
    help = "Crea (o actualiza) las personas y los clientes OIDC y Llave del proveedor de pruebas."

    def add_arguments(self, parser):
        env = os.environ.get
        parser.add_argument("--oidc-client-id", default=env("PROVEEDOR_OIDC_CLIENTE_OIDC"))
        parser.add_argument("--oidc-secret", default=env("PROVEEDOR_OIDC_SECRETO_OIDC"))
        parser.add_argument("--oidc-redirect", action="append", default=[])
        parser.add_argument("--oidc-logout-redirect", action="append", default=[])
        parser.add_argument("--llave-client-id", default=env("PROVEEDOR_OIDC_CLIENTE_LLAVE"))
        parser.add_argument("--llave-secret", default=env("PROVEEDOR_OIDC_SECRETO_LLAVE"))
        parser.add_argument("--llave-redirect", action="append", default=[])

    def handle(self, *args, **o):
        for opcion in ("oidc_client_id", "oidc_secret", "llave_client_id", "llave_secret"):
            if not o[opcion]:
                raise CommandError(f"falta --{opcion.replace('_', '-')}")
        call_command("migrate", verbosity=0, interactive=False)
        with transaction.atomic():
            self._personas()
            Application = get_application_model()
            self._cliente(
                nombre=NOMBRE_OIDC,
                client_id=o["oidc_client_id"],
                secreto=o["oidc_secret"],
                redirect_uris=o["oidc_redirect"],
                post_logout_redirect_uris=o["oidc_logout_redirect"],
                algorithm=Application.RS256_ALGORITHM,
            )
            self._cliente(
                nombre=NOMBRE_LLAVE,
                client_id=o["llave_client_id"],
                secreto=o["llave_secret"],
                redirect_uris=o["llave_redirect"],
                post_logout_redirect_uris=[],
                algorithm=Application.NO_ALGORITHM,  # plain OAuth2: never an id_token
            )
        self.stdout.write(f"{len(PERSONAS)} personas y 2 clientes listos.")

    def _personas(self):
        User = get_user_model()
        for persona in PERSONAS:
            usuario, _ = User.objects.update_or_create(
                username=persona.usuario,
                defaults={
                    "email": persona.correo,
                    "first_name": persona.nombre,
                    "last_name": persona.apellidos,
                    "is_active": True,
                },
            )
            usuario.set_password(CONTRASENA_PROVEEDOR)
            usuario.save()

    def _cliente(
        self, *, nombre, client_id, secreto, redirect_uris, post_logout_redirect_uris, algorithm
    ):
        Application = get_application_model()
        Application.objects.filter(name=nombre).exclude(client_id=client_id).delete()
        aplicacion = Application.objects.filter(client_id=client_id).first() or Application(
            client_id=client_id
        )
        aplicacion.name = nombre
        aplicacion.client_type = Application.CLIENT_CONFIDENTIAL
        aplicacion.authorization_grant_type = Application.GRANT_AUTHORIZATION_CODE
        aplicacion.client_secret = secreto  # hashed on save (hash_client_secret)
        aplicacion.redirect_uris = " ".join(redirect_uris)
        aplicacion.post_logout_redirect_uris = " ".join(post_logout_redirect_uris)
        aplicacion.algorithm = algorithm
        aplicacion.skip_authorization = True  # no consent page
        aplicacion.full_clean()
        aplicacion.save()
