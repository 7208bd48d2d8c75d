// Drawings given as strokes read by a model, declared in stroke_reading.h: their image and path, the image's logits, and the pen path's mixed in.
#include "preprocess/stroke_reading.h"

#include <string>

#include "core/error.h"
#include "preprocess/digit_prediction.h"
#include "preprocess/stroke_drawing.h"

namespace fcnet {

StrokeReading read_strokes(const std::vector<Polyline>& strokes, float pen_width) {
    return {preprocess_strokes(strokes, pen_width), trajectory_features(strokes)};
}

Matrix stroke_logits(const Model& model, const Matrix& images, const Matrix& paths) {
    const Network& network = model.network;
    if (images.cols() != network.inputs()) {
        throw Error("stroke_logits: images of " + std::to_string(images.cols()) + " pixels for a network of " +
                    std::to_string(network.inputs()) + " inputs");
    }
    Matrix logits = network.logits(images) / network.temperature;  // rows x classes
    if (!model.pen_path) return logits;
    const PenPathNetwork& pen = *model.pen_path;
    if (paths.rows() != images.rows() || paths.cols() != pen.network.inputs()) {
        throw Error("stroke_logits: " + std::to_string(paths.rows()) + " x " + std::to_string(paths.cols()) +
                    " path features for " + std::to_string(images.rows()) + " images and a pen-path network of " +
                    std::to_string(pen.network.inputs()) + " inputs");
    }
    logits *= pen.pixel_weight;
    logits += (1.0f - pen.pixel_weight) / pen.network.temperature * pen.network.logits(paths);  // rows x classes
    return logits;
}

float stroke_threshold(const Model& model) {
    return model.pen_path ? model.pen_path->reject_confidence : rejection_threshold(model);
}

}  // namespace fcnet
