# SPDX-License-Identifier: MIT
"""Where things live in the repository: the one place that knows the layout.

The package is installed editable (``pip install -e .``), so the repository is the
folder above this package. Everything else asks this module for paths.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT: Path = Path(__file__).resolve().parent.parent
# TINYGPU_RTL_DIR: build, run and check another copy of rtl/ instead (make mutate
# SUITE=full runs the whole regression on a mutant's copy this way).
RTL_DIR: Path = Path(os.environ.get("TINYGPU_RTL_DIR") or REPO_ROOT / "rtl").resolve()
RTL_FILE_LIST: Path = RTL_DIR / "gpu.f"
GPU_TOP_FILE: Path = RTL_DIR / "gpu.sv"
TB_DIR: Path = REPO_ROOT / "tb"
HDL_TB_DIR: Path = TB_DIR / "hdl"
KERNELS_DIR: Path = REPO_ROOT / "kernels"
CONFIGS_FILE: Path = TB_DIR / "configs.toml"
FUZZ_REGRESSIONS_DIR: Path = TB_DIR / "fuzz_regressions"
LANG_REGRESSIONS_DIR: Path = TB_DIR / "lang_regressions"  # Python kernels the compiler fuzzer kept
BUILD_DIR: Path = REPO_ROOT / "build"
# Where simulator builds go; SIM_BUILD_ROOT overrides it (e.g. for an experiment
# outside the repository).
SIM_BUILD_ROOT: Path = Path(os.environ.get("SIM_BUILD_ROOT", BUILD_DIR / "sim"))
