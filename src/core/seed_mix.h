// SplitMix64 (Steele et al. 2014): well-spread 64-bit seeds from nearby numbers (rows, samples, copies).
#pragma once

#include <cstdint>

namespace fcnet {

// SplitMix64's finaliser: every input bit reaches every output bit, so nearby inputs give unrelated outputs.
inline std::uint64_t splitmix64_finalise(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

// Output `index` (from 0) of the SplitMix64 generator started at `seed`: one stream per seed.
inline std::uint64_t splitmix64(std::uint64_t seed, std::uint64_t index) {
    return splitmix64_finalise(seed + 0x9e3779b97f4a7c15ULL * (index + 1));
}

}  // namespace fcnet
