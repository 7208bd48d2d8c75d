// Whole-file reads and crash-safe whole-file writes (POSIX; the browser's in-memory file system under Emscripten).
#include "io/file_system.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <sstream>

#include "core/error.h"

namespace fcnet {

namespace {

std::string os_reason(int error_number) { return std::strerror(error_number); }

// Closes a POSIX file descriptor when it goes out of scope (errors from an early close are
// irrelevant there: the caller is already reporting a failure).
struct FileDescriptor {
    int fd = -1;
    explicit FileDescriptor(int descriptor) : fd(descriptor) {}
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    ~FileDescriptor() {
        if (fd >= 0) ::close(fd);
    }
    // Closes now and returns 0, or the errno of a failed close.
    int close_now() {
        const int result = ::close(fd);
        fd = -1;
        return result == 0 ? 0 : errno;
    }
};

// ---- the one platform difference: flushing to stable storage ---------------------------
// Emscripten's file systems live in memory (or are persisted by the page), so there is no
// disk to flush; natively, fsync makes the data durable before the rename publishes it.
int sync_to_disk(int fd) {
#ifdef __EMSCRIPTEN__
    (void)fd;
    return 0;
#else
    return ::fsync(fd) == 0 ? 0 : errno;
#endif
}

// Makes the rename itself durable by flushing the folder that holds the entry. Some file
// systems refuse to fsync a directory; the new file is already complete then, so that is
// not reported as a failed save.
void sync_directory_of(const std::string& path) {
#ifndef __EMSCRIPTEN__
    const std::size_t slash = path.find_last_of('/');
    const std::string directory = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
    FileDescriptor dir(::open(directory.c_str(), O_RDONLY | O_CLOEXEC));
    if (dir.fd >= 0) ::fsync(dir.fd);
#else
    (void)path;
#endif
}

// Whether the process that made a temporary file (its pid is in the name) has ended. In the
// browser there is one process and no kill(); its temporaries are never stale.
bool process_ended(long pid) {
#ifdef __EMSCRIPTEN__
    (void)pid;
    return false;
#else
    return pid > 0 && pid != ::getpid() && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
#endif
}

// Removes the temporaries that saves to `path` by processes that have ended left behind (a save
// killed before its rename), so repeated crashes do not pile them up next to the file.
void remove_stale_temporaries_of(const std::string& path) {
    const std::size_t slash = path.find_last_of('/');
    const std::string directory = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
    const std::string prefix = (slash == std::string::npos ? path : path.substr(slash + 1)) + ".tmp-";
    DIR* folder = ::opendir(directory.c_str());
    if (folder == nullptr) return;
    while (const dirent* entry = ::readdir(folder)) {
        const std::string name = entry->d_name;
        if (name.compare(0, prefix.size(), prefix) != 0) continue;
        char* end = nullptr;
        const long pid = std::strtol(name.c_str() + prefix.size(), &end, 10);  // "<pid>-<random hex>"
        if (end == name.c_str() + prefix.size() || *end != '-' || !process_ended(pid)) continue;
        ::unlink((directory + "/" + name).c_str());
    }
    ::closedir(folder);
}

std::string temporary_path_for(const std::string& path) {
    thread_local std::mt19937_64 rng{std::random_device{}()};
    std::ostringstream name;
    name << path << ".tmp-" << ::getpid() << '-' << std::hex << rng();
    return name.str();
}

// Writes all bytes, retrying short writes and interrupted calls. Returns 0 or an errno.
int write_all(int fd, const std::uint8_t* data, std::size_t size) {
    while (size > 0) {
        const ssize_t written = ::write(fd, data, size);
        if (written < 0) {
            if (errno == EINTR) continue;
            return errno;
        }
        data += written;
        size -= static_cast<std::size_t>(written);
    }
    return 0;
}

}  // namespace

std::vector<std::uint8_t> read_binary_file(const std::string& path, std::uint64_t max_size) {
    FileDescriptor file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (file.fd < 0) throw Error(path + ": cannot open: " + os_reason(errno));
    struct stat info;
    if (::fstat(file.fd, &info) != 0) throw Error(path + ": cannot read: " + os_reason(errno));
    if (S_ISDIR(info.st_mode)) throw Error(path + ": cannot read: " + os_reason(EISDIR));
    const std::uint64_t size = static_cast<std::uint64_t>(info.st_size);
    if (size > max_size) {
        throw Error(path + ": file is " + std::to_string(size) + " bytes, more than the " +
                    std::to_string(max_size) + " bytes accepted");
    }
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(size));
    std::size_t filled = 0;
    while (filled < bytes.size()) {
        const ssize_t got = ::read(file.fd, bytes.data() + filled, bytes.size() - filled);
        if (got < 0) {
            if (errno == EINTR) continue;
            throw Error(path + ": cannot read: " + os_reason(errno));
        }
        if (got == 0) break;  // the file shrank while we read it
        filled += static_cast<std::size_t>(got);
    }
    bytes.resize(filled);
    return bytes;
}

void write_file_atomically(const std::string& path, const std::uint8_t* data, std::size_t size) {
    remove_stale_temporaries_of(path);  // before the rename: a file that changed has no older leftovers
    std::string temporary;
    int fd = -1;
    for (int attempt = 0; attempt < 8 && fd < 0; ++attempt) {  // a name clash is astronomically rare
        temporary = temporary_path_for(path);
        fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 && errno != EEXIST) break;
    }
    if (fd < 0) {
        throw Error(path + ": cannot create temporary file '" + temporary + "': " + os_reason(errno));
    }
    FileDescriptor file(fd);
    auto fail = [&](const std::string& step, int error_number) {
        if (file.fd >= 0) file.close_now();
        std::remove(temporary.c_str());
        throw Error(path + ": " + step + ": " + os_reason(error_number));
    };
    if (int error_number = write_all(file.fd, data, size)) fail("cannot write temporary file", error_number);
    if (int error_number = sync_to_disk(file.fd)) fail("cannot flush temporary file to disk", error_number);
    if (int error_number = file.close_now()) fail("cannot close temporary file", error_number);
    if (std::rename(temporary.c_str(), path.c_str()) != 0) fail("cannot replace the file", errno);
    sync_directory_of(path);
}

}  // namespace fcnet
