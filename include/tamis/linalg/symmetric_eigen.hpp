// Eigen-decomposition of a small symmetric matrix on the host, in double precision. Algorithms
// compute d × d statistics (covariances) on their backend, copy them here, decompose, and upload
// what they derive; this header has no Eigen and no CUDA, so .cu translation units include it too.
#pragma once

#include "tamis/core/views.hpp"

namespace tamis::linalg {

/// a (d × d, row-major, symmetric; only its lower triangle is read) = Vᵀ diag(λ) V with
/// eigenvalues[k] = λ_k in descending order and row k of eigenvectors = the unit eigenvector of λ_k
/// (its sign is the solver's; callers that need a convention apply it). Throws on a non-square
/// matrix, mismatched outputs or NaN/Inf in the lower triangle.
void symmetric_eigen(host_matrix_view<const double> a, host_vector_view<double> eigenvalues,
                     host_matrix_view<double> eigenvectors);

}  // namespace tamis::linalg
