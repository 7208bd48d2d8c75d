// Crash-safe saving: `fcnet train --out M` and `fcnet calibrate --out M` killed with SIGKILL at
// random moments (100 times each, most of them during a save) always leave M as the previous
// complete model or the new one, and the temporaries of killed saves do not pile up.
#include <catch2/catch.hpp>

#include <poll.h>
#include <signal.h>
#include <sys/inotify.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "io/model_file.h"
#include "support/test_support.h"

namespace {

constexpr int kKills = 100;
const std::string kModelName = "model.fcnet";
const std::string kTemporaryPrefix = kModelName + ".tmp-";

// 300 samples of 16 features in 3 classes (the class shifts 4 features), label first.
std::string small_dataset_csv() {
    std::mt19937 rng(5);
    std::normal_distribution<float> noise(0.0f, 1.0f);
    std::ostringstream csv;
    for (int i = 0; i < 300; ++i) {
        const int label = i % 3;
        csv << label;
        for (int f = 0; f < 16; ++f) csv << ',' << noise(rng) + (f / 4 == label ? 2.0f : 0.0f);
        csv << '\n';
    }
    return csv.str();
}

// Starts the fcnet command with `arguments`, its output thrown away.
pid_t start_fcnet(const std::vector<std::string>& arguments) {
    std::vector<char*> argv = {const_cast<char*>(FCNET_CLI_PATH)};
    for (const std::string& argument : arguments) argv.push_back(const_cast<char*>(argument.c_str()));
    argv.push_back(nullptr);
    std::fflush(nullptr);  // or the child would write our buffered output again
    const pid_t pid = fork();
    if (pid == 0) {
        std::freopen("/dev/null", "w", stdout);
        std::freopen("/dev/null", "w", stderr);
        execv(FCNET_CLI_PATH, argv.data());
        _exit(127);
    }
    REQUIRE(pid > 0);
    return pid;
}

// Waits until `count` temporaries of M have been created in the watched folder (a save has
// begun), or `limit` passes. Returns false on timeout.
bool wait_for_saves(int watch, int count, std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    alignas(inotify_event) char buffer[4096];
    while (count > 0) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return false;
        pollfd ready{watch, POLLIN, 0};
        if (poll(&ready, 1, static_cast<int>(left.count())) <= 0) return false;
        const ssize_t size = read(watch, buffer, sizeof buffer);
        for (ssize_t at = 0; at < size;) {
            const auto* event = reinterpret_cast<const inotify_event*>(buffer + at);
            if (event->len > 0 && std::string(event->name).rfind(kTemporaryPrefix, 0) == 0) --count;
            at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
        }
    }
    return true;
}

// The pids named by the temporaries of M in `folder`.
std::set<long> temporary_pids(const std::string& folder) {
    std::set<long> pids;
    for (const auto& entry : std::filesystem::directory_iterator(folder)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind(kTemporaryPrefix, 0) == 0) pids.insert(std::stol(name.substr(kTemporaryPrefix.size())));
    }
    return pids;
}

std::string read_if_present(const std::string& path) {
    return std::filesystem::exists(path) ? read_file(path) : std::string();
}

// One run killed at a random moment: a quarter at any time up to `horizon` after the start,
// the rest a random 0-3 ms after save number 1..`saves` began, which lands in the middle of many
// saves (writing and flushing a model takes milliseconds).
struct RunEnd {
    pid_t pid = 0;
    bool killed = false;  // false: it finished before the SIGKILL arrived
};
RunEnd run_and_kill(const std::vector<std::string>& arguments, const std::string& folder, int saves,
                    std::chrono::microseconds horizon, std::mt19937& rng) {
    const int watch = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
    REQUIRE(watch >= 0);
    REQUIRE(inotify_add_watch(watch, folder.c_str(), IN_CREATE) >= 0);
    RunEnd end;
    end.pid = start_fcnet(arguments);
    if (std::uniform_int_distribution<int>(0, 3)(rng) == 0) {
        std::this_thread::sleep_for(std::chrono::microseconds(
            std::uniform_int_distribution<long>(0, static_cast<long>(horizon.count()))(rng)));
    } else {
        wait_for_saves(watch, std::uniform_int_distribution<int>(1, saves)(rng), std::chrono::seconds(20));
        std::this_thread::sleep_for(std::chrono::microseconds(std::uniform_int_distribution<int>(0, 3000)(rng)));
    }
    kill(end.pid, SIGKILL);
    int status = 0;
    REQUIRE(waitpid(end.pid, &status, 0) == end.pid);
    close(watch);
    end.killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
    if (!end.killed) REQUIRE((WIFEXITED(status) && WEXITSTATUS(status) == 0));
    return end;
}

