// Softmax and the softmax cross-entropy loss with its gradient.
#include "core/loss.h"

#include <cmath>

namespace fcnet {

void softmax_rows(Eigen::Ref<Matrix> scores) {
    for (Eigen::Index i = 0; i < scores.rows(); ++i) {
        auto row = scores.row(i).array();
        row = (row - row.maxCoeff()).exp();
        row /= row.sum();
    }
}

namespace {

// The two functions below: when `gradient` is not null it receives the loss gradient.
double cross_entropy_sum(const Eigen::Ref<const Matrix>& logits, const int* labels, float gradient_scale,
                         Eigen::Ref<Matrix>* gradient) {
    double total = 0.0;
    for (Eigen::Index i = 0; i < logits.rows(); ++i) {
        const auto row = logits.row(i).array();
        const float max = row.maxCoeff();
        const float sum = (row - max).exp().sum();
        const float log_sum = max + std::log(sum);  // log sum_j exp(z_j)
        total += log_sum - row(labels[i]);          // -log softmax(z)[y]
        if (gradient) {
            auto g = gradient->row(i).array();
            g = (row - log_sum).exp() * gradient_scale;
            g(labels[i]) -= gradient_scale;
        }
    }
    return total;
}

}  // namespace

double softmax_cross_entropy_sum(const Eigen::Ref<const Matrix>& logits, const int* labels, float gradient_scale,
                                 Eigen::Ref<Matrix> gradient) {
    return cross_entropy_sum(logits, labels, gradient_scale, &gradient);
}

double softmax_cross_entropy(const Matrix& logits, const int* labels, Matrix* gradient) {
    const Eigen::Index rows = logits.rows();
    if (gradient) gradient->resize(rows, logits.cols());
    if (rows == 0) return 0.0;
    const float scale = 1.0f / static_cast<float>(rows);
    if (!gradient) return cross_entropy_sum(logits, labels, scale, nullptr) / static_cast<double>(rows);
    Eigen::Ref<Matrix> into(*gradient);
    return cross_entropy_sum(logits, labels, scale, &into) / static_cast<double>(rows);
}

}  // namespace fcnet
