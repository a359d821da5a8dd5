"""Array intake and output conversion shared by every tamis module.

Rules (design guide §5):

* NumPy arrays (and subclasses such as ``np.memmap``) are used as they are, through the buffer
  protocol: no copy, ever. An array tamis cannot use in place (wrong dtype, not C-contiguous,
  misaligned, wrong byte order) is rejected with an error that says how to convert it; tamis never
  converts it silently.
* Any other object exposing ``__dlpack__`` (torch CPU tensors, JAX CPU arrays, ...) is imported
  with ``np.from_dlpack``: zero-copy for host memory.
* Device arrays (``__cuda_array_interface__``, or a DLPack device other than the host) raise
  ``TypeError``: this Python layer runs on the host backend.
* Other objects with ``__array__``/``__array_interface__``/the buffer protocol, and nested
  lists/tuples, go through ``np.asarray``.
* Results come back in the caller's array family: when the input came from a non-NumPy producer
  whose top-level module has ``from_dlpack`` (``torch.from_dlpack``), the NumPy result is handed
  to it (zero copy); otherwise results are NumPy arrays.
"""

from __future__ import annotations

import numbers
import sys
from typing import Any, Callable, Optional, Sequence, Tuple

import numpy as np

from . import _core

__all__ = [
    "FLOAT_DTYPES",
    "as_host_array",
    "as_matrix",
    "check_int",
    "check_real",
    "check_bool",
    "check_same_dtype",
    "identity",
]

FLOAT_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))

# DLPack device types (dlpack.h DLDeviceType) whose memory the host can read directly.
_DL_CPU, _DL_CUDA, _DL_CUDA_HOST, _DL_ROCM, _DL_ROCM_HOST, _DL_CUDA_MANAGED = 1, 2, 3, 10, 11, 13
_HOST_DLPACK_DEVICES = {_DL_CPU, _DL_CUDA_HOST, _DL_ROCM_HOST}
_DLPACK_DEVICE_NAMES = {
    1: "cpu",
    2: "cuda",
    3: "cuda_host",
    4: "opencl",
    7: "vulkan",
    8: "metal",
    9: "vpi",
    10: "rocm",
    11: "rocm_host",
    13: "cuda_managed",
    14: "oneapi",
    15: "webgpu",
    16: "hexagon",
}

# Elements per block of the finiteness check (bounded temporaries even for huge memmaps).
_FINITE_BLOCK = 1 << 22


_MAX_FEATURES = 2**31 - 1  # BLAS and cuBLAS index one GEMM dimension with a 32-bit int


def identity(a: np.ndarray) -> Any:
    return a


def _device_error(name: str, what: str) -> TypeError:
    if _core.has_cuda:
        hint = (
            "the tamis Python layer does not take device arrays yet; copy it to the host first "
            "(e.g. tensor.cpu(), cupy.asnumpy(x))"
        )
    else:
        hint = (
            "device arrays need a CUDA build of tamis "
            "(pip install . -C cmake.define.TAMIS_ENABLE_CUDA=ON) and a CUDA device; this build is "
            "CPU-only, so copy it to the host first (e.g. tensor.cpu(), cupy.asnumpy(x))"
        )
    return TypeError(f"{name}: is {what}; {hint}")


def _producer_family(x: Any) -> Callable[[np.ndarray], Any]:
    """How to hand a NumPy result back to the producer of ``x`` (identity when unknown)."""
    module_name = type(x).__module__.split(".")[0]
    if module_name in ("numpy", "builtins"):
        return identity
    module = sys.modules.get(module_name)
    from_dlpack = getattr(module, "from_dlpack", None) if module is not None else None
    if not callable(from_dlpack):
        return identity
    return lambda a: from_dlpack(a)


def _from_dlpack(x: Any, name: str) -> np.ndarray:
    device = None
    dlpack_device = getattr(x, "__dlpack_device__", None)
    if dlpack_device is not None:
        try:
            device = dlpack_device()
        except Exception as e:  # a producer that cannot even report its device
            raise TypeError(f"{name}: __dlpack_device__() failed: {e}") from e
        dev_type = int(device[0])
        if dev_type not in _HOST_DLPACK_DEVICES:
            label = _DLPACK_DEVICE_NAMES.get(dev_type, f"type {dev_type}")
            raise _device_error(name, f"a DLPack tensor on device '{label}' (id {int(device[1])})")
    try:
        return np.from_dlpack(x)
    except (BufferError, TypeError, ValueError, RuntimeError) as e:
        raise TypeError(f"{name}: could not be imported through DLPack without a copy: {e}") from e


def _dtype_error(name: str, dtype: np.dtype, dtypes: Sequence[np.dtype]) -> TypeError:
    expected = " or ".join(str(d) for d in dtypes)
    if dtype.kind == "f" and not dtype.isnative and dtype.newbyteorder("=") in dtypes:
        return TypeError(
            f"{name}: has non-native byte order ({dtype.str}); convert it explicitly with "
            f"{name}.astype({dtype.newbyteorder('=').name})"
        )
    return TypeError(
        f"{name}: dtype {dtype} is not supported, expected {expected}; tamis does not convert "
        f"silently, so convert it explicitly (e.g. {name}.astype(np.{dtypes[0].name}))"
    )


