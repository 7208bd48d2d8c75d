// The one place that knows whether OpenMP is there: the calling thread's index in a team, and whether it is in one.
#pragma once

#ifdef _OPENMP
#include <omp.h>
#endif

namespace fcnet {

// 0-based index of this thread inside an OpenMP parallel region; 0 outside one or without OpenMP.
inline int thread_index() {
#ifdef _OPENMP
    return omp_get_thread_num();
#else
    return 0;
#endif
}

// Whether the caller runs inside an active OpenMP parallel region (a nested region would get one thread).
inline bool in_parallel_region() {
#ifdef _OPENMP
    return omp_in_parallel() != 0;
#else
    return false;
#endif
}

}  // namespace fcnet
