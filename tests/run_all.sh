#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs dependencies, builds the library (CUDA backend
# too when nvcc is present), runs the C++ tests (cpu and gpu labels; gpu tests skip without a
# device), builds the example consumer against the installed package, then the Python tests.
set -euo pipefail
export PIP_ROOT_USER_ACTION=ignore
cd "$(dirname "$0")/.."
root=$(pwd)
jobs=$(nproc)

bash .ci/setup

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_CUDA_COMPILER_LAUNCHER=ccache)

echo "== C++: configure and build"
cmake -S . -B build/ci -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$root/build/ci-install" \
  -DTAMIS_BUILD_TESTS=ON -DTAMIS_BUILD_BENCHMARKS=ON -DTAMIS_BUILD_EXAMPLES=ON "${launcher[@]}" >/dev/null
cmake --build build/ci -j "$jobs"

echo "== C++: tests"
# One process at a time: each already uses every core through OpenMP.
(cd build/ci && ctest -L cpu --output-on-failure --timeout 600)
if grep -q "TAMIS_ENABLE_CUDA:BOOL=ON" build/ci/CMakeCache.txt; then
  (cd build/ci && ctest -L gpu --output-on-failure --timeout 600)
fi

echo "== C++: consumer built against the installed package"
cmake --install build/ci >/dev/null
cmake -S examples/cpp_consumer -B build/consumer -G Ninja -DCMAKE_PREFIX_PATH="$root/build/ci-install" >/dev/null
cmake --build build/consumer -j "$jobs"
./build/consumer/tamis_consumer

echo "== Python: build the extension and run pytest"
CMAKE_BUILD_PARALLEL_LEVEL=$jobs python3 -m pip install -q --no-build-isolation --disable-pip-version-check .
python3 -m pytest python/tests -q -p no:cacheprovider
