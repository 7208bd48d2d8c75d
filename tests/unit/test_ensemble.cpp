// An ensemble folded into one network (core/ensemble.h) and `fcnet ensemble`, with `fcnet calibrate` after it.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "core/ensemble.h"
#include "data/load.h"
#include "io/model_file.h"
#include "support/test_support.h"

using namespace fcnet;

namespace {

// A network with its own input normalisation and temperature, so the ensemble must undo both.
Network member(const std::vector<int>& sizes, std::uint64_t seed, float mean, float stddev, float temperature,
               Activation hidden = Activation::relu) {
    Network network(sizes, hidden, seed);
    for (DenseLayer& layer : network.layers()) layer.bias = random_matrix(1, layer.outputs(), seed + 100, 0.3f);
    network.normalization = {mean, stddev};
    network.temperature = temperature;
    return network;
}

// mean over k of logits_k / T_k (rows x classes).
Matrix mean_calibrated_logits(const std::vector<const Network*>& members, const Matrix& x) {
    Matrix mean = Matrix::Zero(x.rows(), members.front()->classes());
    for (const Network* m : members) mean += m->logits(x) / m->temperature;
    return mean / float(members.size());
}

}  // namespace

TEST_CASE("an ensemble network's logits are the mean of its members' calibrated logits", "[ensemble]") {
    const Network a = member({6, 5, 4, 3}, 1, 0.2f, 0.5f, 1.5f);
    const Network b = member({6, 3, 7, 3}, 2, 0.1f, 0.3f, 0.8f);
    const Network c = member({6, 8, 2, 3}, 3, 0.0f, 1.0f, 1.0f);
    const Matrix x = random_matrix(20, 6, 9);  // rows x inputs

    const std::vector<const Network*> two{&a, &b}, three{&a, &b, &c};
    for (const auto* members : {&two, &three}) {
        const Network ensemble = ensemble_network(*members);
        const Matrix expected = mean_calibrated_logits(*members, x);
        CHECK((ensemble.logits(x) - expected).cwiseAbs().maxCoeff() < 1e-5f * (1 + expected.cwiseAbs().maxCoeff()));
        CHECK(ensemble.temperature == 1.0f);
        CHECK(ensemble.normalization.mean == a.normalization.mean);
        CHECK(ensemble.normalization.stddev == a.normalization.stddev);
    }

    SECTION("its layers are the members' side by side, then block-diagonal, then stacked") {
        const Network ensemble = ensemble_network(two);
        const auto& layers = ensemble.layers();
        REQUIRE(layers.size() == 3);
        CHECK(layers[0].inputs() == 6);
        CHECK(layers[0].outputs() == 5 + 3);
        CHECK(layers[1].inputs() == 5 + 3);
        CHECK(layers[1].outputs() == 4 + 7);
        CHECK(layers[2].inputs() == 4 + 7);
        CHECK(layers[2].outputs() == 3);
        CHECK(layers[1].weights.block(0, 4, 5, 7).isZero(0));  // a's hidden units never reach b's
        CHECK(layers[1].weights.block(5, 0, 3, 4).isZero(0));
        CHECK(layers[1].weights.block(0, 0, 5, 4) == a.layers()[1].weights);
        CHECK(ensemble.parameter_count() == 6 * 8 + 8 + 8 * 11 + 11 + 11 * 3 + 3);
    }
}

TEST_CASE("networks of one layer combine into one layer", "[ensemble]") {
    const Network a = member({6, 3}, 4, 0.3f, 0.7f, 2.0f);
    const Network b = member({6, 3}, 5, -0.1f, 1.2f, 0.5f);
    const Matrix x = random_matrix(10, 6, 10);
    const Network ensemble = ensemble_network({&a, &b});
    REQUIRE(ensemble.layers().size() == 1);
    CHECK((ensemble.logits(x) - mean_calibrated_logits({&a, &b}, x)).cwiseAbs().maxCoeff() < 1e-5f);
}

