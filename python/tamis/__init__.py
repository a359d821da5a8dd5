"""tamis — data-centric ML kernels (kNN, k-means, top-k, ...) on CPU and GPU.

Submodules: :mod:`tamis.neighbors`, :mod:`tamis.cluster`, :mod:`tamis.select`, :mod:`tamis.outlier`,
:mod:`tamis.active`.

Arrays: float32/float64, C-contiguous NumPy arrays (2-D; 3-D for ensemble scores; memory maps
included) are used in place through the buffer protocol; other host tensors come in through DLPack
without a copy (torch CPU tensors come back as torch tensors). Errors: ValueError (shapes, ranges,
NaN/Inf, layout), TypeError (dtypes, device arrays), MemoryError, and :class:`CudaError` (a
RuntimeError).
"""

from . import _core
from ._core import CudaError

__version__ = _core.__version__
has_cuda = bool(_core.has_cuda)
has_faiss = bool(_core.has_faiss)

CudaError.__module__ = "tamis"

from . import active, cluster, neighbors, outlier, select  # noqa: E402

__all__ = ["CudaError", "__version__", "has_cuda", "has_faiss", "active", "cluster", "neighbors", "outlier",
           "select"]
