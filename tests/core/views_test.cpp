#include <gtest/gtest.h>

#include <vector>

#include "tamis/core/buffers.hpp"
#include "tamis/core/views.hpp"

namespace {

TEST(Views, RowMajorIndexingAndSlices)
{
  std::vector<float> data{0, 1, 2, 3, 4, 5};
  auto v = tamis::make_host_matrix_view(data.data(), 3, 2);
  EXPECT_EQ(v(2, 1), 5.f);
  EXPECT_EQ(v.size(), 6);
  auto tail = v.row_slice(1, 2);
  EXPECT_EQ(tail.rows, 2);
  EXPECT_EQ(tail(0, 0), 2.f);
  tamis::host_matrix_view<const float> c = v;  // views of T convert to views of const T
  EXPECT_EQ(c(1, 1), 3.f);
}

TEST(Buffers, OwningMatrixIsZeroedAndViewable)
{
  tamis::resources res;
  auto m = tamis::make_host_matrix<double>(res, 4, 3);
  EXPECT_EQ(m.rows(), 4);
  EXPECT_EQ(m(3, 2), 0.0);
  m(3, 2) = 7;
  EXPECT_EQ(m.view()(3, 2), 7.0);
  EXPECT_THROW(tamis::make_host_matrix<float>(res, -1, 3), tamis::logic_error);
}

}  // namespace
