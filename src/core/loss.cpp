// Softmax and the softmax cross-entropy loss with its gradient.
#include "core/loss.h"

#include <cmath>

namespace fcnet {

void softmax_rows(Matrix& scores) {
    for (Eigen::Index i = 0; i < scores.rows(); ++i) {
        auto row = scores.row(i).array();
        row = (row - row.maxCoeff()).exp();
        row /= row.sum();
    }
}

double softmax_cross_entropy(const Matrix& logits, const int* labels, Matrix* gradient) {
    const Eigen::Index rows = logits.rows();
    if (gradient) gradient->resize(logits.rows(), logits.cols());
    double total = 0.0;
    for (Eigen::Index i = 0; i < rows; ++i) {
        const auto row = logits.row(i).array();
        const float max = row.maxCoeff();
        const float sum = (row - max).exp().sum();
        const float log_sum = max + std::log(sum);  // log sum_j exp(z_j)
        total += log_sum - row(labels[i]);          // -log softmax(z)[y]
        if (gradient) {
            auto g = gradient->row(i).array();
            g = (row - log_sum).exp() / static_cast<float>(rows);
            g(labels[i]) -= 1.0f / static_cast<float>(rows);
        }
    }
    return rows > 0 ? total / static_cast<double>(rows) : 0.0;
}

}  // namespace fcnet
