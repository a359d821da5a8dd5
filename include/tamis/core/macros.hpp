// Portability macros shared by host and CUDA translation units.
#pragma once

// Per-element math is written once and compiled for both backends (as EIGEN_DEVICE_FUNC does).
#if defined(__CUDACC__)
#define TAMIS_HD __host__ __device__
#else
#define TAMIS_HD
#endif

// Kernels get internal linkage so libtamis and the Python extension never share a kernel symbol.
#define TAMIS_KERNEL static __global__ void

#define TAMIS_STRINGIFY_DETAIL(x) #x
#define TAMIS_STRINGIFY(x) TAMIS_STRINGIFY_DETAIL(x)

// `#pragma omp simd <clauses>` on host compilers with OpenMP; nothing under nvcc, whose device
// code has no use for it.
#if defined(_OPENMP) && !defined(__CUDACC__)
#define TAMIS_PRAGMA_SIMD(clauses) _Pragma(TAMIS_STRINGIFY(omp simd clauses))
#else
#define TAMIS_PRAGMA_SIMD(clauses)
#endif
