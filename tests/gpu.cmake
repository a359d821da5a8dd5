# GPU suites: included by tests/CMakeLists.txt only when TAMIS_ENABLE_CUDA. Plain C++ tests (g++)
# against tamis::tamis; each device test skips with "no CUDA device" where none is visible.
tamis_add_test(NAME cuda_resources_gpu_test SOURCES core/cuda_resources_gpu_test.cpp LABELS gpu)
tamis_add_test(NAME select_k_gpu_test SOURCES select/select_k_gpu_test.cpp LABELS gpu)
tamis_add_test(NAME brute_force_gpu_test SOURCES neighbors/brute_force_gpu_test.cpp LABELS gpu)
tamis_add_test(NAME kmeans_gpu_test SOURCES cluster/kmeans_gpu_test.cpp LABELS gpu)
tamis_add_test(NAME ood_gpu_test SOURCES outlier/ood_gpu_test.cpp LABELS gpu)
