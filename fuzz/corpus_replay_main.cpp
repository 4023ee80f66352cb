// A main() for the libFuzzer targets in builds without libFuzzer (g++): runs every file of the
// given directories (or files) through LLVMFuzzerTestOneInput once, so CI replays the seed corpus
// and every committed crash reproducer. Prints how many inputs ran.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size);

namespace {

void run_file(const std::filesystem::path& p, int& count) {
  std::ifstream in(p, std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  ++count;
}

}  // namespace

int main(int argc, char** argv) {
  int count = 0;
  for (int i = 1; i < argc; ++i) {
    std::filesystem::path p(argv[i]);
    if (!std::filesystem::exists(p)) {
      std::fprintf(stderr, "corpus replay: error: '%s' does not exist\n", argv[i]);
      return 2;
    }
    if (std::filesystem::is_directory(p)) {
      for (const auto& e : std::filesystem::recursive_directory_iterator(p)) {
        if (e.is_regular_file()) run_file(e.path(), count);
      }
    } else {
      run_file(p, count);
    }
  }
  std::printf("corpus replay: %d inputs, no crash\n", count);
  return 0;
}
