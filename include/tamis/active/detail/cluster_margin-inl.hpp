// Body of Cluster-Margin, written once over a backend: top_b for the k_m candidates and a gather of
// their cluster ids on the backend; the grouping and round-robin, O(k_m log k_m), on the host.
#pragma once
#ifndef TAMIS_ACTIVE_CLUSTER_MARGIN_HPP_INCLUDED
#error "tamis/active/detail/cluster_margin-inl.hpp is internal: include tamis/active/cluster_margin.hpp"
#endif

#include <algorithm>
#include <cstdint>
#include <map>
#include <vector>

#include "tamis/active/detail/checks.hpp"
#include "tamis/active/select.hpp"
#include "tamis/core/detail/index_ops.hpp"
#include "tamis/core/detail/reductions.hpp"
#include "tamis/core/detail/validate.hpp"
#include "tamis/core/macros.hpp"
#include "tamis/core/rng.hpp"

namespace tamis::active::cluster_margin::detail {

/// Positions (into the candidate list) of the budget picks: group by cluster (members in ascending
/// row order), order the groups by (size, cluster id), then round-robin with one Philox draw per pick.
inline std::vector<int64_t> round_robin(std::vector<int64_t> const& rows, std::vector<int64_t> const& cluster,
                                        int64_t budget, uint64_t seed)
{
  std::map<int64_t, std::vector<int64_t>> members;  // cluster id -> candidate positions
  for (size_t k = 0; k < rows.size(); ++k) members[cluster[k]].push_back(static_cast<int64_t>(k));
  std::vector<std::vector<int64_t>> groups;
  for (auto& [id, list] : members) {
    std::sort(list.begin(), list.end(), [&](int64_t u, int64_t v) { return rows[u] < rows[v]; });
    groups.push_back(std::move(list));
  }
  // The map iterates by ascending id, so a stable sort by size breaks ties to the lowest id.
  std::stable_sort(groups.begin(), groups.end(),
                   [](std::vector<int64_t> const& u, std::vector<int64_t> const& v) { return u.size() < v.size(); });
  philox_stream rng(seed, 0);
  std::vector<int64_t> picks;
  // Every pass takes one member of each group left, so groups empty in size order: the emptied ones are
  // a prefix, skipped as a whole, and the round-robin costs O(k_m).
  size_t first = 0;
  while (static_cast<int64_t>(picks.size()) < budget) {
    while (groups[first].empty()) ++first;
    for (size_t q = first; q < groups.size() && static_cast<int64_t>(picks.size()) < budget; ++q) {
      auto& g = groups[q];
      if (g.empty()) continue;
      const auto at = static_cast<int64_t>(
        rng.uniform_index(static_cast<uint64_t>(picks.size()), static_cast<uint64_t>(g.size())));
      picks.push_back(g[at]);
      g[at] = g.back();  // O(1) removal: the group's last member takes the slot
      g.pop_back();
    }
  }
  return picks;
}

template <typename Backend, typename T>
void select(resources const& res, vector_view<const T, typename Backend::memory_space> scores,
            vector_view<const int64_t, typename Backend::memory_space> clusters,
            vector_view<const uint8_t, typename Backend::memory_space> labeled, int64_t candidates, uint64_t seed,
            vector_view<int64_t, typename Backend::memory_space> out_indices,
            vector_view<T, typename Backend::memory_space> out_gains)
{
  const int64_t n = scores.length, budget = out_indices.length;
  TAMIS_EXPECTS(n >= 1 && scores.ptr != nullptr, "scores: needs at least one row");
  tamis::detail::check_length("clusters", clusters, n);
  const int64_t unlabeled =
    active::detail::check_selection<Backend>(res, labeled, n, out_indices, out_gains, "out_gains");
  const int64_t negative =
    tamis::detail::count_if<Backend>(res, clusters.ptr, n, tamis::detail::is_negative<int64_t>{});
  TAMIS_EXPECTS(negative == 0, "clusters: %lld negative cluster ids", static_cast<long long>(negative));
  TAMIS_EXPECTS(candidates >= budget && candidates <= unlabeled,
                "candidates: must be in [budget = %lld, %lld] (the unlabeled rows), got %lld",
                static_cast<long long>(budget), static_cast<long long>(unlabeled), static_cast<long long>(candidates));

  auto rows = Backend::template allocate<int64_t>(res, candidates);
  auto top = Backend::template allocate<T>(res, candidates);
  auto ids = Backend::template allocate<int64_t>(res, candidates);
  top_b(res, scores, labeled, {rows.data(), candidates}, {top.data(), candidates});
  Backend::for_each_n(res, candidates, tamis::detail::gather_op<int64_t>{clusters.ptr, rows.data(), ids.data()});
  std::vector<int64_t> host_rows(static_cast<size_t>(candidates)), host_ids(static_cast<size_t>(candidates));
  std::vector<T> host_scores(static_cast<size_t>(candidates));
  Backend::to_host(res, host_rows.data(), rows.data(), candidates);
  Backend::to_host(res, host_ids.data(), ids.data(), candidates);
  Backend::to_host(res, host_scores.data(), top.data(), candidates);
  const auto at = round_robin(host_rows, host_ids, budget, seed);
  std::vector<int64_t> picks(static_cast<size_t>(budget));
  std::vector<T> gains(static_cast<size_t>(budget));
  for (int64_t p = 0; p < budget; ++p) {
    picks[p] = host_rows[at[p]];
    gains[p] = host_scores[at[p]];
  }
  Backend::from_host(res, out_indices.ptr, picks.data(), budget);
  Backend::from_host(res, out_gains.ptr, gains.data(), budget);
  Backend::sync(res);
}

}  // namespace tamis::active::cluster_margin::detail

/// Defines the public overloads for one (T, Space) in a backend's translation unit.
#define TAMIS_ACTIVE_CLUSTER_MARGIN_DEFINE(T, Space, Backend)                                                  \
  void tamis::active::cluster_margin::select(resources const& res, vector_view<const T, Space> scores,       \
                                             vector_view<const int64_t, Space> clusters,                     \
                                             vector_view<const uint8_t, Space> labeled, int64_t candidates,   \
                                             uint64_t seed, vector_view<int64_t, Space> out_indices,          \
                                             vector_view<T, Space> out_gains)                                \
  {                                                                                                          \
    detail::select<Backend, T>(res, scores, clusters, labeled, candidates, seed, out_indices, out_gains);    \
  }
