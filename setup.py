"""Builds the sumisura package: CMake compiles sumisura._core (target sumisura_python, for the
interpreter running this script), setuptools adds the pure-Python files of bindings/python/sumisura.

No download happens: CMake finds the engine's libraries and pybind11 (pybind11-dev) on the system,
so that pip works offline with --no-build-isolation (README.md, docs/python.md).

Build files go to build-pip/ (or $SUMISURA_PIP_BUILD_DIR), never to build/, the usual CMake tree.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent
BUILD_BASE = Path(os.environ.get("SUMISURA_PIP_BUILD_DIR") or ROOT / "build-pip")


def project_version() -> str:
    text = (ROOT / "CMakeLists.txt").read_text(encoding="utf-8")
    return re.search(r"project\(sumisura VERSION (\S+)", text).group(1)


class CMakeBuild(build_ext):
    """Configures the whole project with tests off, builds only sumisura_python, and copies the
    module to where setuptools expects the extension."""

    def build_extension(self, ext: Extension) -> None:
        cmake_dir = BUILD_BASE / "cmake"
        configure = [
            "cmake", "-S", str(ROOT), "-B", str(cmake_dir),
            "-DCMAKE_BUILD_TYPE=Release",
            "-DSUMISURA_BUILD_TESTS=OFF",
            "-DSUMISURA_BUILD_PYTHON=ON",
            # The module must be built for this interpreter (a venv's python, say).
            f"-DSUMISURA_PYTHON={sys.executable}",
        ]
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL") or str(os.cpu_count() or 1)
        build = ["cmake", "--build", str(cmake_dir), "--target", "sumisura_python", "-j", jobs]
        for command in (configure, build):
            print(" ".join(command), flush=True)
            subprocess.run(command, check=True)
        built = cmake_dir / "python" / "sumisura" / Path(self.get_ext_filename(ext.name)).name
        if not built.exists():
            sys.exit(f"setup.py: CMake did not produce {built}")
        target = Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built, target)


BUILD_BASE.mkdir(parents=True, exist_ok=True)
setup(
    version=project_version(),
    packages=["sumisura"],
    package_dir={"": "bindings/python"},
    package_data={"sumisura": ["py.typed", "*.pyi"]},
    ext_modules=[Extension("sumisura._core", sources=[])],
    cmdclass={"build_ext": CMakeBuild},
    options={
        "build": {"build_base": str(BUILD_BASE)},
        "egg_info": {"egg_base": str(BUILD_BASE)},
    },
    zip_safe=False,
)
