// Finding a dataset's files (an IDX folder, a CSV folder or one CSV file) and reading them.
#include "data/load.h"

#include <algorithm>
#include <filesystem>
#include <optional>

#include "core/error.h"
#include "data/csv.h"
#include "data/idx.h"

namespace fcnet {
namespace {

namespace fs = std::filesystem;

// The path of `name` or `name`.gz in `folder`, whichever exists (the raw file first).
std::optional<std::string> find_idx(const fs::path& folder, const std::string& name) {
    for (const fs::path& candidate : {folder / name, folder / (name + ".gz")}) {
        if (fs::is_regular_file(candidate)) return candidate.string();
    }
    return std::nullopt;
}

// The test part goes with the train part: same features, classes counted over both.
void attach_test(LoadedData& data, Dataset test) {
    if (test.feature_count() != data.train.feature_count()) {
        throw Error("dataset " + test.name + ": " + std::to_string(test.feature_count()) +
                    " features per sample, but the train part has " +
                    std::to_string(data.train.feature_count()));
    }
    const int classes = std::max(data.train.classes, test.classes);
    data.train.classes = classes;
    test.classes = classes;
    data.test = std::move(test);
    data.has_test = true;
}

LoadedData load_idx_folder(const fs::path& folder, const std::string& train_images,
                           const std::string& train_labels) {
    const std::string name = "mnist-like IDX in " + folder.string();
    LoadedData data;
    data.train = load_idx_pair(train_images, train_labels, name + " (train)");
    const auto test_images = find_idx(folder, "t10k-images-idx3-ubyte");
    const auto test_labels = find_idx(folder, "t10k-labels-idx1-ubyte");
    if (test_images.has_value() != test_labels.has_value()) {
        throw Error("IDX folder " + folder.string() + ": has " +
                    (test_images
                         ? "t10k-images-idx3-ubyte[.gz] but no t10k-labels-idx1-ubyte[.gz]"
                         : "t10k-labels-idx1-ubyte[.gz] but no t10k-images-idx3-ubyte[.gz]"));
    }
    if (test_images) attach_test(data, load_idx_pair(*test_images, *test_labels, name + " (test)"));
    return data;
}

LoadedData load_folder(const fs::path& folder) {
    const auto train_images = find_idx(folder, "train-images-idx3-ubyte");
    const auto train_labels = find_idx(folder, "train-labels-idx1-ubyte");
    if (train_images && train_labels) return load_idx_folder(folder, *train_images, *train_labels);
    if (train_images || train_labels) {
        throw Error("IDX folder " + folder.string() + ": has " +
                    (train_images
                         ? "train-images-idx3-ubyte[.gz] but no train-labels-idx1-ubyte[.gz]"
                         : "train-labels-idx1-ubyte[.gz] but no train-images-idx3-ubyte[.gz]"));
    }
    if (fs::is_regular_file(folder / "train.csv")) {
        LoadedData data;
        data.train = read_csv((folder / "train.csv").string());
        if (fs::is_regular_file(folder / "test.csv")) {
            attach_test(data, read_csv((folder / "test.csv").string()));
        }
        return data;
    }
    throw Error("no dataset in folder " + folder.string() +
                ": looked for train-images-idx3-ubyte[.gz] with train-labels-idx1-ubyte[.gz] "
                "(and optionally t10k-images-idx3-ubyte[.gz] with t10k-labels-idx1-ubyte[.gz]), "
                "or train.csv (and optionally test.csv)");
}

}  // namespace

LoadedData load_data(const std::string& path) {
    std::error_code ignored;
    const fs::file_status status = fs::status(path, ignored);
    if (fs::is_directory(status)) return load_folder(path);
    if (fs::is_regular_file(status) && fs::path(path).extension() == ".csv") {
        LoadedData data;
        data.train = read_csv(path);
        return data;
    }
    throw Error("no dataset at " + path + (fs::exists(status) ? "" : " (no such file or folder)") +
                ": expected a folder holding train-images-idx3-ubyte[.gz] and "
                "train-labels-idx1-ubyte[.gz] (optionally t10k-*), a folder holding train.csv "
                "(optionally test.csv), or a .csv file");
}

}  // namespace fcnet
