"""What the mutation report counts as killed (mutantes/informe.py, issue 92, item 3)."""

from dictamenes.emision.documentos import efirma
from mutantes import informe


def _sesion(error: str) -> dict:
    return {
        "fallas": [{"prueba": "tests/x.py::test_firma", "fase": "setup", "error": error}],
        "errores_de_coleccion": [],
        "pasaron": 54,
        "salida": 1,
    }


def test_una_prueba_que_falla_porque_la_ac_de_prueba_no_respondio_no_mata_al_mutante():
    # The error as the child records it: the last line of a signing test's failure.
    error = f"django.core.exceptions.ValidationError: ['{efirma.ERROR_ESTADO_NO_DISPONIBLE}']"
    veredicto, prueba, motivo = informe.clasificar("killed", _sesion(error), 1)
    assert (veredicto, prueba) == ("aparte", "")
    assert "tests/x.py::test_firma" in motivo and "no respondió" in motivo


def test_cualquier_otra_falla_de_la_misma_prueba_lo_mata():
    error = "django.core.exceptions.ValidationError: ['El plazo venció el 2026-12-01.']"
    assert informe.clasificar("killed", _sesion(error), 1) == (
        "muerto",
        "tests/x.py::test_firma",
        "",
    )


def _mundo(tmp_path, monkeypatch):
    """A tree with two modules under mutation, one test file reaching each and the harness."""
    (tmp_path / "pyproject.toml").write_text(
        '[tool.mutmut]\nonly_mutate = ["app/a.py", "app/b.py"]\n'
    )
    for nombre, texto in {
        "app/a.py": "def f(x):\n    return x > 1\n",
        "app/b.py": "def g(x):\n    return x\n",
        "tests/test_a.py": "def test_f(): ...\n",
        "tests/test_b.py": "def test_g(): ...\n",
        "tests/test_otro.py": "def test_h(): ...\n",
        "mutantes/plugin.py": "",
        "tests/perfiles.py": "",
    }.items():
        (tmp_path / nombre).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / nombre).write_text(texto)
    monkeypatch.setattr(informe, "RAIZ", tmp_path)
    monkeypatch.setattr(informe, "_diff", lambda nombre, ruta: ["-x", "+y"])


def _corrida(hijos, veredictos, huellas):
    return {
        "hijos": hijos,
        "segundos": 60,
        "modulos": {
            "app/a.py": {
                f"app.a.x_f__mutmut_{i}": {"veredicto": v, "prueba": "tests/test_a.py::test_f"}
                for i, v in enumerate(veredictos, 1)
            }
        },
        "huellas": huellas,
    }


def test_las_pruebas_que_alcanzan_un_modulo_salen_de_las_estadisticas_de_mutmut():
    estadisticas = {
        "tests_by_mangled_function_name": {
            "app.a.x_f": ["tests/test_a.py::test_f", "tests/test_a.py::test_f2[1]"],
            "app.ab.x_f": ["tests/test_otro.py::test_h"],  # another module sharing the prefix
            "app.b.x_g": ["tests/test_b.py::test_g"],
        }
    }
    assert informe.pruebas_que_alcanzan("app/a.py", estadisticas) == ["tests/test_a.py"]


def test_la_huella_cambia_con_el_modulo_o_sus_pruebas_y_no_con_otro_archivo(tmp_path, monkeypatch):
    _mundo(tmp_path, monkeypatch)
    antes = informe.huella("app/a.py", ["tests/test_a.py"])
    (tmp_path / "tests/test_otro.py").write_text("def test_h(): assert 1\n")
    (tmp_path / "app/b.py").write_text("def g(x):\n    return -x\n")
    assert informe.huella("app/a.py", ["tests/test_a.py"]) == antes
    (tmp_path / "tests/test_a.py").write_text("def test_f(): assert 1\n")
    assert informe.huella("app/a.py", ["tests/test_a.py"]) != antes
    despues = informe.huella("app/a.py", ["tests/test_a.py"])
    (tmp_path / "app/a.py").write_text("def f(x):\n    return x >= 1\n")
    assert informe.huella("app/a.py", ["tests/test_a.py"]) != despues


def test_un_mutante_sin_correr_cuenta_como_no_muerto():
    c = informe.cuentas(
        {f"m{i}": {"veredicto": "muerto"} for i in range(9)} | {"m9": {"veredicto": "sin correr"}},
        {},
    )
    assert c["puntaje"] == 0.9
    nada = informe.cuentas({f"m{i}": {"veredicto": "sin correr"} for i in range(5)}, {})
    assert nada["puntaje"] == 0.0


def test_un_modulo_medido_antes_sigue_mientras_su_huella_es_la_del_arbol(tmp_path, monkeypatch):
    _mundo(tmp_path, monkeypatch)
    h = {"app/a.py": {"huella": informe.huella("app/a.py", ["tests/test_a.py"]), "pruebas": []}}
    h["app/a.py"]["pruebas"] = ["tests/test_a.py"]
    primero = informe.informe(
        [_corrida(2, ["muerto"] * 10, h), _corrida(1, ["muerto"] * 10, h)], {}, "2026-11-29", ""
    )
    # Only a.py measured: b.py has no result, and the list as a whole does not pass.
    assert [m["modulo"] for m in primero["modulos"]] == ["app/a.py"]
    assert primero["sin_medicion"] == [{"modulo": "app/b.py", "motivo": "sin medición con huella"}]
    assert not informe.cumple(primero)
    # A later delivery measures b.py: a.py comes from the previous report, with its date.
    hb = {"app/b.py": {"huella": informe.huella("app/b.py", ["tests/test_b.py"])}}
    hb["app/b.py"]["pruebas"] = ["tests/test_b.py"]
    corridas_b = []
    for hijos in (2, 1):
        c = _corrida(hijos, [], hb)
        c["modulos"] = {
            "app/b.py": {
                f"app.b.x_g__mutmut_{i}": {"veredicto": "muerto", "prueba": "t"} for i in (1, 2)
            }
        }
        corridas_b.append(c)
    segundo = informe.informe(corridas_b, {}, "2026-11-30", "", anterior=primero)
    assert [(m["modulo"], m["medido"]) for m in segundo["modulos"]] == [
        ("app/a.py", "2026-11-29"),
        ("app/b.py", "2026-11-30"),
    ]
    assert informe.cumple(segundo)
    # a.py's test changes: its old result is no longer the tree's.
    (tmp_path / "tests/test_a.py").write_text("def test_f(): assert 1\n")
    tercero = informe.informe(corridas_b, {}, "2026-12-01", "", anterior=segundo)
    assert [m["modulo"] for m in tercero["modulos"]] == ["app/b.py"]
    assert tercero["sin_medicion"] == [
        {"modulo": "app/a.py", "motivo": "cambió desde su medición del 2026-11-29"}
    ]
    assert not informe.cumple(tercero)


def test_dos_corridas_de_arboles_distintos_no_cumplen(tmp_path, monkeypatch):
    _mundo(tmp_path, monkeypatch)
    h1 = {"app/a.py": {"huella": "uno", "pruebas": ["tests/test_a.py"]}}
    h2 = {"app/a.py": {"huella": "dos", "pruebas": ["tests/test_a.py"]}}
    datos = informe.informe(
        [_corrida(2, ["muerto"] * 10, h1), _corrida(1, ["muerto"] * 10, h2)], {}, "2026-11-29", ""
    )
    datos["sin_medicion"] = []  # b.py aside: a.py alone must fail
    assert not informe.cumple(datos)
    assert "no midieron el mismo árbol" in informe.markdown(datos)
