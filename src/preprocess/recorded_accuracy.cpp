// The test accuracies a digit model's metadata records, told apart: the reported digit's and over all the outputs.
#include "preprocess/recorded_accuracy.h"

#include <string>

#include "preprocess/digit_prediction.h"

namespace fcnet {

namespace {

std::optional<double> metadata_number(const Model& model, const std::string& key) {
    const auto entry = model.metadata.find(key);
    double value = 0;
    if (entry == model.metadata.end() || !parse_number(entry->second, value)) return std::nullopt;
    return value;
}

}  // namespace

RecordedAccuracy recorded_accuracy(const Model& model) {
    RecordedAccuracy recorded;
    recorded.outputs = model.network.classes();
    recorded.all_outputs = metadata_number(model, "test_accuracy");
    recorded.digits = has_rejection_class(model) ? metadata_number(model, "test_digit_accuracy") : recorded.all_outputs;
    return recorded;
}

}  // namespace fcnet
