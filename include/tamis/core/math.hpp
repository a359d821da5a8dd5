// Scalar math shared by host and device code, written so that loops over it vectorise.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>

#include "tamis/core/macros.hpp"

namespace tamis {

/// e^x for x ≤ 0 (softmax and logsumexp after the row maximum is subtracted). float: Cody–Waite
/// reduction and Cephes' degree-6 polynomial, within 2 ulp, branch-free so a loop over it vectorises
/// (libm's expf does not without -ffast-math); 0 below float's underflow point. double: std::exp.
template <typename T>
TAMIS_HD inline T exp_nonpositive(T x)
{
  if constexpr (sizeof(T) == sizeof(float)) {
    const bool underflow = x < -87.3f;
    x = underflow ? -87.3f : x;
    float n = nearbyintf(x * 1.44269504088896341f);  // x / ln 2, to nearest
    float r = x - n * 0.693359375f;                       // ln 2 in two parts: exact first product
    r = r + n * 2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * r * r + r + 1.0f;
    int32_t bits = (static_cast<int32_t>(n) + 127) << 23;  // 2^n, n ∈ [−126, 0]
    float scale;
#if defined(__CUDA_ARCH__)
    scale = __int_as_float(bits);
#else
    std::memcpy(&scale, &bits, sizeof scale);
#endif
    return underflow ? 0.0f : p * scale;
  } else {
    using std::exp;
    return exp(x);
  }
}

}  // namespace tamis
