// Writes the seed corpus of the libFuzzer targets: one single-op graph per op and dtype
// (cases/op_cases.h shapes), in tl.ir.v1. Run: fuzz_make_corpus fuzz/corpus/ir
#include <cstdio>
#include <filesystem>

#include "cases/op_cases.h"
#include "spec/file_io.h"
#include "spec/json_io.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: fuzz_make_corpus DIR\n");
    return 2;
  }
  std::filesystem::create_directories(argv[1]);
  int count = 0;
  for (const tl::OpInfo& info : tl::kOpInfo) {
    for (tl::DType d : {tl::DType::f32, tl::DType::f64}) {
      tl::SplitMix64 rng(20261125);
      tl::oracle::OpCase c = tl::oracle::make_op_case(info.id, d, rng);
      std::string path = std::string(argv[1]) + "/op_" + std::string(info.name) + "_" + std::string(tl::dtype_name(d)) + ".json";
      tl::write_file_atomic(path, tl::graph_to_json(c.graph));
      ++count;
    }
  }
  std::printf("wrote %d graphs to %s\n", count, argv[1]);
  return 0;
}
