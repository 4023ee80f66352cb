// tl-check's report folder (--out): created if needed, with a private staging folder inside where a
// run writes its records and report files; publish() moves them in at the end. A refused,
// failed or interrupted run therefore leaves the previous report and its records as they were.
#pragma once

#include <filesystem>
#include <string>

namespace tl::oracle {

class OutDir {
 public:
  // UserError naming --out when the folder, its discrepancies/ or the staging folder cannot be
  // made. Removes staging folders that runs which no longer exist left behind (killed by a signal).
  explicit OutDir(const std::string& out);
  OutDir(const OutDir&) = delete;
  OutDir& operator=(const OutDir&) = delete;
  ~OutDir();  // removes the staging folder (what publish() did not move)

  std::string staging() const { return staging_.string(); }
  // Replaces the .json records of out/discrepancies/ (anything else a user put there stays) with the
  // staged ones, then moves the staged report files in, each by one rename. UserError on failure.
  void publish() const;

 private:
  std::filesystem::path out_, staging_;
};

}  // namespace tl::oracle
