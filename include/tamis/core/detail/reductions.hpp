// Deterministic reductions built from backend primitives: each fixed-size block is reduced by one
// worker, and the block results are combined in order on the host, so the result never depends on
// thread count or backend scheduling.
#pragma once
#ifndef TAMIS_CORE_RESOURCES_HPP_INCLUDED
#error "tamis/core/detail/reductions.hpp is internal: include it only from tamis sources"
#endif

#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include "tamis/core/macros.hpp"

namespace tamis::detail {

/// Elements per worker in reductions whose op fixes its own blocking (the backends' generic sums and
/// counts use Backend::reduction_block instead: short chains on a GPU, cache-sized ones on the host).
inline constexpr int64_t reduction_block = 4096;

template <typename T>
struct block_sum_op {
  const T* x;
  int64_t n;
  int64_t block;
  double* out;
  TAMIS_HD void operator()(int64_t b) const
  {
    int64_t end = (b + 1) * block < n ? (b + 1) * block : n;
    double acc = 0;
    for (int64_t i = b * block; i < end; ++i) acc += static_cast<double>(x[i]);
    out[b] = acc;
  }
};

struct is_nonfinite {
  template <typename T>
  TAMIS_HD bool operator()(T v) const { return v - v != T(0); }  // NaN or ±Inf
};
struct is_nonzero {
  template <typename T>
  TAMIS_HD bool operator()(T v) const { return v != T(0); }
};

struct is_nan {
  template <typename T>
  TAMIS_HD bool operator()(T v) const { return v != v; }
};

template <typename T, typename Pred>
struct block_count_op {
  const T* x;
  int64_t n;
  int64_t block;
  int64_t* out;
  Pred pred;
  TAMIS_HD void operator()(int64_t b) const
  {
    int64_t end = (b + 1) * block < n ? (b + 1) * block : n;
    int64_t count = 0;
    for (int64_t i = b * block; i < end; ++i) count += pred(x[i]) ? 1 : 0;
    out[b] = count;
  }
};

template <typename T>
struct block_count_not_equal_op {
  const T* a;
  const T* b;
  int64_t n;
  int64_t block;
  int64_t* out;
  TAMIS_HD void operator()(int64_t blk) const
  {
    int64_t end = (blk + 1) * block < n ? (blk + 1) * block : n;
    int64_t count = 0;
    for (int64_t i = blk * block; i < end; ++i) count += a[i] != b[i] ? 1 : 0;
    out[blk] = count;
  }
};

/// Σ over blocks of `block` elements: make_op(partial) reduces block b into partial[b] (with the
/// same blocking); the partials are added in order on the host.
template <typename Backend, typename Acc, typename MakeOp>
Acc reduce_blocks(resources const& res, int64_t n, MakeOp make_op, int64_t block = reduction_block)
{
  int64_t blocks = (n + block - 1) / block;
  if (blocks == 0) return Acc(0);
  auto partial = Backend::template allocate<Acc>(res, blocks);
  Backend::for_each_n(res, blocks, make_op(partial.data()));
  std::vector<Acc> host(static_cast<size_t>(blocks));
  Backend::to_host(res, host.data(), partial.data(), blocks);
  Acc total = 0;
  for (Acc v : host) total += v;
  return total;
}

/// Largest value of each block of v and its lowest index.
template <typename T>
struct block_argmax_op {
  const T* v;
  int64_t n;
  int64_t block;
  T* best;
  int64_t* where;
  TAMIS_HD void operator()(int64_t b) const
  {
    const int64_t end = (b + 1) * block < n ? (b + 1) * block : n;
    int64_t arg = b * block;
    for (int64_t i = arg + 1; i < end; ++i) arg = v[i] > v[arg] || v[arg] != v[arg] ? i : arg;  // NaN: replaced
    best[b] = v[arg];
    where[b] = arg;
  }
};

/// (index, value) of the largest of v[0..n) (n ≥ 1), the lowest index on ties; NaN never wins over a number.
template <typename Backend, typename T>
std::pair<int64_t, T> argmax(resources const& res, const T* v, int64_t n)
{
  constexpr int64_t block = Backend::reduction_block;
  const int64_t blocks = (n + block - 1) / block;
  auto best = Backend::template allocate<T>(res, blocks);
  auto where = Backend::template allocate<int64_t>(res, blocks);
  Backend::for_each_n(res, blocks, block_argmax_op<T>{v, n, block, best.data(), where.data()});
  std::vector<T> host_best(static_cast<size_t>(blocks));
  std::vector<int64_t> host_where(static_cast<size_t>(blocks));
  Backend::to_host(res, host_best.data(), best.data(), blocks);
  Backend::to_host(res, host_where.data(), where.data(), blocks);
  int64_t b = 0;
  for (int64_t i = 1; i < blocks; ++i) {  // blocks in index order
    b = host_best[i] > host_best[b] || host_best[b] != host_best[b] ? i : b;
  }
  return {host_where[b], host_best[b]};
}

/// Sum of x[0..n) in double precision.
template <typename Backend, typename T>
double sum(resources const& res, const T* x, int64_t n)
{
  constexpr int64_t block = Backend::reduction_block;
  return reduce_blocks<Backend, double>(
    res, n, [=](double* out) { return block_sum_op<T>{x, n, block, out}; }, block);
}

/// Number of entries of x[0..n) for which pred holds.
template <typename Backend, typename T, typename Pred>
int64_t count_if(resources const& res, const T* x, int64_t n, Pred pred)
{
  constexpr int64_t block = Backend::reduction_block;
  return reduce_blocks<Backend, int64_t>(
    res, n, [=](int64_t* out) { return block_count_op<T, Pred>{x, n, block, out, pred}; }, block);
}

template <typename Backend, typename T>
int64_t count_nonfinite(resources const& res, const T* x, int64_t n)
{
  return count_if<Backend>(res, x, n, is_nonfinite{});
}

/// Number of positions where a and b differ.
template <typename Backend, typename T>
int64_t count_not_equal(resources const& res, const T* a, const T* b, int64_t n)
{
  constexpr int64_t block = Backend::reduction_block;
  return reduce_blocks<Backend, int64_t>(
    res, n, [=](int64_t* out) { return block_count_not_equal_op<T>{a, b, n, block, out}; }, block);
}

}  // namespace tamis::detail