TEST_CASE("networks that do not fit together are refused", "[ensemble]") {
    const Network a = member({6, 5, 3}, 1, 0, 1, 1);
    CHECK_THAT(error_message([&] { ensemble_network({&a}); }), Catch::Contains("at least two networks, got 1"));
    const Network other_classes = member({6, 5, 4}, 2, 0, 1, 1);
    CHECK_THAT(error_message([&] { ensemble_network({&a, &other_classes}); }),
               Catch::Contains("member 2 maps 6 inputs to 4 classes, member 1 6 to 3"));
    const Network other_inputs = member({7, 5, 3}, 2, 0, 1, 1);
    CHECK_THAT(error_message([&] { ensemble_network({&a, &other_inputs}); }), Catch::Contains("maps 7 inputs"));
    const Network deeper = member({6, 5, 4, 3}, 3, 0, 1, 1);
    CHECK_THAT(error_message([&] { ensemble_network({&a, &deeper}); }),
               Catch::Contains("member 2 has 3 layers, member 1 2"));
    const Network tanh = member({6, 5, 3}, 4, 0, 1, 1, Activation::tanh);
    CHECK_THAT(error_message([&] { ensemble_network({&a, &tanh}); }),
               Catch::Contains("layer 1's activation differs from member 1's"));
}

TEST_CASE("fcnet ensemble writes the combined model, and fcnet calibrate fits it", "[ensemble][cli]") {
    const std::string dir = make_temp_dir();
    std::vector<Model> models(2);
    models[0].network = member({784, 12, 10}, 1, 0.13f, 0.31f, 1.2f);
    models[1].network = member({784, 9, 10}, 2, 0.14f, 0.30f, 0.9f);
    for (std::size_t k = 0; k < models.size(); ++k) {
        models[k].metadata["seed"] = "1";
        models[k].metadata["reject_confidence"] = "0.5";
        models[k].metadata["trained"] = "2026-01-0" + std::to_string(k + 1);
        models[k].metadata["train_seed"] = std::to_string(k + 1);
    }
    save_model(dir + "/a.fcnet", models[0]);
    save_model(dir + "/b.fcnet", models[1]);

    const CommandResult made = run_command(std::string(FCNET_CLI_PATH) + " ensemble " + dir + "/a.fcnet " + dir +
                                           "/b.fcnet --out " + dir + "/ab.fcnet --weights float16");
    REQUIRE(made.exit_code == 0);
    CHECK_THAT(made.output, Catch::Contains("the mean of 2 models' logits"));
    const Model ab = load_model(dir + "/ab.fcnet");
    CHECK(ab.weight_storage == WeightStorage::float16);
    CHECK(ab.metadata.count("reject_confidence") == 0);  // a member's threshold does not fit the ensemble
    CHECK_THAT(ab.metadata.at("ensemble"), Catch::Contains("2 models: "));
    CHECK(ab.metadata.count("trained") == 0);  // the members' dates are theirs
    CHECK(ab.metadata.at("member_1") == "784-12-10, trained 2026-01-01, train_seed 1");
    CHECK(ab.metadata.at("member_2") == "784-9-10, trained 2026-01-02, train_seed 2");
    const std::string built = ab.metadata.at("built");
    CHECK_THAT(built, Catch::Matches("20[0-9][0-9]-[01][0-9]-[0-3][0-9]"));
    CHECK(built >= "2026-01-03");
    const CommandResult info = run_command(std::string(FCNET_CLI_PATH) + " info --model " + dir + "/ab.fcnet");
    CHECK_THAT(info.output, Catch::Contains("built          " + built + " by fcnet ensemble; the mean of 2 models: "));
    CHECK_THAT(info.output, Catch::Contains("  member_2           784-9-10, trained 2026-01-02, train_seed 2\n"));
    const Matrix x = random_matrix(5, 784, 3).cwiseAbs();
    const Matrix expected = mean_calibrated_logits({&models[0].network, &models[1].network}, x);
    CHECK((ab.network.logits(x) - expected).cwiseAbs().maxCoeff() < 0.01f * (1 + expected.cwiseAbs().maxCoeff()));

    const CommandResult one = run_command(std::string(FCNET_CLI_PATH) + " ensemble " + dir + "/a.fcnet --out " + dir +
                                          "/one.fcnet 2>&1");
    CHECK(one.exit_code != 0);

    if (!has_idx_dataset(mnist_dir())) return;  // calibrating needs the data
    const CommandResult calibrated = run_command(std::string(FCNET_CLI_PATH) + " calibrate --model " + dir +
                                                 "/ab.fcnet --data " + mnist_dir() + " --out " + dir + "/abc.fcnet");
    REQUIRE(calibrated.exit_code == 0);
    const Model abc = load_model(dir + "/abc.fcnet");
    CHECK(abc.metadata.count("reject_confidence") == 1);
    CHECK(abc.metadata.count("test_accuracy") == 1);  // what info() and the module report
    CHECK(abc.metadata.at("test_data") == mnist_dir() + " (test), 10000 samples");
    CHECK(abc.metadata.at("built") == built);  // calibrating does not make a new model
}

