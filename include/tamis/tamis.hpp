// Umbrella header: the whole public C++ API of tamis.
#pragma once

#include "tamis/active/badge.hpp"
#include "tamis/active/batchbald.hpp"
#include "tamis/active/cluster_margin.hpp"
#include "tamis/active/kcenter.hpp"
#include "tamis/active/scores.hpp"
#include "tamis/active/select.hpp"
#include "tamis/cluster/average_linkage.hpp"
#include "tamis/cluster/kmeans.hpp"
#include "tamis/core/buffers.hpp"
#include "tamis/core/config.hpp"
#if TAMIS_HAS_CUDA
#include "tamis/core/cuda_resources.hpp"
#endif
#include "tamis/core/error.hpp"
#include "tamis/core/resources.hpp"
#include "tamis/core/rng.hpp"
#include "tamis/core/views.hpp"
#include "tamis/linalg/linalg.hpp"
#include "tamis/linalg/symmetric_eigen.hpp"
#include "tamis/neighbors/brute_force.hpp"
#include "tamis/outlier/ecod.hpp"
#include "tamis/outlier/hbos.hpp"
#include "tamis/outlier/isolation_forest.hpp"
#include "tamis/outlier/knn.hpp"
#include "tamis/outlier/lof.hpp"
#include "tamis/outlier/mahalanobis.hpp"
#include "tamis/outlier/ood.hpp"
#include "tamis/outlier/ood_features.hpp"
#include "tamis/outlier/pca.hpp"
#include "tamis/select/select_k.hpp"
#if TAMIS_HAS_FAISS
#include "tamis/neighbors/faiss_index.hpp"
#endif
