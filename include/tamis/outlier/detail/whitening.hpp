// Host-side eigendecomposition of a small symmetric matrix (a covariance or a Gram matrix), the
// step from fitted second moments to a whitening or residual basis.
#pragma once
#ifndef TAMIS_CORE_RESOURCES_HPP_INCLUDED
#error "tamis/outlier/detail/whitening.hpp is internal: include it only from tamis sources"
#endif

#include <cstdint>
#include <vector>

#include "tamis/linalg/symmetric_eigen.hpp"

namespace tamis::outlier::detail {

/// Eigenpairs of a symmetric d × d host matrix, descending, eigenvectors as rows.
struct eigen_pairs {
  std::vector<double> values;
  std::vector<double> vectors;
};

inline eigen_pairs symmetric_eigen(std::vector<double> const& a, int64_t d)
{
  eigen_pairs e{std::vector<double>(static_cast<size_t>(d)), std::vector<double>(static_cast<size_t>(d * d))};
  linalg::symmetric_eigen(host_matrix_view<const double>(a.data(), d, d), host_vector_view<double>(e.values.data(), d),
                          host_matrix_view<double>(e.vectors.data(), d, d));
  return e;
}

}  // namespace tamis::outlier::detail
