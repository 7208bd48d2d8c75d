// A synthetic 28x28 digit for inference benchmarks: a ring ("0") of ink, about 20% of the pixels.
#pragma once

#include <cmath>
#include <vector>

namespace fcnet::bench {

// Pixels in [0, 1], row-major; the rest blank (0), like MNIST digits and preprocessed drawings.
inline std::vector<float> digit_like_image() {
    std::vector<float> image(784, 0.0f);
    for (int r = 0; r < 28; ++r) {
        for (int c = 0; c < 28; ++c) {
            const float dr = static_cast<float>(r) - 13.5f, dc = (static_cast<float>(c) - 13.5f) * 1.4f;
            const float radius = std::sqrt(dr * dr + dc * dc);
            if (radius > 6.0f && radius < 10.0f) image[r * 28 + c] = 1.0f - std::abs(radius - 8.0f) / 2.5f;
        }
    }
    return image;
}

}  // namespace fcnet::bench
