// `fcnet evaluate --nondigits`: the "Not a digit" section for the shipped model on MNIST, generated non-digits and Fashion-MNIST.
#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "support/test_support.h"

namespace {

const std::string kFcnet = FCNET_CLI_PATH;
const std::string kModel = FCNET_SOURCE_DIR "/models/mnist.fcnet";

CommandResult run_fcnet(const std::string& environment, const std::string& arguments) {
    return run_command(environment + " " + kFcnet + " " + arguments);
}

}  // namespace

TEST_CASE("evaluate --nondigits reports rejection per kind, in total and on Fashion-MNIST", "[cli][nondigits]") {
    INFO("MNIST folder: " << mnist_dir() << " (set FCNET_MNIST_DIR to change it)");
    REQUIRE(has_idx_dataset(mnist_dir()));
    const bool fashion = has_idx_dataset(fashion_mnist_dir());
    const CommandResult evaluated = run_fcnet("FCNET_FASHION_MNIST_DIR=" + fashion_mnist_dir(),
                                              "evaluate --json --model " + kModel + " --data " + mnist_dir() +
                                                  " --nondigits 180");
    INFO(evaluated.output);
    REQUIRE(evaluated.exit_code == 0);
    const nlohmann::json section = nlohmann::json::parse(evaluated.output)["not_a_digit"];
    CHECK(section["digits"] == 10000);
    CHECK(section["nondigits"] == 180);
    CHECK(section["digits_accepted_at_threshold"].get<double>() >= 0.99);
    CHECK(section["digits_accepted_at_threshold"].get<double>() < 0.995);  // the threshold is not at 0

    // The reported digit ignores "not a digit": right wherever the 11-way argmax is, and at most
    // also for each digit that argmax gave to "not a digit".
    const nlohmann::json report = nlohmann::json::parse(evaluated.output);
    int read_as_nondigit = 0;
    for (int digit = 0; digit < 10; ++digit) read_as_nondigit += report["confusion"][digit][10].get<int>();
    const double accuracy = report["accuracy"], digit_accuracy = section["digit_accuracy"];
    CHECK(digit_accuracy >= accuracy);
    CHECK(digit_accuracy <= accuracy + read_as_nondigit / 10000.0 + 1e-12);
    CHECK(section["accepted_digit_accuracy"].get<double>() >= digit_accuracy);  // the doubtful ones go first
    const nlohmann::json& sets = section["sets"];
    REQUIRE(sets.size() == (fashion ? 11u : 10u));  // 9 kinds, all generated, Fashion-MNIST
    CHECK(sets[0]["name"] == "zigzag");
    CHECK(sets[0]["samples"] == 20);
    CHECK(sets[9]["name"] == "generated (all kinds)");
    CHECK(sets[9]["samples"] == 180);
    for (const auto& set : sets) {
        INFO(set.dump());
        CHECK(set["auroc"].get<double>() > 0.5);  // any digit model tells these apart better than chance
        CHECK(set["rejected_at_acceptance"].get<double>() >= 0.0);
        CHECK(set["rejected_at_acceptance"].get<double>() <= 1.0);
    }
    if (fashion) {
        CHECK(sets[10]["name"] == "Fashion-MNIST test");
        CHECK(sets[10]["samples"] == 10000);
    }
}

TEST_CASE("evaluate --nondigits without Fashion-MNIST says so and still reports the generated set", "[cli][nondigits]") {
    REQUIRE(has_idx_dataset(mnist_dir()));
    const std::string empty_dir = make_temp_dir();
    const CommandResult evaluated = run_fcnet("FCNET_FASHION_MNIST_DIR=" + empty_dir,
                                              "evaluate --model " + kModel + " --data " + mnist_dir() + " --nondigits 9");
    INFO(evaluated.output);
    REQUIRE(evaluated.exit_code == 0);
    CHECK_THAT(evaluated.output, Catch::Contains("Not a digit") && Catch::Contains("Fashion-MNIST skipped") &&
                                     Catch::Contains(empty_dir) && Catch::Contains("generated (all kinds)"));
}

TEST_CASE("evaluate --nondigits refuses a model that is not a digit model", "[cli][nondigits]") {
    const std::string dir = make_temp_dir();
    std::string csv = "label,a,b\n";
    for (int i = 0; i < 40; ++i) csv += std::to_string(i % 2) + "," + std::to_string(i % 2) + ",0.5\n";
    write_file(dir + "/tiny.csv", csv);
    REQUIRE(run_fcnet("", "train --data " + dir + "/tiny.csv --layers 2,4,2 --epochs 1 --out " + dir + "/tiny.fcnet")
                .exit_code == 0);
    const CommandResult evaluated =
        run_fcnet("", "evaluate --model " + dir + "/tiny.fcnet --data " + dir + "/tiny.csv --nondigits 9");
    CHECK(evaluated.exit_code != 0);
    CHECK_THAT(evaluated.output, Catch::Contains("tiny.fcnet: --nondigits") && Catch::Contains("a digit model takes 784"));
}

