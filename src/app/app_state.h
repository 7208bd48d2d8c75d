// The app's state: the model, the drawing, and the predictions for the drawing as it is now.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "app/canvas.h"
#include "core/model.h"
#include "preprocess/digit_prediction.h"

namespace fcnet::app {

// What the model panel shows, read once from the model file.
struct ModelInfo {
    std::string architecture;          // "784-256-128-10"
    std::int64_t parameters = 0;
    std::string test_accuracy;         // metadata "test_accuracy" as a percentage, or "unknown"
    float temperature = 1;
    std::string reject_confidence;     // metadata "reject_confidence" as a percentage, or "none"
};

class AppState {
public:
    // Loads and checks the digit model; false (and error() says why) if that fails.
    bool load_model(const std::string& path);
    bool model_loaded() const { return classifier_.has_value(); }
    // Why the model did not load, or why the last classification failed; "" when all is well.
    const std::string& error() const { return error_; }
    const ModelInfo& model_info() const { return model_info_; }

    Drawing drawing;
    float brush_radius = 11;           // raster pixels (kRasterSide = 280)
    bool calibrated = true;            // confidence with the model's temperature, else T = 1

    // Classifies the drawing if it changed since the last call; cheap otherwise.
    void update();
    // The prediction as shown: calibrated or raw softmax probabilities. Whether the drawing is a
    // digit is always decided on the calibrated ones, which the rejection threshold is set for.
    const DigitPrediction& prediction() const { return calibrated ? calibrated_ : raw_; }
    // The 28x28 image the network saw for the current prediction.
    const DigitImage& network_input() const { return network_input_; }
    double last_classify_ms() const { return last_classify_ms_; }

    // Median time in milliseconds of `runs` classifications (preprocess + forward) of the
    // current drawing (the median over batches of 10 calls of each batch's mean).
    double benchmark_classify_ms(int runs);

private:
    std::optional<DigitClassifier> classifier_;  // empty until a model is loaded
    std::string error_;
    ModelInfo model_info_;

    DigitImage network_input_;
    DigitPrediction calibrated_, raw_;
    std::uint64_t classified_revision_ = ~std::uint64_t{0};
    double last_classify_ms_ = 0;
};

// What the network reads from the canvas: the drawing's strokes redrawn at MNIST's stroke width
// (preprocess_strokes), so a small digit drawn with the fat default brush is no blob.
DigitImage canvas_digit_image(const Drawing& drawing);

}  // namespace fcnet::app