def _check_finite(arr: np.ndarray, name: str, allow_inf: bool) -> None:
    flat = arr.reshape(-1)  # a view: arr is C-contiguous
    for start in range(0, flat.size, _FINITE_BLOCK):
        block = flat[start : start + _FINITE_BLOCK]
        if allow_inf:
            if np.isnan(block).any():
                raise ValueError(f"{name}: contains NaN, which has no rank")
            continue
        # A finite sum proves every element finite; only a non-finite one (NaN/Inf, or an overflow
        # of huge finite values) needs the exact element check.
        with np.errstate(over="ignore", invalid="ignore"):
            total = np.add.reduce(block)
        if not np.isfinite(total) and not np.isfinite(block).all():
            bad = sum(
                int(np.count_nonzero(~np.isfinite(flat[s : s + _FINITE_BLOCK])))
                for s in range(0, flat.size, _FINITE_BLOCK)
            )
            raise ValueError(f"{name}: contains {bad} NaN or infinite value(s)")


def as_host_array(x: Any, name: str) -> Tuple[np.ndarray, Callable[[np.ndarray], Any]]:
    """``x`` as a NumPy array sharing its memory, of any shape and dtype, and its ``restore``.

    The intake step of :func:`as_matrix`, for callers that check another shape themselves.
    Raises TypeError for an unsupported object or a device array.
    """
    restore = identity
    if x is None:
        raise TypeError(f"{name}: expected an array, got None")
    if isinstance(x, np.ndarray):
        arr = x
    elif hasattr(x, "__cuda_array_interface__"):
        raise _device_error(name, f"a CUDA device array ({type(x).__module__}.{type(x).__name__})")
    elif hasattr(x, "__dlpack__"):
        arr = _from_dlpack(x, name)
        restore = _producer_family(x)
    elif isinstance(x, (list, tuple)) or hasattr(x, "__array__") or hasattr(x, "__array_interface__"):
        arr = np.asarray(x)
    else:
        try:
            memoryview(x)
        except TypeError:
            raise TypeError(
                f"{name}: expected a NumPy array or an object exposing the buffer protocol or "
                f"__dlpack__, got {type(x).__module__}.{type(x).__name__}"
            ) from None
        arr = np.asarray(x)
    return arr, restore


def as_matrix(
    x: Any,
    name: str,
    *,
    dtypes: Sequence[np.dtype] = FLOAT_DTYPES,
    finite: Optional[str] = "all",
    contiguous: bool = True,
) -> Tuple[np.ndarray, Callable[[np.ndarray], Any]]:
    """Validates ``x`` as a 2-D host matrix and returns ``(array, restore)``.

    ``array`` is a NumPy array sharing ``x``'s memory; ``restore`` converts a NumPy result back
    to ``x``'s array family. ``finite``: "all" rejects NaN and ±Inf, "nan" only NaN, None nothing.
    Raises TypeError (unsupported object, dtype or device) or ValueError (shape, layout, values).
    """
    dtypes = tuple(np.dtype(d) for d in dtypes)
    arr, restore = as_host_array(x, name)
    if arr.dtype not in dtypes or not arr.dtype.isnative:
        raise _dtype_error(name, arr.dtype, dtypes)
    if arr.ndim != 2:
        hint = ""
        if arr.ndim == 1:
            hint = " (use x.reshape(-1, 1) for one feature or x.reshape(1, -1) for one sample)"
        raise ValueError(
            f"{name}: expected a 2-D array (n_samples, n_features), got {arr.ndim}-D with shape "
            f"{arr.shape}{hint}"
        )
    if arr.shape[0] == 0:
        raise ValueError(f"{name}: is empty (shape {arr.shape}); at least one row is needed")
    if arr.shape[1] == 0:
        raise ValueError(f"{name}: has zero features (shape {arr.shape}); at least one column is needed")
    if arr.shape[1] > _MAX_FEATURES:
        raise ValueError(
            f"{name}: {arr.shape[1]} features overflow the 32-bit GEMM dimension (at most {_MAX_FEATURES})"
        )
    if contiguous:
        if not arr.flags.c_contiguous:
            raise ValueError(
                f"{name}: is not C-contiguous (shape {arr.shape}, strides {arr.strides}); tamis never "
                f"copies inputs silently, so pass np.ascontiguousarray({name}) explicitly"
            )
        if not arr.flags.aligned:
            raise ValueError(
                f"{name}: is not aligned to its element size; pass an aligned copy explicitly "
                f"(np.array({name}))"
            )
    if finite is not None and arr.dtype.kind == "f":
        _check_finite(arr if arr.flags.c_contiguous else np.ascontiguousarray(arr), name, finite == "nan")
    return arr, restore


def check_same_dtype(a: np.ndarray, a_name: str, b: np.ndarray, b_name: str) -> None:
    if a.dtype != b.dtype:
        raise TypeError(
            f"{b_name}: dtype {b.dtype} differs from {a_name}'s {a.dtype}; tamis does not convert "
            f"silently, so convert one of them explicitly"
        )


def check_int(value: Any, name: str, low: int, high: Optional[int] = None, what: str = "") -> int:
    """``value`` as a Python int in [low, high]; ValueError naming ``name`` otherwise."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name}: must be an int, got {type(value).__name__} {value!r}")
    value = int(value)
    if value < low or (high is not None and value > high):
        bounds = f"[{low}, {high}]" if high is not None else f">= {low}"
        suffix = f" ({what})" if what else ""
        raise ValueError(f"{name}: must be {'in ' if high is not None else ''}{bounds}{suffix}, got {value}")
    return value


def check_seed(value: Any) -> int:
    """A Philox seed: an int in [0, 2⁶⁴ − 1]."""
    return check_int(value, "seed", 0, 2**64 - 1)


def check_real(value: Any, name: str, low: float = 0.0) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name}: must be a real number, got {type(value).__name__} {value!r}")
    value = float(value)
    if not np.isfinite(value) or value < low:
        raise ValueError(f"{name}: must be finite and >= {low}, got {value}")
    return value


def check_bool(value: Any, name: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name}: must be a bool, got {type(value).__name__} {value!r}")
    return bool(value)
