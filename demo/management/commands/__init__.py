"""cargar_demo, generar_historico, efirma_demo, confianza_local and capacidad_validar: demo and
measurement only."""
