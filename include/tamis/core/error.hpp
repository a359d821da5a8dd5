// Exception hierarchy and the checking macros every public entry point uses.
#pragma once

#include <cstdio>
#include <stdexcept>
#include <string>

namespace tamis {

/// Base of every error tamis throws; what() carries "file:line: message".
struct exception : std::runtime_error {
  using std::runtime_error::runtime_error;
};
/// A precondition on the arguments failed (shape, range, NaN/Inf...). Python: ValueError.
struct logic_error : exception {
  using exception::exception;
};
/// Wrong element type for the requested operation. Python: TypeError.
struct type_error : exception {
  using exception::exception;
};
/// A CUDA runtime call failed. Python: tamis.CudaError.
struct cuda_error : exception {
  using exception::exception;
};
/// A cuBLAS call failed. Python: tamis.CudaError.
struct cublas_error : cuda_error {
  using cuda_error::cuda_error;
};
/// A device path was requested from a build without CUDA.
struct non_cuda_build_error : exception {
  using exception::exception;
};

namespace detail {
template <typename... Args>
std::string format_message(const char* file, int line, const char* fmt, Args... args)
{
  std::string msg = std::string(file) + ":" + std::to_string(line) + ": ";
  if constexpr (sizeof...(Args) == 0) {
    msg += fmt;
  } else {
    int size = std::snprintf(nullptr, 0, fmt, args...);
    std::string body(static_cast<size_t>(size > 0 ? size : 0), '\0');
    std::snprintf(body.data(), body.size() + 1, fmt, args...);
    msg += body;
  }
  return msg;
}
}  // namespace detail
}  // namespace tamis

/// Throw `tamis::logic_error` with a printf-style message unless `cond` holds.
#define TAMIS_EXPECTS(cond, ...)                                                        \
  do {                                                                                  \
    if (!(cond)) {                                                                      \
      throw ::tamis::logic_error(::tamis::detail::format_message(__FILE__, __LINE__, __VA_ARGS__)); \
    }                                                                                   \
  } while (0)

/// Throw an exception of type `kind` with a printf-style message.
#define TAMIS_THROW(kind, ...) \
  throw kind(::tamis::detail::format_message(__FILE__, __LINE__, __VA_ARGS__))

/// Throw `tamis::logic_error` unconditionally.
#define TAMIS_FAIL(...) TAMIS_THROW(::tamis::logic_error, __VA_ARGS__)
