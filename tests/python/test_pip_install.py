"""`pip install` of the project, offline, with Debian's setuptools and pybind11: the package builds
through CMake into a fresh venv and imports from outside the source tree.

Slow (it compiles the engine), so it runs only as its own CTest test (`ctest -L pip`), which sets
SUMISURA_PIP_TEST=1; run alone it is skipped.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SOURCE = Path(os.environ.get("SUMISURA_SOURCE_DIR", Path(__file__).resolve().parents[2]))

pytestmark = pytest.mark.skipif(
    os.environ.get("SUMISURA_PIP_TEST") != "1",
    reason="slow: set SUMISURA_PIP_TEST=1, or run `ctest -L pip`",
)

CHECK = """
import sys, sumisura
from pathlib import Path
here = Path(sumisura.__file__).resolve()
assert here.is_relative_to(Path(sys.prefix).resolve()), here  # the venv's copy, not the source
result = sumisura.Configurator(sys.argv[1]).configure({"product": "sneaker"})
assert result.status == "optimal", result.status
print("installed", sumisura.__version__, "at", sumisura.__file__, "price", result.price.total)
"""


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, **kwargs)


def test_pip_install_into_a_venv_builds_and_imports(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    # --system-site-packages: Debian's pip, setuptools, wheel (and nothing from PyPI) are used.
    made = run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(venv)])
    if made.returncode != 0:
        pytest.skip(f"python3 -m venv is unavailable (apt install python3-venv): {made.stderr}")
    python = str(venv / "bin" / "python")
    if run([python, "-m", "pip", "--version"]).returncode != 0:
        pytest.skip("pip is unavailable (apt install python3-pip)")
    if run([python, "-c", "import setuptools, wheel"]).returncode != 0:
        pytest.skip("setuptools or wheel is unavailable (apt install python3-setuptools "
                    "python3-wheel)")

    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    # Build files in the temporary directory: the source tree stays as it was.
    env["SUMISURA_PIP_BUILD_DIR"] = str(tmp_path / "build")
    env["PIP_NO_INDEX"] = "1"  # offline: a download attempt fails instead of hanging
    before = sorted(p.name for p in SOURCE.iterdir())
    install = run(
        [python, "-m", "pip", "install", "--no-build-isolation", "--no-deps", str(SOURCE)],
        env=env,
        cwd=tmp_path,
    )
    assert install.returncode == 0, install.stdout[-4000:] + install.stderr[-4000:]
    assert sorted(p.name for p in SOURCE.iterdir()) == before
    assert not list((SOURCE / "bindings" / "python").glob("*.egg-info"))
    assert not (SOURCE / "bindings" / "python" / "build").exists()

    shoes = str(SOURCE / "catalogs" / "shoes.yaml")
    check = run([python, "-c", CHECK, shoes], env=env, cwd=tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "installed" in check.stdout
