#include <gtest/gtest.h>

#include <string>

#include "tamis/core/error.hpp"
#include "tamis/core/resources.hpp"

namespace {

TEST(Error, ExpectsThrowsLogicErrorWithLocationAndMessage)
{
  try {
    TAMIS_EXPECTS(1 + 1 == 3, "k: must be in [1, %d], got %d", 5, 7);
    FAIL() << "no throw";
  } catch (tamis::logic_error const& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("error_test.cpp:"), std::string::npos) << what;
    EXPECT_NE(what.find("k: must be in [1, 5], got 7"), std::string::npos) << what;
  }
}

TEST(Error, ExpectsPassesWhenTrue) { EXPECT_NO_THROW(TAMIS_EXPECTS(true, "never")); }

TEST(Error, HierarchyDerivesFromStdException)
{
  EXPECT_THROW(TAMIS_THROW(tamis::cuda_error, "x"), tamis::exception);
  EXPECT_THROW(TAMIS_THROW(tamis::cublas_error, "x"), tamis::cuda_error);
  EXPECT_THROW(TAMIS_FAIL("x"), std::exception);
}

TEST(Resources, DefaultsAndValidation)
{
  tamis::resources res;
  EXPECT_EQ(tamis::resource::get_workspace_limit(res), std::size_t{1} << 30);
  EXPECT_EQ(tamis::resource::get_num_threads(res), 0);
  tamis::resource::set_workspace_limit(res, 4u << 20);
  EXPECT_EQ(tamis::resource::get_workspace_limit(res), 4u << 20);
  EXPECT_THROW(tamis::resource::set_workspace_limit(res, 1000), tamis::logic_error);
  EXPECT_THROW(tamis::resource::set_num_threads(res, -1), tamis::logic_error);
}

}  // namespace
