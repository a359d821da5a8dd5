// Host eigensolver: Eigen's SelfAdjointEigenSolver (tridiagonalisation + implicit QR) in double.
#include "tamis/linalg/symmetric_eigen.hpp"

#include <cmath>

#include <Eigen/Eigenvalues>

#include "tamis/core/error.hpp"

namespace tamis::linalg {

void symmetric_eigen(host_matrix_view<const double> a, host_vector_view<double> eigenvalues,
                     host_matrix_view<double> eigenvectors)
{
  const int64_t d = a.rows;
  TAMIS_EXPECTS(d >= 1 && a.cols == d && a.ptr != nullptr, "a: expected a non-empty square matrix, got (%lld, %lld)",
                static_cast<long long>(a.rows), static_cast<long long>(a.cols));
  TAMIS_EXPECTS(eigenvalues.length == d && eigenvalues.ptr != nullptr, "eigenvalues: expected length %lld, got %lld",
                static_cast<long long>(d), static_cast<long long>(eigenvalues.length));
  TAMIS_EXPECTS(eigenvectors.rows == d && eigenvectors.cols == d && eigenvectors.ptr != nullptr,
                "eigenvectors: expected shape (%lld, %lld), got (%lld, %lld)", static_cast<long long>(d),
                static_cast<long long>(d), static_cast<long long>(eigenvectors.rows),
                static_cast<long long>(eigenvectors.cols));
  using matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  Eigen::Map<const matrix> in(a.ptr, d, d);
  for (int64_t i = 0; i < d; ++i)
    for (int64_t j = 0; j <= i; ++j)
      TAMIS_EXPECTS(std::isfinite(in(i, j)), "a: entry (%lld, %lld) is NaN or infinite", static_cast<long long>(i),
                    static_cast<long long>(j));
  Eigen::SelfAdjointEigenSolver<matrix> solver(in, Eigen::ComputeEigenvectors);
  TAMIS_EXPECTS(solver.info() == Eigen::Success, "a: the eigensolver did not converge");
  // Eigen sorts ascending with eigenvectors as columns: reverse both, transposing the vectors to rows.
  for (int64_t k = 0; k < d; ++k) {
    const int64_t src = d - 1 - k;
    eigenvalues.ptr[k] = solver.eigenvalues()(src);
    for (int64_t j = 0; j < d; ++j) eigenvectors.ptr[k * d + j] = solver.eigenvectors()(j, src);
  }
}

}  // namespace tamis::linalg
