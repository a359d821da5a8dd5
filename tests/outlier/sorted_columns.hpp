// Shared by the ECOD and HBOS tests: the library's sorted training columns of a host matrix.
#pragma once

#include <vector>

#include "tamis/outlier/ecod.hpp"

namespace tamis::test {

/// sort_columns of x (n × d) into a fresh d × n vector.
template <typename T>
std::vector<T> sorted_columns(std::vector<T> const& x, int64_t n, int64_t d)
{
  tamis::resources res;
  std::vector<T> s(static_cast<size_t>(n * d));
  tamis::outlier::sort_columns(res, tamis::make_host_matrix_view<const T>(x.data(), n, d),
                               tamis::make_host_matrix_view(s.data(), d, n));
  return s;
}

}  // namespace tamis::test
