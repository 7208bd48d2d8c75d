// The one place that knows whether OpenMP is there: the calling thread's index in a team.
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

}  // namespace fcnet
