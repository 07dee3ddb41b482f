"""Running the installation: the signed backup and its restore
(`services.respaldo`), the import of past years' records (`services.importacion`) and the
loading of a state's profile on installation (`services.perfil_estado`); the state of the
system that the operator reads (`selectors.estado`, /cuentas/sistema/ and
`estado_del_sistema`), the runs of the periodic commands (`services.corridas`, their table in
`periodicas`, one at a time across the servers with `exclusion`) and the one e-mail to the
administrators when something fails (`services.alertas`); the readiness check of /salud/listo
(`services.salud`) and the metrics read at each scrape (`selectors.metricas`); the
configuration changes a second administrator approves, each rehearsed by the door that will
apply it (`services.configuracion`, `services.ensayo`). Called from the management commands,
the operator's page and config.salud. It may import every capability."""
