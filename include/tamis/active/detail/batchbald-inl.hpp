// Body of BatchBALD's greedy selection, written once over a backend. Per step: the state P (M × K)
// grows by the last pick (exact) or is redrawn (sampled); then, chunk by chunk of candidates, one
// GEMM gives their joints P · p_x (M × C each), a blocked pass sums −J ln J and an argmax picks.
#pragma once
#ifndef TAMIS_ACTIVE_BATCHBALD_HPP_INCLUDED
#error "tamis/active/detail/batchbald-inl.hpp is internal: include tamis/active/batchbald.hpp"
#endif

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <utility>
#include <vector>

#include "tamis/active/detail/checks.hpp"
#include "tamis/core/detail/index_ops.hpp"
#include "tamis/core/detail/reductions.hpp"
#include "tamis/core/detail/validate.hpp"
#include "tamis/core/macros.hpp"
#include "tamis/core/math.hpp"
#include "tamis/core/rng.hpp"

namespace tamis::active::batchbald::detail {

/// Per row: cond = mean_k H(p_k), the expected conditional entropy BALD subtracts; excluded = labeled.
template <typename T>
struct row_terms_op {
  const T* probs;
  int64_t row_length;  // members · C
  int64_t members;
  const uint8_t* labeled;
  double* cond;
  uint8_t* excluded;
  TAMIS_HD void operator()(int64_t i) const
  {
    const T* row = probs + i * row_length;
    double h = 0;
    for (int64_t j = 0; j < row_length; ++j) h += neg_x_log_x(static_cast<double>(row[j]));
    cond[i] = h / static_cast<double>(members);
    excluded[i] = labeled != nullptr && labeled[i] != 0 ? 1 : 0;
  }
};

/// Exact step: next[(r·C + c)·K + k] = state[r·K + k] · p_k(x, c), every configuration extended by
/// each class of the new pick x (whose K·C probabilities are `pick`).
template <typename T>
struct extend_op {
  const T* state;
  const T* pick;
  int64_t members;
  int64_t classes;
  T* next;
  TAMIS_HD void operator()(int64_t row) const
  {
    const int64_t r = row / classes, c = row % classes;
    for (int64_t k = 0; k < members; ++k) next[row * members + k] = state[r * members + k] * pick[k * classes + c];
  }
};

/// Sampled step, configuration `row` = k·S + s (S per member): each pick's class ŷ_i drawn from member k's
/// distribution (draw row·picks + i of the Philox stream), then state[row, k'] = Π_i p_k'(ŷ_i) / q with
/// q = mean_k' Π_i p_k'(ŷ_i), the draw's proposal density, and log_q[row] = ln q. The products are taken
/// in log space and stored divided by q (batchbald_redux's normalisation), so no product underflows, in
/// float either, however many picks: the estimator's weight 1/q becomes the offset −mean ln q.
template <typename T>
struct sample_op {
  const T* probs;
  int64_t members;
  int64_t classes;
  const int64_t* picks;
  int64_t num_picks;
  int64_t per_member;
  philox_stream rng;
  T* state;
  double* log_q;
  /// ŷ_i of configuration `row`, drawn from member k's distribution for pick i.
  TAMIS_HD int64_t draw(int64_t row, int64_t k, int64_t i) const
  {
    const T* p = probs + picks[i] * members * classes + k * classes;
    const double u = rng.uniform(static_cast<uint64_t>(row * num_picks + i));
    int64_t c = 0;
    double acc = static_cast<double>(p[0]);
    while (c + 1 < classes && acc <= u) acc += static_cast<double>(p[++c]);
    while (p[c] == T(0)) --c;  // u past a sum rounded below 1: the last class with mass
    return c;
  }
  /// Σ_i ln p_m(ŷ_i): −inf when member m gives a drawn class no mass.
  TAMIS_HD double log_product(int64_t row, int64_t k, int64_t m) const
  {
    using std::log;
    double lp = 0;
    for (int64_t i = 0; i < num_picks; ++i) {
      lp += log(static_cast<double>(probs[picks[i] * members * classes + m * classes + draw(row, k, i)]));
    }
    return lp;
  }
  TAMIS_HD void operator()(int64_t row) const
  {
    using std::exp;
    using std::log;
    const int64_t k = row / per_member;
    double top = -std::numeric_limits<double>::infinity(), total = 0;  // Σ_m e^{lp_m − top}, top the largest lp
    for (int64_t m = 0; m < members; ++m) {
      const double lp = log_product(row, k, m);
      if (lp == -std::numeric_limits<double>::infinity()) continue;
      if (lp > top) {
        total = total * exp(top - lp) + 1;
        top = lp;
      } else {
        total += exp(lp - top);
      }
    }
    const double ln_q = top + log(total / static_cast<double>(members));  // finite: member k has mass
    for (int64_t m = 0; m < members; ++m) {
      state[row * members + m] = static_cast<T>(exp(log_product(row, k, m) - ln_q));
    }
    log_q[row] = ln_q;
  }
};

/// panel[(j·C + c)·K + k] = p_k(x_{first + j}, c): a chunk of candidates' member-major rows turned
/// class-major, the (chunk · C) × K operand of the GEMM; one worker per (candidate, class).
template <typename T>
struct gather_op {
  const T* probs;
  int64_t first;
  int64_t members;
  int64_t classes;
  T* panel;
  TAMIS_HD void operator()(int64_t jc) const
  {
    const int64_t j = jc / classes, c = jc % classes;
    const T* row = probs + (first + j) * members * classes + c;
    for (int64_t k = 0; k < members; ++k) panel[jc * members + k] = row[k * classes];
  }
};

/// partial[b·cols + jc] = Σ over configurations m of block b of −J ln J, J = tile / K the joint (divided by
/// q once sampled) of configuration m with class c of candidate j (jc = j·C + c), read from
/// tile[m·cols + jc] when ColumnMajor (GPU: adjacent threads read adjacent entries) or
/// tile[jc·configurations + m] (host: a worker reads a run).
/// Eight running sums, added in a fixed order at the end, let the host loop vectorise without
/// reassociating: the same order on every backend and thread count.
template <typename T, bool ColumnMajor>
struct block_entropy_op {
  static constexpr int64_t lanes = 8;
  const T* tile;
  int64_t configurations;
  int64_t cols;  // chunk · C
  int64_t block;
  T inv_members;
  double* partial;
  TAMIS_HD void operator()(int64_t t) const
  {
    const int64_t b = t / cols, jc = t % cols;
    const int64_t begin = b * block, end = (b + 1) * block < configurations ? (b + 1) * block : configurations;
    const T* col = ColumnMajor ? tile + jc : tile + jc * configurations;
    const int64_t stride = ColumnMajor ? cols : 1;
    double acc[lanes] = {};
    int64_t m = begin;
    for (; m + lanes <= end; m += lanes) {
      for (int64_t l = 0; l < lanes; ++l) {
        acc[l] += static_cast<double>(neg_x_log_x(T(col[(m + l) * stride] * inv_members)));
      }
    }
    for (; m < end; ++m) acc[0] += static_cast<double>(neg_x_log_x(T(col[m * stride] * inv_members)));
    double h = 0;
    for (int64_t l = 0; l < lanes; ++l) h += acc[l];
    partial[t] = h;
  }
};

/// score[first + j] = scale · Σ_c Σ_b partial[b·cols + j·C + c] + offset − cond[first + j] − picked_cond,
/// the candidate's a(picks, x); −∞ for labeled and picked rows. Sampled, scale = 1/M and offset = −mean ln q
/// (Σ_c of a configuration's normalised joint is 1, so its weighted −J ln J sum is Σ_c −J ln J − ln q).
struct score_op {
  const double* partial;
  int64_t cols;
  int64_t blocks;
  int64_t classes;
  double scale;
  double offset;
  const double* cond;
  double picked_cond;
  const uint8_t* excluded;
  int64_t first;
  double* score;
  TAMIS_HD void operator()(int64_t j) const
  {
    const int64_t i = first + j;
    if (excluded[i] != 0) {
      score[i] = -std::numeric_limits<double>::infinity();
      return;
    }
    double h = 0;
    for (int64_t c = 0; c < classes; ++c) {
      for (int64_t b = 0; b < blocks; ++b) h += partial[b * cols + j * classes + c];
    }
    score[i] = scale * h + offset - cond[i] - picked_cond;
  }
};

/// C^n ≤ limit, without overflow.
inline bool fits(int64_t classes, int64_t n, int64_t limit)
{
  int64_t v = 1;
  for (int64_t i = 0; i < n; ++i) {
    if (v > limit / classes) return false;
    v *= classes;
  }
  return v <= limit;
}

template <typename Backend, typename T>
void select(resources const& res, matrix_view<const T, typename Backend::memory_space> probs, int64_t members,
            vector_view<const uint8_t, typename Backend::memory_space> labeled, int64_t max_configurations,
            uint64_t seed, vector_view<int64_t, typename Backend::memory_space> out_indices,
            vector_view<T, typename Backend::memory_space> out_gains)
{
  tamis::detail::check_matrix("probs", probs);
  const int64_t n = probs.rows, budget = out_indices.length;
  TAMIS_EXPECTS(members >= 1 && probs.cols % members == 0,
                "members: must be >= 1 and divide probs' %lld columns (members · classes), got %lld",
                static_cast<long long>(probs.cols), static_cast<long long>(members));
  const int64_t classes = probs.cols / members;
  TAMIS_EXPECTS(max_configurations >= members,
                "max_configurations: must be >= members (%lld), one sampled configuration per member; got %lld",
                static_cast<long long>(members), static_cast<long long>(max_configurations));
  active::detail::check_selection<Backend>(res, labeled, n, out_indices, out_gains, "out_gains");
  active::detail::check_distributions<Backend>(res, probs, classes);

  const int64_t per_member = max_configurations / members;
  // The most configurations the state holds: C^picks while exact, K·S once sampled.
  int64_t max_rows = 1;
  for (int64_t step = 1, rows = 1; step < budget; ++step) {
    rows = fits(classes, step + 1, max_configurations) ? rows * classes : members * per_member;
    max_rows = std::max(max_rows, rows);
  }
  constexpr int64_t block = Backend::reduction_block;  // configurations per worker of the entropy sums
  const int64_t max_blocks = (max_rows + block - 1) / block;
  const int64_t per_candidate = classes * ((max_rows + members) * static_cast<int64_t>(sizeof(T)) +
                                           max_blocks * static_cast<int64_t>(sizeof(double)));
  const int64_t fit = static_cast<int64_t>(resource::get_workspace_limit(res)) / per_candidate;
  TAMIS_EXPECTS(fit >= 1,
                "max_configurations: %lld configurations of %lld classes do not fit one candidate in the workspace "
                "limit (%zu bytes)",
                static_cast<long long>(max_configurations), static_cast<long long>(classes),
                resource::get_workspace_limit(res));
  // No larger than a pairwise tile of the backend either: on the host the tile then stays near the last-level
  // cache between the GEMM that writes it and the pass that reads it, and a call never pages in a large one
  // (measured at n = 20,000, K = 20, C = 10, 1,000 configurations: 0.7 s instead of 1.4 s).
  const int64_t tile_chunk = std::max<int64_t>(1, Backend::tile_rows * Backend::tile_cols_cap / (classes * max_rows));
  const int64_t chunk = std::min({n, fit, tile_chunk});

  auto cond = Backend::template allocate<double>(res, n);
  auto excluded = Backend::template allocate<uint8_t>(res, n);
  auto score = Backend::template allocate<double>(res, n);
  auto panel = Backend::template allocate<T>(res, chunk * classes * members);
  auto tile = Backend::template allocate<T>(res, chunk * classes * max_rows);
  auto partial = Backend::template allocate<double>(res, chunk * classes * max_blocks);
  auto pick_rows = Backend::template allocate<int64_t>(res, budget);
  auto state = Backend::template allocate<T>(res, members);
  auto log_q = Backend::template allocate<double>(res, max_rows);  // once sampled: ln of each draw's density
  Backend::for_each_n(res, n, row_terms_op<T>{probs.ptr, probs.cols, members, labeled.ptr, cond.data(),
                                              excluded.data()});
  Backend::for_each_n(res, members, tamis::detail::fill_op<T>{state.data(), T(1)});

  std::vector<int64_t> picks;
  std::vector<T> gains;
  double picked_cond = 0, previous = 0, offset = 0;
  int64_t rows = 1;  // configurations in the state
  bool sampled = false;
  for (int64_t step = 0; step < budget; ++step) {
    if (step > 0 && fits(classes, step + 1, max_configurations)) {
      auto next = Backend::template allocate<T>(res, rows * classes * members);
      Backend::for_each_n(res, rows * classes, extend_op<T>{state.data(), probs.ptr + picks.back() * probs.cols,
                                                            members, classes, next.data()});
      state = std::move(next);
      rows *= classes;
    } else if (step > 0) {
      // batchbald_redux redraws every configuration from all picks at each sampled step.
      rows = members * per_member;
      if (!sampled) {
        state = Backend::template allocate<T>(res, rows * members);
        sampled = true;
      }
      Backend::for_each_n(res, rows, sample_op<T>{probs.ptr, members, classes, pick_rows.data(), step, per_member,
                                                  philox_stream(seed, static_cast<uint64_t>(step)), state.data(),
                                                  log_q.data()});
      offset = -tamis::detail::sum<Backend>(res, log_q.data(), rows) / static_cast<double>(rows);
    }
    const int64_t blocks = (rows + block - 1) / block;
    for (int64_t first = 0; first < n; first += chunk) {
      const int64_t count = std::min(chunk, n - first), cols = count * classes;
      Backend::for_each_n(res, cols, gather_op<T>{probs.ptr, first, members, classes, panel.data()});
      // The tile is the joint of each (candidate, class) column over the configurations, laid out as the
      // backend's reduction reads best: configurations contiguous on the host, columns on a GPU.
      if (Backend::column_major_tiles) {
        Backend::gemm_nt(res, rows, cols, members, T(1), state.data(), members, panel.data(), members, T(0),
                         tile.data(), cols);
      } else {
        Backend::gemm_nt(res, cols, rows, members, T(1), panel.data(), members, state.data(), members, T(0),
                         tile.data(), rows);
      }
      Backend::for_each_n(res, blocks * cols,
                          block_entropy_op<T, Backend::column_major_tiles>{
                            tile.data(), rows, cols, block, static_cast<T>(1.0 / static_cast<double>(members)),
                            partial.data()});
      Backend::for_each_n(res, count, score_op{partial.data(), cols, blocks, classes,
                                               sampled ? 1.0 / static_cast<double>(rows) : 1.0, offset, cond.data(),
                                               picked_cond, excluded.data(), first, score.data()});
    }
    const auto [pick, value] = tamis::detail::argmax<Backend>(res, score.data(), n);
    double pick_cond = 0;
    Backend::to_host(res, &pick_cond, cond.data() + pick, 1);
    const uint8_t one = 1;
    Backend::from_host(res, excluded.data() + pick, &one, 1);
    Backend::from_host(res, pick_rows.data() + step, &pick, 1);  // the sampled steps read the picks there
    picks.push_back(pick);
    gains.push_back(static_cast<T>(value - previous));
    previous = value;
    picked_cond += pick_cond;
  }
  Backend::from_host(res, out_indices.ptr, picks.data(), budget);
  Backend::from_host(res, out_gains.ptr, gains.data(), budget);
  Backend::sync(res);
}

}  // namespace tamis::active::batchbald::detail

/// Defines the public overload for one (T, Space) in a backend's translation unit.
#define TAMIS_ACTIVE_BATCHBALD_DEFINE(T, Space, Backend)                                                      \
  void tamis::active::batchbald::select(resources const& res, matrix_view<const T, Space> probs,             \
                                        int64_t members, vector_view<const uint8_t, Space> labeled,          \
                                        int64_t max_configurations, uint64_t seed,                           \
                                        vector_view<int64_t, Space> out_indices, vector_view<T, Space> out_gains) \
  {                                                                                                          \
    detail::select<Backend, T>(res, probs, members, labeled, max_configurations, seed, out_indices, out_gains); \
  }
