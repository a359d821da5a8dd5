// BADGE (Ash et al., ICLR 2020): k-means++ seeding over the last-layer gradient embeddings
// g_i = (e_ŷ − p_i) ⊗ h_i (ŷ = arg-max of p_i, h_i the penultimate features), never materialised:
// ‖g_i − g_j‖² = ‖a_i‖²‖h_i‖² + ‖a_j‖²‖h_j‖² − 2 (a_i·a_j)(h_i·h_j) with a = e_ŷ − p, the
// factorisation of LabelBench (arXiv 2306.09910), so a pick costs O(n (C + d)) and memory O(n).
#pragma once
#define TAMIS_ACTIVE_BADGE_HPP_INCLUDED

#include <cstdint>

#include "tamis/core/config.hpp"
#include "tamis/core/resources.hpp"
#include "tamis/core/views.hpp"

namespace tamis::active::badge {

#define TAMIS_ACTIVE_BADGE_DECLARE(T, Space)                                                                   \
  /** out_indices.length unlabeled rows (labeled[i] ≠ 0 excluded; {} for none): first the row of largest ‖g‖ \
      (lowest index on ties), then each next one drawn with probability ∝ D², its squared distance to the   \
      nearest row drawn so far, using draw p of Philox stream (seed, 0) for pick p. out_gains gets ‖g‖² of   \
      the first pick and D² of the others at the time of their draw. probs (n × C) must be distributions;     \
      features (n × d) finite. Running out of rows with D² > 0 (all left duplicate picks) is an error. */      \
  void select(resources const& res, matrix_view<const T, Space> probs, matrix_view<const T, Space> features,  \
              vector_view<const uint8_t, Space> labeled, uint64_t seed, vector_view<int64_t, Space> out_indices, \
              vector_view<T, Space> out_gains);

TAMIS_ACTIVE_BADGE_DECLARE(float, host_memory)
TAMIS_ACTIVE_BADGE_DECLARE(double, host_memory)
#if TAMIS_HAS_CUDA
TAMIS_ACTIVE_BADGE_DECLARE(float, device_memory)
TAMIS_ACTIVE_BADGE_DECLARE(double, device_memory)
#endif
#undef TAMIS_ACTIVE_BADGE_DECLARE

}  // namespace tamis::active::badge
