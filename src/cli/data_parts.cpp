// The train / validation / test parts a command works on, split the same way by every command.
#include "cli/data_parts.h"

#include <sstream>

#include "core/error.h"
#include "core/large_matrix.h"
#include "data/load.h"

namespace fcnet::cli {

namespace {

std::string number(double value) {
    std::ostringstream out;
    out.precision(10);
    out << value;
    return out.str();
}

double metadata_number(const Model& model, const std::string& key, double fallback) {
    const auto found = model.metadata.find(key);
    if (found == model.metadata.end()) return fallback;
    try {
        return std::stod(found->second);
    } catch (const std::exception&) {
        throw Error("model metadata '" + key + "' is not a number: '" + found->second + "'");
    }
}

Dataset concatenate(const Dataset& a, const Dataset& b) {
    Dataset all = a;
    all.features = large_matrix(a.size() + b.size(), a.feature_count());
    all.features << a.features, b.features;
    all.labels.insert(all.labels.end(), b.labels.begin(), b.labels.end());
    all.classes = std::max(a.classes, b.classes);
    return all;
}

}  // namespace

DataParts load_parts(const std::string& path, const PartSizes& sizes) {
    LoadedData loaded = load_data(path);
    DataParts parts;
    SplitSizes split_sizes{sizes.train, sizes.validation, loaded.has_test ? 0.0 : sizes.test};
    Split split = split_dataset(std::move(loaded.train), split_sizes, sizes.seed, sizes.stratified);
    parts.train = std::move(split.train);
    parts.validation = std::move(split.validation);
    parts.test = loaded.has_test ? std::move(loaded.test) : std::move(split.test);
    const int classes = std::max({parts.train.classes, parts.validation.classes, parts.test.classes});
    parts.train.name = path + " (train)";
    parts.validation.name = path + " (validation)";
    parts.test.name = path + " (test)";
    for (Dataset* part : {&parts.train, &parts.validation, &parts.test}) part->classes = classes;
    return parts;
}

PartSizes part_sizes_from(const Model& model) {
    PartSizes sizes;
    sizes.train = metadata_number(model, "split_train", sizes.train);
    sizes.validation = metadata_number(model, "split_validation", sizes.validation);
    sizes.test = metadata_number(model, "split_test", sizes.test);
    if (const auto seed = model.metadata.find("seed"); seed != model.metadata.end()) {
        try {
            sizes.seed = std::stoull(seed->second);
        } catch (const std::exception&) {
            throw Error("model metadata 'seed' is not a whole number: '" + seed->second + "'");
        }
    }
    sizes.stratified = metadata_number(model, "split_stratified", 0) != 0;
    return sizes;
}

void record_part_sizes(const PartSizes& sizes, Model& model) {
    model.metadata["split_train"] = number(sizes.train);
    model.metadata["split_validation"] = number(sizes.validation);
    model.metadata["split_test"] = number(sizes.test);
    model.metadata["seed"] = std::to_string(sizes.seed);
    model.metadata["split_stratified"] = sizes.stratified ? "1" : "0";
}

Dataset select_part(DataParts parts, const std::string& name) {
    if (name == "train") return std::move(parts.train);
    if (name == "validation") return std::move(parts.validation);
    if (name == "test") return std::move(parts.test);
    if (name == "all") return concatenate(concatenate(parts.train, parts.validation), parts.test);
    throw Error("unknown data part '" + name + "' (expected train, validation, test or all)");
}

}  // namespace fcnet::cli
