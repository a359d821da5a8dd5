// Scalar math shared by host and device code, written so that loops over it vectorise.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>

#include "tamis/core/macros.hpp"

namespace tamis {

namespace detail {
/// The bits of x read as a To of the same size: memcpy (allowed in device code too), which the compilers
/// turn into a register move.
template <typename To, typename From>
TAMIS_HD inline To bit_cast(From x)
{
  static_assert(sizeof(To) == sizeof(From), "bit_cast: the two types differ in size");
  To y;
  memcpy(&y, &x, sizeof y);
  return y;
}
}  // namespace detail

/// Σ_k (a_k − b_k)² in one fixed order: no SIMD reduction, whose blocking could round a pair
/// differently in two passes or for a gathered copy of a row. Symmetric in a and b, 0 for equal rows.
template <typename T>
TAMIS_HD inline T squared_distance(const T* a, const T* b, int64_t d)
{
  T s = 0;
  for (int64_t k = 0; k < d; ++k) {
    const T diff = a[k] - b[k];
    s += diff * diff;
  }
  return s;
}

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
    const float scale = detail::bit_cast<float>((static_cast<int32_t>(n) + 127) << 23);  // 2^n, n ∈ [−126, 0]
    return underflow ? 0.0f : p * scale;
  } else {
    using std::exp;
    return exp(x);
  }
}


/// −p ln p for p ≥ 0 (0 at 0), e.g. over BatchBALD's joint distributions, where nearly all the time goes:
/// Cephes' logf and log (p = m · 2^e, m reduced to [√½, √2), ln m = x − x²/2 + x³ R(x) with x = m − 1; R a
/// degree-8 polynomial for float, a 5/5 rational function for double; about 1 ulp), written with integer
/// arithmetic on the bits and no float compares or selects, which may trap, so GCC keeps them as
/// branches: libm's log, and such code, do not vectorise without -ffast-math. p below the smallest
/// normal number is read as it: its term is < 1e-36 (float) or 1e-305 (double).

TAMIS_HD inline float neg_x_log_x(float p)
{
  int32_t bits = detail::bit_cast<int32_t>(p);
  bits = bits > 0x00800000 ? bits : 0x00800000;
  int32_t e = ((bits >> 23) & 0xff) - 126;  // p = m · 2^e, m ∈ [½, 1)
  int32_t mantissa = (bits & 0x007fffff) | 0x3f000000;
  const int32_t low = mantissa < 0x3f3504f3;  // m < √½: use 2m and e − 1
  e -= low;
  mantissa += low << 23;
  const float x = detail::bit_cast<float>(mantissa) - 1.0f, fe = static_cast<float>(e), z = x * x;
  float y = 7.0376836292e-2f;
  y = y * x - 1.1514610310e-1f;
  y = y * x + 1.1676998740e-1f;
  y = y * x - 1.2420140846e-1f;
  y = y * x + 1.4249322787e-1f;
  y = y * x - 1.6668057665e-1f;
  y = y * x + 2.0000714765e-1f;
  y = y * x - 2.4999993993e-1f;
  y = y * x + 3.3333331174e-1f;
  y = y * x * z - 2.12194440e-4f * fe - 0.5f * z;  // ln 2 in two parts: 0.693359375 exact, then the rest
  return -p * (x + y + 0.693359375f * fe);
}

TAMIS_HD inline double neg_x_log_x(double p)
{
  int64_t bits = detail::bit_cast<int64_t>(p);
  bits = bits > 0x0010000000000000 ? bits : 0x0010000000000000;
  int64_t e = ((bits >> 52) & 0x7ff) - 1022;
  int64_t mantissa = (bits & 0x000fffffffffffff) | 0x3fe0000000000000;
  const int64_t low = mantissa < 0x3fe6a09e667f3bcd;
  e -= low;
  mantissa += low << 52;
  const double x = detail::bit_cast<double>(mantissa) - 1.0, fe = static_cast<double>(e), z = x * x;
  double num = 1.01875663804580931796e-4;
  num = num * x + 4.97494994976747001425e-1;
  num = num * x + 4.70579119878881725854e0;
  num = num * x + 1.44989225341610930846e1;
  num = num * x + 1.79368678507819816313e1;
  num = num * x + 7.70838733755885391666e0;
  double den = x + 1.12873587189167450590e1;
  den = den * x + 4.52279145837532221105e1;
  den = den * x + 8.29875266912776603211e1;
  den = den * x + 7.11544750618563894466e1;
  den = den * x + 2.31251620126765340583e1;
  const double y = x * z * num / den - 2.121944400546905827679e-4 * fe - 0.5 * z;
  return -p * (x + y + 0.693359375 * fe);
}

}  // namespace tamis