TEST_CASE("generated letters without the fonts fail naming the folder and the package", "[cli][nondigits]") {
    REQUIRE(has_idx_dataset(mnist_dir()));
    const std::string no_fonts = make_temp_dir();
    const CommandResult evaluated = run_fcnet("FCNET_FONT_DIR=" + no_fonts,
                                              "evaluate --model " + kModel + " --data " + mnist_dir() + " --nondigits 9");
    CHECK(evaluated.exit_code != 0);
    CHECK_THAT(evaluated.output, Catch::Contains("non-digit letters") && Catch::Contains(no_fonts) &&
                                     Catch::Contains("fonts-dejavu-core"));
}

namespace {

// The score `rule` gives one sample, from its 11 probabilities (digits, then "not a digit").
double expected_score(const std::string& rule, const std::vector<double>& p) {
    std::vector<double> digits(p.begin(), p.begin() + 10);
    std::sort(digits.rbegin(), digits.rend());
    double sum = 0;
    for (double d : digits) sum += d;
    if (rule == "logit-margin") return std::log(digits[0] / p[10]);
    if (rule == "energy") return std::log(sum / p[10]);
    return (digits[0] - digits[1]) * digits[0];  // margin
}

}  // namespace

TEST_CASE("evaluate --score puts each rule's threshold where 99% of the digits score at least", "[cli][nondigits]") {
    REQUIRE(has_idx_dataset(mnist_dir()));
    const std::string dir = make_temp_dir(), probabilities = dir + "/p.csv";
    for (const std::string rule : {"logit-margin", "energy", "margin"}) {
        INFO("--score " << rule);
        const CommandResult evaluated =
            run_fcnet("FCNET_FASHION_MNIST_DIR=" + dir, "evaluate --json --model " + kModel + " --data " + mnist_dir() +
                                                            " --nondigits 9 --score " + rule + " --probabilities " + probabilities);
        INFO(evaluated.output);
        REQUIRE(evaluated.exit_code == 0);
        const nlohmann::json section = nlohmann::json::parse(evaluated.output)["not_a_digit"];
        CHECK(section["score"] == rule);

        // The 101st lowest of the 10,000 test digits' scores, computed here from their probabilities.
        std::vector<double> scores;
        std::istringstream lines(read_file(probabilities));
        for (std::string line; std::getline(lines, line);) {
            std::vector<double> p;
            std::istringstream fields(line);
            for (std::string field; std::getline(fields, field, ',');) p.push_back(std::stod(field));
            REQUIRE(p.size() == 11u);
            scores.push_back(expected_score(rule, p));
        }
        REQUIRE(scores.size() == 10000u);
        std::nth_element(scores.begin(), scores.begin() + 100, scores.end());
        CHECK(section["threshold"].get<double>() == Approx(scores[100]).epsilon(1e-4).margin(1e-5));
        CHECK(section["digits_accepted_at_threshold"].get<double>() >= 0.99);
    }
}

TEST_CASE("evaluate --score logit-margin and energy need a \"not a digit\" class", "[cli][nondigits]") {
    REQUIRE(has_idx_dataset(mnist_dir()));
    const std::string dir = make_temp_dir();
    const CommandResult trained = run_fcnet("", "train --data " + mnist_dir() + " --train 1500 --val 300 --layers 784,32,10 "
                                                "--epochs 1 --threads 1 --out " + dir + "/ten.fcnet");
    REQUIRE(trained.exit_code == 0);
    const std::string evaluate = "evaluate --model " + dir + "/ten.fcnet --data " + mnist_dir() + " --nondigits 9 --score ";
    for (const std::string rule : {"logit-margin", "energy"}) {
        const CommandResult evaluated = run_fcnet("FCNET_FASHION_MNIST_DIR=" + dir, evaluate + rule);
        INFO(evaluated.output);
        CHECK(evaluated.exit_code != 0);
        CHECK_THAT(evaluated.output, Catch::Contains("the score " + rule + " needs a model whose 11th class is \"not a digit\""));
    }
    CHECK(run_fcnet("FCNET_FASHION_MNIST_DIR=" + dir, evaluate + "margin").exit_code == 0);
}
