// The app's state: the model, the drawing, and the predictions for the drawing as it is now.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/canvas.h"
#include "core/finetune.h"
#include "core/model.h"
#include "data/generated_rehearsal.h"
#include "io/model_file.h"
#include "preprocess/digit_prediction.h"
#include "preprocess/stroke_reading.h"

namespace fcnet::app {

// One row of the model panel: what it is and its value, as shown.
struct ModelFact {
    std::string label;                 // "test digit accuracy"
    std::string value;                 // "99.22%"
};

// What the model panel shows, read once from the model file.
struct ModelInfo {
    std::string architecture;          // "784-256-128-10"
    std::int64_t parameters = 0;
    std::vector<ModelFact> accuracy;   // the recorded test accuracies: the reported digit's, then over all 11 outputs
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
    // Builds the classifier's Predictor (a second copy of the weights) if no drawing has needed
    // it yet; the page calls it in an idle frame once it is ready, so that an empty canvas does
    // not wait for it.
    void prepare_reading();
    bool reading_prepared() const { return !classifier_ || classifier_->prepared(); }
    double last_classify_ms() const { return last_classify_ms_; }

    // Median time in milliseconds of `runs` classifications (preprocess + forward) of the
    // current drawing (the median over batches of 10 calls of each batch's mean).
    double benchmark_classify_ms(int runs);

    // ---- learning the user's handwriting (core/finetune.h) ----------------------------------
    // Loads the rehearsal sample corrections train with from a rehearsal file; with no path,
    // prepare_learning generates one (data/generated_rehearsal.h), whose pen paths let the
    // model's pen-path network learn from corrections too (a file has none). Call after load_model. False
    // (corrections are off, and notice() says why) if the file cannot be read or no model is loaded.
    bool load_rehearsal(const std::string& path);
    bool can_learn() const { return (finetuner_.has_value() || rehearsal_maker_.has_value()) && model_loaded(); }
    // Pays the first correction's one-off costs now, once: generating the rehearsal sample when
    // there is no file, and its features (Finetuner::prepare).
    void prepare_learning();
    // The same in steps of about `budget_ms` each, so that the page stays responsive: a step
    // renders generated samples until its time is up; the step after the last sample computes
    // the features. True once learning is prepared (or cannot be: corrections are off).
    bool prepare_learning_for(double budget_ms);
    // True once prepare_learning(_for) has nothing left to do.
    bool learning_prepared() const { return learning_prepared_; }
    // The rehearsal sample's name (its file, or "generated rehearsal sample ..."); "" when
    // corrections are off.
    std::string rehearsal_name() const;
    // Learns that the current drawing is `label` (0-9, or kDigitClasses for "not a digit") and
    // reads it again at once. Does nothing when nothing is drawn.
    void learn(int label);
    int corrections() const { return corrections_; }
    double last_learn_ms() const { return last_learn_ms_; }
    // Back to the shipped model: every correction forgotten.
    void forget();
    // The model read with now, as a .fcnet file.
    std::vector<std::uint8_t> model_bytes(ModelCompression compression) const;
    // Counts changes of the model (learn, forget, use_personal_model), for whoever stores it.
    std::uint64_t model_revision() const { return model_revision_; }
    // Reads with a personal model stored earlier. Refuses, keeping the shipped model and saying
    // why in notice(), bytes that are corrupt or a model made from another shipped model
    // (fine_tuned_from: other layer sizes, class names, or first layers, which fine-tuning never changes).
    bool use_personal_model(const std::uint8_t* bytes, std::size_t size);
    // A message for the person (a stored model dropped, corrections off); "" when there is none.
    const std::string& notice() const { return notice_; }
    // The model read with now (load_model must have succeeded).
    const Model& model() const { return classifier_->model(); }
    bool download_requested = false;             // "Download model" was pressed; the page saves it

private:
    // Reads with `model` from now on, the shipped model kept aside first. Throws, changing
    // nothing, for a model that cannot read digits.
    void use_model(Model model);
    void model_changed();                        // read the drawing again; the page stores the model

    std::optional<DigitClassifier> classifier_;  // empty until a model is loaded
    std::string error_;
    ModelInfo model_info_;
    std::optional<Model> shipped_;               // the model as loaded while another is read with, for
                                                 // forget(); empty while the classifier reads with it
    std::optional<Finetuner> finetuner_;         // once a rehearsal sample is loaded or generated
    std::optional<GeneratedRehearsalMaker> rehearsal_maker_;  // no rehearsal file: the sample being generated
    bool learning_prepared_ = false;
    int corrections_ = 0;
    double last_learn_ms_ = 0;
    std::uint64_t model_revision_ = 0;
    std::string notice_;

    DigitImage network_input_;
    Trajectory network_path_{};  // the drawing's pen path, for a model with a pen-path network
    DigitPrediction calibrated_, raw_;
    std::uint64_t classified_revision_ = ~std::uint64_t{0};
    double last_classify_ms_ = 0;
};

// The canvas's strokes read as read_strokes (preprocess/stroke_reading.h) reads them, with the
// widest pen that drew them.
StrokeReading read_canvas(const Drawing& drawing);

}  // namespace fcnet::app
