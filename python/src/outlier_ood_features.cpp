// Bindings of the feature-based OOD scorers (tamis/outlier/ood_features.hpp): ReAct, ASH,
// class-conditional Mahalanobis, ViM and KNN, each as raw fit / score functions on NumPy arrays.
#include "common.hpp"

#include <string>
#include <utility>

#include "tamis/outlier/ood_features.hpp"

namespace tamis_py {
namespace {

namespace ood = tamis::outlier::ood;

template <typename T>
T react_threshold(carray<T> const& train, double percentile)
{
  auto tv = matrix_in(train, "train_features");
  py::gil_scoped_release nogil;
  tamis::resources res;
  return ood::react_threshold(res, tv, percentile);
}

template <typename T>
carray<T> react_scores(carray<T> const& features, carray<T> const& weight, carray<T> const& bias, double threshold,
                       double temperature)
{
  auto zv = matrix_in(features, "features");
  auto wv = matrix_in(weight, "weight");
  auto bv = vector_in(bias, "bias");
  return vector_result<T>(zv.rows, [&](tamis::resources& res, tamis::host_vector_view<T> ov) {
    ood::react_scores(res, zv, wv, bv, static_cast<T>(threshold), static_cast<T>(temperature), ov);
  });
}

template <typename T>
carray<T> ash_scores(carray<T> const& features, carray<T> const& weight, carray<T> const& bias,
                     std::string const& variant, double percentile, double temperature)
{
  auto zv = matrix_in(features, "features");
  auto wv = matrix_in(weight, "weight");
  auto bv = vector_in(bias, "bias");
  auto parsed = ood::parse_ash_variant(variant);
  return vector_result<T>(zv.rows, [&](tamis::resources& res, tamis::host_vector_view<T> ov) {
    ood::ash_scores(res, zv, wv, bv, parsed, percentile, static_cast<T>(temperature), ov);
  });
}

template <typename T>
py::tuple mahalanobis_fit(carray<T> const& train, carray<int64_t> const& labels, int64_t n_classes)
{
  auto tv = matrix_in(train, "train_features");
  auto lv = vector_in(labels, "labels");
  check_extent("n_classes", n_classes);
  auto means = new_matrix<T>(n_classes, tv.cols);
  auto whitening = new_matrix<T>(tv.cols, tv.cols);
  auto mv = matrix_out(means);
  auto wv = matrix_out(whitening);
  int64_t rank = 0;
  {
    py::gil_scoped_release nogil;
    tamis::resources res;
    rank = ood::mahalanobis_fit(res, tv, lv, mv, wv);
  }
  return py::make_tuple(std::move(means), std::move(whitening), rank);
}

template <typename T>
carray<T> mahalanobis_scores(carray<T> const& features, carray<T> const& class_means, carray<T> const& whitening)
{
  auto zv = matrix_in(features, "features");
  auto mv = matrix_in(class_means, "class_means");
  auto wv = matrix_in(whitening, "whitening");
  return vector_result<T>(zv.rows, [&](tamis::resources& res, tamis::host_vector_view<T> ov) {
    ood::mahalanobis_scores(res, zv, mv, wv, ov);
  });
}

template <typename T>
py::tuple vim_fit(carray<T> const& train, carray<T> const& weight, carray<T> const& bias, int64_t dim)
{
  auto tv = matrix_in(train, "train_features");
  auto wv = matrix_in(weight, "weight");
  auto bv = vector_in(bias, "bias");
  if (dim < 0 || dim >= tv.cols) {
    TAMIS_FAIL("dim: must be in [0, %lld) (the feature count), got %lld", static_cast<long long>(tv.cols),
               static_cast<long long>(dim));
  }
  auto origin = new_vector<T>(tv.cols);
  auto basis = new_matrix<T>(tv.cols - dim, tv.cols);
  auto uv = vector_out(origin);
  auto rv = matrix_out(basis);
  T alpha = 0;
  {
    py::gil_scoped_release nogil;
    tamis::resources res;
    alpha = ood::vim_fit(res, tv, wv, bv, uv, rv);
  }
  return py::make_tuple(std::move(origin), std::move(basis), alpha);
}

template <typename T>
carray<T> vim_scores(carray<T> const& features, carray<T> const& weight, carray<T> const& bias,
                     carray<T> const& origin, carray<T> const& residual_basis, double alpha)
{
  auto zv = matrix_in(features, "features");
  auto wv = matrix_in(weight, "weight");
  auto bv = vector_in(bias, "bias");
  auto uv = vector_in(origin, "origin");
  auto rv = matrix_in(residual_basis, "residual_basis");
  return vector_result<T>(zv.rows, [&](tamis::resources& res, tamis::host_vector_view<T> ov) {
    ood::vim_scores(res, zv, wv, bv, uv, rv, static_cast<T>(alpha), ov);
  });
}

template <typename T>
carray<T> knn_normalize(carray<T> const& features)
{
  auto zv = matrix_in(features, "features");
  auto out = new_matrix<T>(zv.rows, zv.cols);
  auto ov = matrix_out(out);
  {
    py::gil_scoped_release nogil;
    tamis::resources res;
    ood::knn_ood_normalize(res, zv, ov);
  }
  return out;
}

template <typename T>
carray<T> knn_scores(carray<T> const& bank, carray<T> const& features, int64_t k)
{
  auto bv = matrix_in(bank, "bank");
  auto zv = matrix_in(features, "features");
  return vector_result<T>(zv.rows, [&](tamis::resources& res, tamis::host_vector_view<T> ov) {
    ood::knn_ood_scores(res, bv, zv, k, ov);
  });
}

template <typename T>
void bind_types(py::module_& m, bool document)
{
  auto doc = [&](const char* text) { return document ? text : ""; };
  m.def("ood_react_threshold", &react_threshold<T>, py::arg("train_features").noconvert(), py::arg("percentile"),
        doc("ood_react_threshold(train_features, percentile) -> float: ReAct's clip threshold, "
            "numpy.percentile(train_features.ravel(), percentile) (linear interpolation), percentile in [0, 100]."));
  m.def("ood_react_scores", &react_scores<T>, py::arg("features").noconvert(), py::arg("weight").noconvert(),
        py::arg("bias").noconvert(), py::arg("threshold"), py::arg("temperature"),
        doc("ood_react_scores(features, weight, bias, threshold, temperature) -> (n,): ReAct, "
            "-T * logsumexp((min(z, threshold) @ weight.T + bias) / T) for features (n, D), weight (C, D), bias (C,); "
            "higher = more OOD."));
  m.def("ood_ash_scores", &ash_scores<T>, py::arg("features").noconvert(), py::arg("weight").noconvert(),
        py::arg("bias").noconvert(), py::arg("variant"), py::arg("percentile"), py::arg("temperature"),
        doc("ood_ash_scores(features, weight, bias, variant, percentile, temperature) -> (n,): ASH-'p'/'b'/'s' "
            "keeps the k = D - round_half_even(D * percentile / 100) largest activations per row (ties to the lower "
            "column; k >= 1), shapes them, then -T * logsumexp((a @ weight.T + bias) / T)."));
  m.def("ood_mahalanobis_fit", &mahalanobis_fit<T>, py::arg("train_features").noconvert(),
        py::arg("labels").noconvert(), py::arg("n_classes"),
        doc("ood_mahalanobis_fit(train_features, labels, n_classes) -> (class_means (C, D), whitening (D, D), rank): "
            "class means and the whitening W (row k = v_k / sqrt(lambda_k), zero rows after the rank) of the tied "
            "class-centred covariance (ddof 0; pinvh cut-off D * eps64 * max|lambda|): precision = W.T @ W. labels "
            "int64 (n,) in [0, n_classes), every class present."));
  m.def("ood_mahalanobis_scores", &mahalanobis_scores<T>, py::arg("features").noconvert(),
        py::arg("class_means").noconvert(), py::arg("whitening").noconvert(),
        doc("ood_mahalanobis_scores(features, class_means, whitening) -> (n,): min over classes of "
            "||W (z - mu_c)||^2, the squared Mahalanobis distance to the nearest class mean. whitening (r, D), any "
            "leading block of rows holding the rank."));
  m.def("ood_vim_fit", &vim_fit<T>, py::arg("train_features").noconvert(), py::arg("weight").noconvert(),
        py::arg("bias").noconvert(), py::arg("dim"),
        doc("ood_vim_fit(train_features, weight, bias, dim) -> (origin (D,), residual_basis (D - dim, D), alpha): "
            "u = -pinv(W) b, the unit eigenvectors after the top `dim` of the covariance of train_features - u "
            "(assume_centered) as rows, and alpha = mean(max logit) / mean(||R (z - u)||). 0 <= dim < D."));
  m.def("ood_vim_scores", &vim_scores<T>, py::arg("features").noconvert(), py::arg("weight").noconvert(),
        py::arg("bias").noconvert(), py::arg("origin").noconvert(), py::arg("residual_basis").noconvert(),
        py::arg("alpha"),
        doc("ood_vim_scores(features, weight, bias, origin, residual_basis, alpha) -> (n,): "
            "alpha * ||R (z - u)|| - logsumexp(z @ weight.T + bias), ViM's score negated (higher = more OOD)."));
  m.def("ood_knn_normalize", &knn_normalize<T>, py::arg("features").noconvert(),
        doc("ood_knn_normalize(features) -> (n, D): z / (||z|| + 1e-10) per row, the rows of a KNN-OOD bank."));
  m.def("ood_knn_scores", &knn_scores<T>, py::arg("bank").noconvert(), py::arg("features").noconvert(),
        py::arg("k"),
        doc("ood_knn_scores(bank, features, k) -> (n,): Euclidean distance of each normalised feature row to its "
            "k-th nearest bank row, 1 <= k <= bank rows."));
}

}  // namespace

void bind_ood_features(py::module_& m)
{
  bind_types<float>(m, true);
  bind_types<double>(m, false);
  m.def("ood_ash_kept", &ood::ash_kept, py::arg("n_features"), py::arg("percentile"),
        "ood_ash_kept(n_features, percentile) -> int: activations ASH keeps per row, "
        "n_features - round_half_even(n_features * percentile / 100) (>= 1).");
  m.def("ood_vim_default_dim", &ood::vim_default_dim, py::arg("n_features"),
        "ood_vim_default_dim(n_features) -> int: ViM's principal dimension, 1000 for D >= 2048, 512 for D >= 768, "
        "else D // 2 (the ViM authors' rule).");
}

}  // namespace tamis_py
