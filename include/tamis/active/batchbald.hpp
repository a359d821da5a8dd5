// BatchBALD (Kirsch, van Amersfoort, Gal, NeurIPS 2019): greedy maximisation of the batch's mutual
// information a(x_1..x_n) = H(y_1..y_n) − Σ_i mean_k H(p_k(x_i)) over K MC samples or committee
// members. The joint p(ŷ_1..ŷ_n) = mean_k Π_i p_k(ŷ_i) is kept as P (M × K), the products over M
// configurations of the picks, so every candidate's joint is one GEMM P · p_x / K, run over chunks of
// candidates at once (bounded by the workspace limit, never an n × M matrix).
#pragma once
#define TAMIS_ACTIVE_BATCHBALD_HPP_INCLUDED

#include <cstdint>

#include "tamis/core/config.hpp"
#include "tamis/core/resources.hpp"
#include "tamis/core/views.hpp"

namespace tamis::active::batchbald {

#define TAMIS_ACTIVE_BATCHBALD_DECLARE(T, Space)                                                               \
  /** out_indices.length unlabeled rows (labeled[i] ≠ 0 excluded; {} for none) picked greedily, each the     \
      candidate of largest a(picks, x) (lowest index on ties). probs (n × (members · C)) holds each row's    \
      members' distributions side by side. The joint entropy is exact while C^(picks + 1) ≤               \
      max_configurations; beyond, it is estimated from ⌊max_configurations / members⌋ configurations of the \
      picks drawn per member (Philox stream (seed, step)) with the importance-weighted estimator of        \
      batchbald_redux. out_gains[j] = a(x_1..x_j) − a(x_1..x_{j−1}): BALD of the first pick. */            \
  void select(resources const& res, matrix_view<const T, Space> probs, int64_t members,                      \
              vector_view<const uint8_t, Space> labeled, int64_t max_configurations, uint64_t seed,           \
              vector_view<int64_t, Space> out_indices, vector_view<T, Space> out_gains);

TAMIS_ACTIVE_BATCHBALD_DECLARE(float, host_memory)
TAMIS_ACTIVE_BATCHBALD_DECLARE(double, host_memory)
#if TAMIS_HAS_CUDA
TAMIS_ACTIVE_BATCHBALD_DECLARE(float, device_memory)
TAMIS_ACTIVE_BATCHBALD_DECLARE(double, device_memory)
#endif
#undef TAMIS_ACTIVE_BATCHBALD_DECLARE

}  // namespace tamis::active::batchbald
