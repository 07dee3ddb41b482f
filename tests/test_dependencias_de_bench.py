"""make test runs on a clean clone, whose environment has only requirements.lock: the packages of
bench/requirements.lock (locust, pyinstrument…) are installed by make bench alone. A developer's
environment has both, so a test that imports them passes here and fails in CI (stop 69: an
import of pyinstrument at the top of bench/perfilar.py). This collects the suite's files that use
bench/ with those packages hidden."""

import subprocess
import sys
from importlib.metadata import entry_points, packages_distributions
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent


def _distribuciones(lock: Path) -> set[str]:
    nombres = set()
    for linea in lock.read_text().splitlines():
        linea = linea.split("#")[0].strip()
        if "==" in linea:
            nombres.add(linea.split("==")[0].strip().lower().replace("_", "-"))
    return nombres


def _solo_de_bench() -> set[str]:
    return _distribuciones(RAIZ / "bench" / "requirements.lock") - _distribuciones(
        RAIZ / "requirements.lock"
    )


def _plugins_solo_de_bench() -> list[str]:
    """The pytest plugins those packages bring (locust's): absent from a clean clone."""
    solo = _solo_de_bench()
    return sorted(
        ep.name
        for ep in entry_points(group="pytest11")
        if ep.dist.name.lower().replace("_", "-") in solo
    )


def _modulos_solo_de_bench() -> list[str]:
    """Their top-level modules: as installed here, and by their distribution's name (a clean
    clone has none of them installed, and hides nothing that is there)."""
    solo = _solo_de_bench()
    instalados = {
        modulo
        for modulo, dists in packages_distributions().items()
        if {d.lower().replace("_", "-") for d in dists} & solo and modulo.isidentifier()
    }
    return sorted(instalados | {d.replace("-", "_") for d in solo if "." not in d})


def test_las_pruebas_que_usan_bench_no_necesitan_sus_paquetes(tmp_path):
    ocultos = _modulos_solo_de_bench()
    assert "pyinstrument" in ocultos and "locust" in ocultos, ocultos
    for modulo in ocultos:
        (tmp_path / f"{modulo}.py").write_text(
            f"raise ImportError('{modulo} es de bench/requirements.lock, no de make test')\n"
        )
    archivos = sorted(
        str(p.relative_to(RAIZ))
        for p in (RAIZ / "tests").rglob("test_*.py")
        if "from bench" in p.read_text() or "import bench" in p.read_text()
    )
    assert archivos
    resultado = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"]
        + [a for plugin in _plugins_solo_de_bench() for a in ("-p", f"no:{plugin}")]
        + ["--db=sqlite", *archivos],
        cwd=RAIZ,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tmp_path), "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
    )
    assert resultado.returncode == 0, resultado.stdout[-3000:] + resultado.stderr[-2000:]
