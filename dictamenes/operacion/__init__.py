"""Running the installation: the signed backup and its restore
(`services.respaldo`), the import of past years' records (`services.importacion`) and the
loading of a state's profile on installation (`services.perfil_estado`), the readiness
check of /salud/listo (`services.salud`) and the metrics read at each scrape
(`selectors.metricas`). Called from the management commands and from config.salud. It may
import every capability."""
