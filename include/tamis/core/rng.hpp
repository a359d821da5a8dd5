// Counter-based random numbers (Philox4x32-10 from Random123): the same stream on host and
// device, independent of thread count, because draw i is a pure function of (seed, stream, i).
#pragma once

#include <cstdint>

#include <Random123/philox.h>

#include "tamis/core/macros.hpp"

namespace tamis {

class philox_stream {
 public:
  TAMIS_HD philox_stream(uint64_t seed, uint64_t stream) : seed_(seed), stream_(stream) {}

  /// Uniform double in [0, 1) with 53 random bits, the `counter`-th draw of this stream.
  TAMIS_HD double uniform(uint64_t counter) const
  {
    auto bits = raw(counter);
    uint64_t hi = static_cast<uint64_t>(bits[0]) >> 5;  // 27 bits
    uint64_t lo = static_cast<uint64_t>(bits[1]) >> 6;  // 26 bits
    return static_cast<double>((hi << 26) | lo) * (1.0 / 9007199254740992.0);
  }

  /// Uniform integer in [0, n), n > 0 (rejection-free multiply-shift; bias < n / 2^64).
  TAMIS_HD uint64_t uniform_index(uint64_t counter, uint64_t n) const
  {
    auto bits = raw(counter);
    uint64_t word = (static_cast<uint64_t>(bits[2]) << 32) | bits[3];
#if defined(__CUDA_ARCH__)
    return __umul64hi(word, n);
#else
    return static_cast<uint64_t>((static_cast<unsigned __int128>(word) * n) >> 64);
#endif
  }

 private:
  TAMIS_HD r123::Philox4x32::ctr_type raw(uint64_t counter) const
  {
    r123::Philox4x32 gen;
    r123::Philox4x32::ctr_type ctr = {{static_cast<uint32_t>(counter), static_cast<uint32_t>(counter >> 32),
                                       static_cast<uint32_t>(stream_), static_cast<uint32_t>(stream_ >> 32)}};
    r123::Philox4x32::key_type key = {{static_cast<uint32_t>(seed_), static_cast<uint32_t>(seed_ >> 32)}};
    return gen(ctr, key);
  }

  uint64_t seed_;
  uint64_t stream_;
};

}  // namespace tamis
