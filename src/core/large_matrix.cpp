// Whole-data-set matrices advised to use transparent huge pages (Linux); plain matrices elsewhere.
#include "core/large_matrix.h"

#include <cstdint>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace fcnet {

namespace {

// Asks the kernel to back the whole 2 MiB pages inside [data, data + bytes) with huge pages. Only
// advice: nothing changes if it declines (transparent huge pages off, or not on this system).
void advise_huge_pages([[maybe_unused]] void* data, [[maybe_unused]] std::size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    constexpr std::uintptr_t huge = std::uintptr_t{2} << 20;
    const std::uintptr_t begin = (reinterpret_cast<std::uintptr_t>(data) + huge - 1) & ~(huge - 1);
    const std::uintptr_t end = (reinterpret_cast<std::uintptr_t>(data) + bytes) & ~(huge - 1);
    if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#endif
}

}  // namespace

Matrix large_matrix(Eigen::Index rows, Eigen::Index cols) {
    Matrix matrix(rows, cols);
    advise_huge_pages(matrix.data(), static_cast<std::size_t>(matrix.size()) * sizeof(float));
    return matrix;
}

}  // namespace fcnet