TEST_CASE("info says an ensemble written before ensembles recorded their date carries its first member's", "[ensemble][cli]") {
    const std::string dir = make_temp_dir();
    Model older;
    older.network = member({784, 12, 10}, 1, 0.13f, 0.31f, 1.2f);
    older.metadata = {{"ensemble", "3 models: m1.fcnet, m2.fcnet, m3.fcnet"}, {"trained", "2026-12-04"}};
    save_model(dir + "/older.fcnet", older);
    const CommandResult info = run_command(std::string(FCNET_CLI_PATH) + " info --model " + dir + "/older.fcnet");
    CHECK_THAT(info.output, Catch::Contains("built          by fcnet ensemble on a date this file does not record; "
                                            "the mean of 3 models: m1.fcnet, m2.fcnet, m3.fcnet\n"
                                            "               (its 'trained' date, 2026-12-04, is its first member's"));
    CHECK_THAT(info.output, !Catch::Contains("trained        2026-12-04"));
}

TEST_CASE("calibrating a model with a not-a-digit class records the reported digit's accuracy beside the 11 outputs'",
          "[ensemble][cli]") {
    if (!has_idx_dataset(mnist_dir())) return;  // calibrating needs the data
    const std::string dir = make_temp_dir();
    Model model;
    model.network = member({784, 16, 11}, 4, 0.13f, 0.31f, 1.0f);
    model.network.layers().back().bias(0, 10) = 1.5f;  // "not a digit" takes many digits
    model.class_names = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "not a digit"};
    save_model(dir + "/eleven.fcnet", model);
    const CommandResult calibrated = run_command(std::string(FCNET_CLI_PATH) + " calibrate --model " + dir +
                                                 "/eleven.fcnet --data " + mnist_dir());
    INFO(calibrated.output);
    REQUIRE(calibrated.exit_code == 0);
    const Model recorded = load_model(dir + "/eleven.fcnet");

    const Dataset test = load_data(mnist_dir()).test;
    const Matrix logits = recorded.network.logits(test.features);  // 10000 x 11
    int right = 0, right_of_ten = 0;
    for (int i = 0; i < test.size(); ++i) {
        Eigen::Index all = 0, digit = 0;
        logits.row(i).maxCoeff(&all);
        logits.row(i).head(10).maxCoeff(&digit);
        right += all == test.labels[i], right_of_ten += digit == test.labels[i];
    }
    REQUIRE(right < right_of_ten);  // some digits go to "not a digit"
    CHECK(std::stod(recorded.metadata.at("test_accuracy")) == Approx(right / 10000.0).margin(1e-6));
    CHECK(std::stod(recorded.metadata.at("test_digit_accuracy")) == Approx(right_of_ten / 10000.0).margin(1e-6));
}
