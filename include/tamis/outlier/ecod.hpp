// ECOD (Li et al., TKDE 2022) and COPOD (Li et al., ICDM 2020): per-feature empirical CDF tail
// probabilities, aggregated over features. The fitted state shared with HBOS is the training set's
// sorted columns: `sort_columns` builds it, `merge_sorted_columns` extends it exactly (partial_fit).
//
// Per feature j and value x, with a reference sample of size N:
//   F_l(x) = #{ref ≤ x} / N,  F_r(x) = #{ref ≥ x} / N,  U_l = −ln F_l,  U_r = −ln F_r;
//   s_j = sign of the biased skewness of the reference column, 0 where SciPy's near-constant guard
//   (m2 ≤ (ε·mean)², ε of T) makes it NaN (PyOD applies nan_to_num);
//   U_skew = U_l if s_j < 0, U_r if s_j > 0, U_l + U_r if s_j = 0.
#pragma once
#define TAMIS_OUTLIER_ECOD_HPP_INCLUDED

#include <string>

#include "tamis/core/config.hpp"
#include "tamis/core/error.hpp"
#include "tamis/core/resources.hpp"
#include "tamis/core/views.hpp"

namespace tamis::outlier {

#define TAMIS_SORTED_COLUMNS_DECLARE(T, Space)                                                               \
  /** sorted (d × n) = each feature of x (n × d) ascending: row j holds column j's values. NaN/Inf rejected. */ \
  void sort_columns(resources const& res, matrix_view<const T, Space> x, matrix_view<T, Space> sorted);       \
  /** merged (d × (n1 + n2)) = row-wise merge of two sorted-column matrices a (d × n1), b (d × n2): the      \
      sorted columns of the union of both training sets (equal, value for value, to sort_columns of it). */       \
  void merge_sorted_columns(resources const& res, matrix_view<const T, Space> a, matrix_view<const T, Space> b, \
                            matrix_view<T, Space> merged);

TAMIS_SORTED_COLUMNS_DECLARE(float, host_memory)
TAMIS_SORTED_COLUMNS_DECLARE(double, host_memory)
#if TAMIS_HAS_CUDA
TAMIS_SORTED_COLUMNS_DECLARE(float, device_memory)
TAMIS_SORTED_COLUMNS_DECLARE(double, device_memory)
#endif
#undef TAMIS_SORTED_COLUMNS_DECLARE

namespace ecod {

enum class detector {
  ecod,   ///< per feature max(U_l, U_r, U_skew)           (PyOD ecod.py)
  copod,  ///< per feature max(U_skew, (U_l + U_r) / 2)     (PyOD copod.py)
};

enum class aggregation {
  pyod,   ///< PyOD's code: the detector's per-feature term, summed over features
  paper,  ///< both papers' Algorithm 1: max(Σ_j U_l, Σ_j U_r, Σ_j U_skew); the same for both detectors
          ///< (pyod#453, #561, #325, #655)
};

enum class ecdf_mode {
  /// Each sample scored as a batch of one: N = n + 1 and the sample counts itself,
  /// F_l = (#{train ≤ x} + 1) / (n + 1); skewness of the training columns. A score never depends on
  /// the rest of the batch (pyod#400, #401, #604).
  inductive,
  /// PyOD's decision_function: the reference is concat(train, batch), so F and the skewness depend
  /// on the whole batch.
  transductive,
};

inline detector parse_detector(std::string const& name)
{
  if (name == "ecod") return detector::ecod;
  if (name == "copod") return detector::copod;
  TAMIS_FAIL("detector: unknown detector '%s' (expected ecod or copod)", name.c_str());
}
inline aggregation parse_aggregation(std::string const& name)
{
  if (name == "pyod") return aggregation::pyod;
  if (name == "paper") return aggregation::paper;
  TAMIS_FAIL("aggregation: unknown aggregation '%s' (expected pyod or paper)", name.c_str());
}
inline ecdf_mode parse_ecdf_mode(std::string const& name)
{
  if (name == "inductive") return ecdf_mode::inductive;
  if (name == "transductive") return ecdf_mode::transductive;
  TAMIS_FAIL("mode: unknown ECDF mode '%s' (expected inductive or transductive)", name.c_str());
}

#define TAMIS_ECOD_DECLARE(T, Space)                                                                          \
  /** PyOD's decision_scores_: out[i] (length n) = score of row i of x_train against the ECDF of the       \
      training set itself (N = n) and its skewness. sorted (d × n) = sort_columns(x_train); x_train        \
      (n × d) holds the same rows in any order; a value absent from its sorted column throws. */           \
  void train_scores(resources const& res, matrix_view<const T, Space> sorted, matrix_view<const T, Space> x_train, \
                    detector kind, aggregation agg, vector_view<T, Space> out);                              \
  /** out[i] (length m) = score of row i of x (m × d) against the training columns `sorted` (d × n), in    \
      the given mode. Higher = more anomalous. NaN/Inf, unsorted columns and shape mismatches throw. */     \
  void scores(resources const& res, matrix_view<const T, Space> sorted, matrix_view<const T, Space> x,       \
              detector kind, aggregation agg, ecdf_mode mode, vector_view<T, Space> out);

TAMIS_ECOD_DECLARE(float, host_memory)
TAMIS_ECOD_DECLARE(double, host_memory)
#if TAMIS_HAS_CUDA
TAMIS_ECOD_DECLARE(float, device_memory)
TAMIS_ECOD_DECLARE(double, device_memory)
#endif
#undef TAMIS_ECOD_DECLARE

}  // namespace ecod
}  // namespace tamis::outlier
