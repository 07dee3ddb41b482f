"""Running the installation: the signed backup and its restore
(`services.respaldo`), the import of past years' records (`services.importacion`) and the
loading of a state's profile on installation (`services.perfil_estado`). Called from the
management commands. It may import every capability."""
