// The extension module tamis._core: build facts, exception translation and the submodules.
#include "common.hpp"

#include <exception>

PYBIND11_MODULE(_core, m)
{
  m.doc() = "tamis C++ kernels (internal: use the tamis package, which validates arguments)";
  m.attr("__version__") = TAMIS_VERSION;
  m.attr("has_cuda") = static_cast<bool>(TAMIS_HAS_CUDA);
  m.attr("has_faiss") = static_cast<bool>(TAMIS_HAS_FAISS);

  // tamis::cuda_error (and cublas_error) -> tamis.CudaError, a RuntimeError.
  py::register_exception<tamis::cuda_error>(m, "CudaError", PyExc_RuntimeError);
  // Registered last, so tried first: the rest of the tamis hierarchy. A CUDA error is rethrown to
  // the translator above; std::bad_alloc falls through to pybind11's MemoryError.
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (tamis::cuda_error const&) {
      throw;
    } catch (tamis::logic_error const& e) {
      py::set_error(PyExc_ValueError, e.what());
    } catch (tamis::type_error const& e) {
      py::set_error(PyExc_TypeError, e.what());
    } catch (tamis::exception const& e) {
      py::set_error(PyExc_RuntimeError, e.what());
    }
  });

  auto neighbors = m.def_submodule("neighbors", "exact kNN and the FAISS adapter");
  auto cluster = m.def_submodule("cluster", "k-means");
  auto select = m.def_submodule("select", "row-wise top-k");
  auto outlier = m.def_submodule("outlier", "outlier and OOD scores");
  auto active = m.def_submodule("active", "active-learning scores");
  tamis_py::init_neighbors(neighbors);
  tamis_py::init_cluster(cluster);
  tamis_py::init_select(select);
  tamis_py::init_outlier(outlier);
  tamis_py::init_active(active);
}
