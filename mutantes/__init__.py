"""La prueba por mutación (`make mutantes`): el complemento de pytest que mutmut necesita, el
informe del puntaje por módulo en bench/results/ y el juicio de cada mutante que sobrevive
(juicios.toml); mutmut, fijado en requirements.lock, solo lo instala ese comando."""