// Runs `arguments` (which save to folder/model.fcnet) until `kKills` of them were killed. After
// each run, M must be absent only if it was absent before, unchanged, or a complete model that
// `is_new(bytes, run)` accepts; the temporaries left must be the last run's own or those of
// runs killed since M last changed (a save removes the older ones before its rename).
// Returns how many kills left M changed, and how many landed during a save (a temporary of
// the killed run remains).
struct Tally {
    int runs = 0, kills = 0, changed = 0, during_save = 0;
};
template <typename Arguments, typename IsNew>
Tally kill_repeatedly(const std::string& folder, int saves, std::chrono::microseconds horizon,
                      Arguments&& arguments_for, IsNew&& is_new) {
    const std::string model = folder + "/" + kModelName;
    std::mt19937 rng(std::random_device{}());
    Tally tally;
    std::set<long> stale;  // temporaries of runs killed since M last changed
    while (tally.kills < kKills) {
        ++tally.runs;
        REQUIRE(tally.runs <= 4 * kKills);
        INFO("run " << tally.runs);
        const std::string before = read_if_present(model);
        const RunEnd end = run_and_kill(arguments_for(tally.runs), folder, saves, horizon, rng);
        tally.kills += end.killed;
        const std::string after = read_if_present(model);
        std::set<long> left = temporary_pids(folder);
        if (after.empty()) {
            REQUIRE(before.empty());  // absent only until the first save ever completes
        } else if (after != before) {
            CHECK_NOTHROW(fcnet::load_model(model));  // complete: every field and the CRC check
            CHECK(is_new(after, tally.runs));
            tally.changed += end.killed;
            stale.clear();
        } else {
            CHECK_NOTHROW(fcnet::load_model(model));
        }
        const bool own = left.erase(end.pid) > 0;
        tally.during_save += end.killed && own;
        for (const long pid : left) CHECK(stale.count(pid) == 1);  // no pile-up
        stale = left;
        if (own) stale.insert(end.pid);
    }
    return tally;
}

void report(const char* what, const Tally& tally) {
    std::printf("%s: %d runs, %d killed, %d kills during a save, %d kills after M changed\n", what, tally.runs,
                tally.kills, tally.during_save, tally.changed);
}

}  // namespace

TEST_CASE("train --out killed 100 times leaves the previous or the new checkpoint, never a broken file",
          "[cli][crash]") {
    const std::string data = make_temp_dir(), folder = make_temp_dir();
    write_file(data + "/train.csv", small_dataset_csv());
    const auto seed_of = [](int run) { return std::to_string(1000 + run); };
    const auto arguments = [&](int run) {
        return std::vector<std::string>{"train", "--data", data + "/train.csv", "--out", folder + "/" + kModelName,
                                        "--layers", "16,128,128,3", "--epochs", "100000", "--batch", "32", "--val",
                                        "0.3", "--test", "0", "--schedule", "constant", "--threads", "1", "--seed",
                                        seed_of(run)};
    };
    const auto is_new = [&](const std::string&, int run) {  // a checkpoint of this run, not an older one
        const fcnet::Model model = fcnet::load_model(folder + "/" + kModelName);
        return model.metadata.at("seed") == seed_of(run) && std::stoi(model.metadata.at("epochs")) >= 1;
    };
    const Tally tally = kill_repeatedly(folder, 3, std::chrono::milliseconds(300), arguments, is_new);
    report("train", tally);
    CHECK(tally.during_save >= 10);  // the kills did hit saves
    CHECK(tally.changed >= 10);

    // One more save completes: every temporary left by a killed save is gone.
    std::string command = FCNET_CLI_PATH;
    for (const std::string& argument : arguments(0)) command += " " + (argument == "100000" ? "2" : argument);
    REQUIRE(run_command(command).exit_code == 0);  // --epochs 2
    CHECK(temporary_pids(folder).empty());
}

TEST_CASE("calibrate --out killed 100 times leaves the previous or the new model, never a broken file",
          "[cli][crash]") {
    const std::string data = make_temp_dir(), folder = make_temp_dir(), expected = make_temp_dir();
    write_file(data + "/train.csv", small_dataset_csv());
    const std::string base = data + "/base.fcnet";
    REQUIRE(run_command(std::string(FCNET_CLI_PATH) + " train --data " + data + "/train.csv --out " + base +
                        " --layers 16,128,128,3 --epochs 2 --val 0.3 --test 0.1 --no-calibrate --threads 1")
                .exit_code == 0);
    // Each run calibrates on one of three validation sizes; each gives its own model.
    const std::vector<std::string> sizes = {"0.2", "0.3", "0.4"};
    const auto arguments_to = [&](const std::string& out, int run) {
        return std::vector<std::string>{"calibrate", "--model", base, "--data", data + "/train.csv", "--out", out,
                                        "--val", sizes[static_cast<std::size_t>(run) % sizes.size()]};
    };
    std::vector<std::string> results;
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < sizes.size(); ++i) {
        const std::vector<std::string> arguments = arguments_to(expected + "/" + sizes[i], static_cast<int>(i));
        std::string command = FCNET_CLI_PATH;
        for (const std::string& argument : arguments) command += " " + argument;
        REQUIRE(run_command(command).exit_code == 0);
        results.push_back(read_file(expected + "/" + sizes[i]));
    }
    const auto horizon = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start) /
                         static_cast<int>(sizes.size());
    const auto arguments = [&](int run) { return arguments_to(folder + "/" + kModelName, run); };
    const auto is_new = [&](const std::string& bytes, int run) {
        return bytes == results[static_cast<std::size_t>(run) % sizes.size()];
    };
    const Tally tally = kill_repeatedly(folder, 1, horizon, arguments, is_new);
    report("calibrate", tally);
    CHECK(tally.during_save >= 10);
    CHECK(tally.changed >= 3);  // the window between the rename and the exit is short

    REQUIRE(run_command(std::string(FCNET_CLI_PATH) + " calibrate --model " + base + " --data " + data +
                        "/train.csv --out " + folder + "/" + kModelName).exit_code == 0);
    CHECK(temporary_pids(folder).empty());  // one completed save removes every leftover
}
