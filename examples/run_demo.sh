#!/usr/bin/env bash
# The main job on a fresh machine: installs what is missing, builds and installs the Python
# package, then runs the flywheel demo on scikit-learn's bundled digits.
set -euo pipefail
export PIP_ROOT_USER_ACTION=ignore
cd "$(dirname "$0")/.."
bash .ci/setup
CMAKE_BUILD_PARALLEL_LEVEL=$(nproc) python3 -m pip install -q --no-build-isolation --disable-pip-version-check .
python3 examples/flywheel_demo.py "$@"
