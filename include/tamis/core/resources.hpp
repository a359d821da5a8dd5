// The handle every public function takes first. Accessors are free functions (RAFT-style) so
// adding a resource never changes the handle's layout.
#pragma once
#define TAMIS_CORE_RESOURCES_HPP_INCLUDED  // lets detail headers check they are reached properly

#include <cstddef>
#include <memory>
#include <mutex>

#include "tamis/core/error.hpp"

namespace tamis {

namespace detail {
struct cuda_context;  // stream, cuBLAS handle, device id; defined in core/cuda_resources.hpp
}

class resources {
 public:
  resources() = default;

 private:
  int num_threads_ = 0;                      // 0: OpenMP's default
  std::size_t workspace_limit_ = 1ull << 30;  // bytes of scratch an algorithm may hold at once
  // Created lazily on first device use, so a host-only caller never touches CUDA.
  mutable std::shared_ptr<detail::cuda_context> cuda_;
  mutable std::mutex cuda_mutex_;

  friend struct resource_access;
};

/// Grants the accessor functions (and only them) access to the handle's fields.
struct resource_access {
  static int& num_threads(resources& r) { return r.num_threads_; }
  static int num_threads(resources const& r) { return r.num_threads_; }
  static std::size_t& workspace_limit(resources& r) { return r.workspace_limit_; }
  static std::size_t workspace_limit(resources const& r) { return r.workspace_limit_; }
  static std::shared_ptr<detail::cuda_context>& cuda(resources const& r) { return r.cuda_; }
  static std::mutex& cuda_mutex(resources const& r) { return r.cuda_mutex_; }
};

namespace resource {

/// Host threads used by the host backend; 0 means OpenMP's default.
inline int get_num_threads(resources const& res) { return resource_access::num_threads(res); }
inline void set_num_threads(resources& res, int n)
{
  TAMIS_EXPECTS(n >= 0, "num_threads must be >= 0, got %d", n);
  resource_access::num_threads(res) = n;
}

/// Upper bound on the scratch memory one call may allocate (default 1 GiB).
inline std::size_t get_workspace_limit(resources const& res) { return resource_access::workspace_limit(res); }
inline void set_workspace_limit(resources& res, std::size_t bytes)
{
  TAMIS_EXPECTS(bytes >= (1u << 20), "workspace limit must be at least 1 MiB, got %zu bytes", bytes);
  resource_access::workspace_limit(res) = bytes;
}

}  // namespace resource
}  // namespace tamis
