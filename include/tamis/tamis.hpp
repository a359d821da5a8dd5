// Umbrella header: the whole public C++ API of tamis.
#pragma once

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
#include "tamis/neighbors/brute_force.hpp"
#include "tamis/outlier/ood.hpp"
#include "tamis/select/select_k.hpp"
#if TAMIS_HAS_FAISS
#include "tamis/neighbors/faiss_index.hpp"
#endif
