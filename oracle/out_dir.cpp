// tl-check's report folder: staging, publishing, and cleaning up after runs that were killed.
#include "oracle/out_dir.h"

#include <cerrno>
#include <csignal>
#include <unistd.h>

#include "spec/error.h"

namespace tl::oracle {
namespace {

namespace fs = std::filesystem;

constexpr const char* kStagingPrefix = ".tl-check-staging-";

// Staging folders of processes that are gone (a run killed by SIGINT or SIGKILL cannot clean up).
void remove_orphaned_staging(const fs::path& out) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(out, ec)) {
    std::string name = e.path().filename().string();
    if (name.rfind(kStagingPrefix, 0) != 0) continue;
    char* end = nullptr;
    long pid = std::strtol(name.c_str() + std::char_traits<char>::length(kStagingPrefix), &end, 10);
    if (pid > 0 && *end == '\0' && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) fs::remove_all(e.path(), ec);
  }
}

void check(const std::error_code& ec, const std::string& what) {
  TL_CHECK_USER(!ec, what + ": " + ec.message());
}

}  // namespace

OutDir::OutDir(const std::string& out) : out_(out) {
  TL_CHECK_USER(!out.empty(), "--out: must not be empty");
  std::error_code ec;
  TL_CHECK_USER(!fs::exists(out_, ec) || fs::is_directory(out_, ec), "--out: '" + out + "' exists and is not a directory");
  fs::create_directories(out_, ec);
  check(ec, "--out: cannot create '" + out + "'");
  fs::path records = out_ / "discrepancies";
  TL_CHECK_USER(!fs::exists(fs::symlink_status(records, ec)) || fs::is_directory(records, ec),
                "--out: '" + records.string() + "' exists and is not a directory");
  remove_orphaned_staging(out_);
  staging_ = out_ / (kStagingPrefix + std::to_string(::getpid()));
  fs::remove_all(staging_, ec);
  fs::create_directories(staging_, ec);
  check(ec, "--out: cannot write in '" + out + "'");
}

OutDir::~OutDir() {
  std::error_code ec;
  fs::remove_all(staging_, ec);
}

void OutDir::publish() const {
  fs::path records = out_ / "discrepancies", fresh = staging_ / "discrepancies";
  std::error_code ec;
  if (fs::is_directory(records, ec)) {
    for (const auto& e : fs::directory_iterator(records, ec))
      if (e.path().extension() == ".json" && e.is_regular_file()) fs::remove(e.path(), ec);
    check(ec, "cannot remove the previous records in '" + records.string() + "'");
  }
  if (fs::is_directory(fresh, ec)) {
    fs::create_directories(records, ec);
    check(ec, "cannot create '" + records.string() + "'");
    for (const auto& e : fs::directory_iterator(fresh, ec)) {
      fs::rename(e.path(), records / e.path().filename(), ec);
      check(ec, "cannot move " + e.path().filename().string() + " into '" + records.string() + "'");
    }
  }
  for (const char* name : {"report.json", "report.md", "report.html"}) {
    fs::rename(staging_ / name, out_ / name, ec);
    check(ec, std::string("cannot move ") + name + " into '" + out_.string() + "'");
  }
}

}  // namespace tl::oracle
