// The app's state: the model, the drawing, and the predictions for the drawing as it is now.
#include "app/app_state.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

#include "app/platform.h"
#include "io/model_file.h"
#include "core/error.h"
#include "io/rehearsal_file.h"
#include "preprocess/recorded_accuracy.h"

namespace fcnet::app {

namespace {

std::string architecture_of(const Network& network) {
    std::string text;
    for (int size : network.layer_sizes()) text += (text.empty() ? "" : "-") + std::to_string(size);
    return text;
}

// 0.9922 -> "99.22%"; no figure -> "not recorded".
std::string as_percentage(const std::optional<double>& fraction) {
    if (!fraction) return "not recorded";
    char text[32];
    std::snprintf(text, sizeof text, "%.2f%%", 100.0 * *fraction);
    return text;
}

// "0.982500" -> "98.25%"; anything that is not a number is shown as it is.
std::string as_percentage(const std::string& fraction) {
    char* end = nullptr;
    const double value = std::strtod(fraction.c_str(), &end);
    if (fraction.empty() || *end != '\0') return fraction;
    return as_percentage(std::optional<double>(value));
}

std::string metadata_or(const Model& model, const std::string& key, const std::string& fallback) {
    const auto found = model.metadata.find(key);
    return found == model.metadata.end() ? fallback : found->second;
}

// The panel's rows for the model's recorded test accuracies (preprocess/recorded_accuracy.h):
// the reported digit's, the figure a person takes "accuracy" for, and, with a "not a digit"
// class, the one over all 11 outputs, where a digit read as "not a digit" counts as wrong.
std::vector<ModelFact> accuracy_facts(const Model& model) {
    const RecordedAccuracy recorded = recorded_accuracy(model);
    std::vector<ModelFact> facts = {{"test digit accuracy", as_percentage(recorded.digits)}};
    if (recorded.outputs > kDigitClasses) {
        facts.push_back({"over all " + std::to_string(recorded.outputs) + " outputs", as_percentage(recorded.all_outputs)});
    }
    return facts;
}

}  // namespace

StrokeReading read_canvas(const Drawing& drawing) {
    std::vector<Polyline> strokes;
    float pen_width = 1;  // the widest pen that drew them
    for (const Stroke& stroke : drawing.strokes()) {
        Polyline& line = strokes.emplace_back();
        for (const Point& p : stroke.points) line.push_back({p.x, p.y});
        pen_width = std::max(pen_width, 2 * stroke.radius);
    }
    return read_strokes(strokes, pen_width);
}

bool AppState::load_model(const std::string& path) {
    try {
        classifier_.emplace(fcnet::load_model(path));
        corrections_ = fcnet::corrections(classifier_->model());
        shipped_.reset();
    } catch (const std::exception& e) {
        error_ = e.what();
        classifier_.reset();
        return false;
    }
    const Model& model = classifier_->model();
    model_info_.architecture = architecture_of(model.network);
    model_info_.parameters = model.network.parameter_count();
    model_info_.accuracy = accuracy_facts(model);
    model_info_.temperature = model.network.temperature;
    model_info_.reject_confidence = model.pen_path ? as_percentage(std::optional<double>(model.pen_path->reject_confidence))
                                                   : as_percentage(metadata_or(model, "reject_confidence", "none"));
    return true;
}

void AppState::update() {
    if (!classifier_ || drawing.revision() == classified_revision_) return;
    const double start = platform::now_ms();
    try {
        const StrokeReading reading = read_canvas(drawing);
        network_input_ = reading.image;
        network_path_ = reading.path;
        calibrated_ = classifier_->classify(network_input_, network_path_, &raw_);
        error_.clear();
    } catch (const std::exception& e) {
        error_ = e.what();
        network_input_ = {};
        calibrated_ = raw_ = {};
    }
    last_classify_ms_ = platform::now_ms() - start;
    classified_revision_ = drawing.revision();
}

void AppState::prepare_reading() {
    if (classifier_) classifier_->prepare();
}

double AppState::benchmark_classify_ms(int runs) {
    if (!classifier_ || runs <= 0) return 0;
    // Batches of 10 calls, each batch's mean one sample: a browser's clock may tick as coarsely
    // as 0.1 ms, coarser than one call.
    constexpr int kBatch = 10;
    std::vector<double> times(static_cast<std::size_t>(std::max(1, runs / kBatch)));
    static volatile float sink;  // a place the results go, so no call is optimised away
    for (double& time : times) {
        const double start = platform::now_ms();
        for (int i = 0; i < kBatch; ++i) {
            const StrokeReading reading = read_canvas(drawing);
            sink = classifier_->classify(reading.image, reading.path).confidence;
        }
        time = (platform::now_ms() - start) / kBatch;
    }
    (void)sink;
    const auto middle = times.begin() + static_cast<std::ptrdiff_t>(times.size() / 2);
    std::nth_element(times.begin(), middle, times.end());
    return *middle;
}

// ---- learning the user's handwriting ----------------------------------------------------

bool AppState::load_rehearsal(const std::string& path) {
    if (!model_loaded()) return false;
    try {
        if (path.empty()) {
            rehearsal_maker_.emplace(kGeneratedRehearsalPerClass, model().network.classes(), kGeneratedRehearsalSeed);
        } else {
            finetuner_.emplace(fcnet::load_rehearsal(path));  // with pen paths, the pen-path network learns too
        }
        return true;
    } catch (const std::exception& e) {
        notice_ = std::string("corrections are off: ") + e.what();
        return false;
    }
}

void AppState::prepare_learning() { prepare_learning_for(std::numeric_limits<double>::infinity()); }

bool AppState::prepare_learning_for(double budget_ms) {
    if (learning_prepared_) return true;
    if (!can_learn()) return learning_prepared_ = true;  // nothing to prepare: corrections are off
    const double start = platform::now_ms();
    try {
        if (!finetuner_) {
            while (!rehearsal_maker_->done()) {
                if (platform::now_ms() - start >= budget_ms) return false;
                rehearsal_maker_->render(1);
            }
            PathRehearsal paths = rehearsal_maker_->take_paths();  // so the pen-path network learns too
            finetuner_.emplace(rehearsal_maker_->take());
            finetuner_->set_path_rehearsal(std::move(paths));
            rehearsal_maker_.reset();
            if (platform::now_ms() - start >= budget_ms) return false;
        }
        finetuner_->prepare(classifier_->model().network);
    } catch (const std::exception& e) {
        notice_ = std::string("corrections are off: ") + e.what();
        finetuner_.reset();
        rehearsal_maker_.reset();
    }
    learning_prepared_ = true;
    return true;
}

std::string AppState::rehearsal_name() const {
    if (finetuner_) return finetuner_->rehearsal().name;
    return rehearsal_maker_ ? rehearsal_maker_->name() : std::string();
}

void AppState::use_model(Model model) {
    DigitClassifier next(std::move(model));
    const int corrections = fcnet::corrections(next.model());
    if (!shipped_) shipped_ = std::move(*classifier_).take_model();
    classifier_ = std::move(next);
    corrections_ = corrections;
    model_changed();
}

void AppState::model_changed() {
    classified_revision_ = ~std::uint64_t{0};  // read the drawing again
    ++model_revision_;
}

void AppState::learn(int label) {
    update();
    prepare_learning();
    if (!can_learn() || network_input_.empty) return;
    const double start = platform::now_ms();
    try {
        Model model = classifier_->model();
        finetuner_->learn(model, network_input_.pixels.data(), label, static_cast<std::uint64_t>(corrections_) + 1,
                          network_path_.data());
        use_model(std::move(model));
        update();
    } catch (const std::exception& e) {
        error_ = e.what();
    }
    last_learn_ms_ = platform::now_ms() - start;
}

void AppState::forget() {
    if (!model_loaded()) return;
    if (shipped_) {
        classifier_.emplace(std::move(*shipped_));
        shipped_.reset();
        corrections_ = fcnet::corrections(classifier_->model());
    }
    model_changed();
    notice_.clear();
}

std::vector<std::uint8_t> AppState::model_bytes(ModelCompression compression) const {
    return classifier_ ? serialize_model(classifier_->model(), compression) : std::vector<std::uint8_t>{};
}

bool AppState::use_personal_model(const std::uint8_t* bytes, std::size_t size) {
    if (!model_loaded()) return false;
    try {
        Model model = deserialize_model(bytes, size, "the stored personal model");
        if (!fine_tuned_from(model, shipped_ ? *shipped_ : classifier_->model())) {
            throw Error("the stored personal model was made from another version of the model");
        }
        use_model(std::move(model));  // throws for a model that cannot read digits
        return true;
    } catch (const std::exception& e) {
        notice_ = std::string(e.what()) + "; it was dropped and the shipped model is used";
        ++model_revision_;  // so the page removes it from storage
        return false;
    }
}

}  // namespace fcnet::app
