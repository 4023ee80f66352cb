// The case lists (cases/case_lists.h): every entry is a valid case of its op, the first is the
// hand-checked example, the sizes cross every path the backends declare (and any path a backend
// might declare, with no edit to the lists), what cannot be crossed is named, and the run's case
// index reaches every entry.
#include <gtest/gtest.h>

#include <set>

#include "backend/backend.h"
#include "cases/case_lists.h"
#include "oracle/run.h"
#include "spec/infer.h"

namespace tl::oracle {
namespace {

CodePaths declared_paths(DType d) {
  CodePaths all;
  for (const char* name : {"eager", "cuda-emulated"})
    for (CodePath& p : backend::make_backend(name)->code_paths(d)) all.push_back(std::move(p));
  return all;
}

// Element counts of the first input over an op's list.
std::set<int64_t> first_input_sizes(OpId op, const CodePaths& paths) {
  std::set<int64_t> out;
  for (const ShapeCase& c : case_list(op, paths)) out.insert(c.example.inputs.at(0).numel());
  return out;
}

TEST(CaseLists, EveryEntryIsAValidCaseAndTheFirstIsTheHandCheckedExample) {
  for (DType d : {DType::f32, DType::f64}) {
    CodePaths paths = declared_paths(d);
    for (const OpInfo& info : kOpInfo) {
      std::vector<ShapeCase> list = case_list(info.id, paths);
      ASSERT_FALSE(list.empty()) << info.name;
      OpExample first = valid_example(info.id);
      EXPECT_EQ(list[0].example.inputs, first.inputs) << info.name;
      EXPECT_EQ(list[0].example.expected, first.expected) << info.name;
      std::set<std::string> labels;
      for (const ShapeCase& c : list) {
        EXPECT_NO_THROW(infer_shape(info.id, c.example.attrs, c.example.inputs, c.example.declared, "test")) << c.label;
        EXPECT_TRUE(labels.insert(c.label).second) << "repeated entry " << c.label;
      }
      if (op_family(info.id) != OpFamily::source) {
        EXPECT_GE(list.size(), 3u) << info.name << " has one shape";
      }
    }
  }
}

TEST(CaseLists, SizesCrossEveryDeclaredElementPathOfTheFastBackend) {
  CodePaths paths = backend::make_backend("eager")->code_paths(DType::f32);
  std::set<int64_t> sizes = first_input_sizes(OpId::exp, paths);
  int crossed = 0;
  for (const CodePath& p : paths) {
    if (p.axis != PathAxis::elements) continue;
    EXPECT_TRUE(sizes.count(p.size - 1) && sizes.count(p.size) && sizes.count(p.size + 1)) << p.what;
    ++crossed;
  }
  EXPECT_GE(crossed, 3);  // vector lanes, the vectorised functions' blocks, the parallel grain
  EXPECT_TRUE(sizes.count(0) && sizes.count(1)) << "empty and one-element tensors";
}

TEST(CaseLists, ANewlyDeclaredPathGetsCasesOnBothSidesWithoutEditingTheLists) {
  CodePaths paths = {{"a made-up block of 37", PathAxis::elements, 37},
                     {"a made-up k block of 41", PathAxis::gemm_k, 41},
                     {"a made-up row split at 23", PathAxis::outputs, 23}};
  std::set<int64_t> unary = first_input_sizes(OpId::tanh, paths);
  for (int64_t n : {36, 37, 38, 75}) EXPECT_TRUE(unary.count(n)) << n;
  std::set<int64_t> ks;
  for (const ShapeCase& c : case_list(OpId::matmul, paths)) ks.insert(c.example.inputs.at(0).dim(2));
  for (int64_t k : {40, 41, 42}) EXPECT_TRUE(ks.count(k)) << k;
  std::set<int64_t> rows;
  for (const ShapeCase& c : case_list(OpId::softmax, paths)) rows.insert(c.example.expected.numel() / 5);
  for (int64_t r : {22, 23, 24}) EXPECT_TRUE(rows.count(r)) << r;
}

TEST(CaseLists, ThePathsTooLargeToCrossAreNamed) {
  CodePaths cuda = backend::make_backend("cuda-emulated")->code_paths(DType::f32);
  std::vector<CodePath> left = uncrossed_paths(OpId::exp, cuda);
  ASSERT_EQ(left.size(), 1u);
  EXPECT_NE(left[0].what.find("grid-stride"), std::string::npos) << left[0].what;
  EXPECT_TRUE(uncrossed_paths(OpId::exp, backend::make_backend("eager")->code_paths(DType::f32)).empty());
}

TEST(CaseLists, TheRunReachesEveryEntryAndEachEntryMeetsSeveralGenerators) {
  for (Tier t : {Tier::smoke, Tier::unit})
    for (std::size_t entries : {1u, 2u, 5u, 6u, 7u, 10u, 23u, 40u}) {
      std::set<std::size_t> hit, kinds_of_entry_0;
      for (int64_t i = 0; i < static_cast<int64_t>(entries) * 2; ++i) {
        CaseSlot slot = case_slot(t, i, entries);
        hit.insert(slot.entry);
        if (slot.entry == 0) kinds_of_entry_0.insert(static_cast<std::size_t>(slot.kind));
      }
      EXPECT_EQ(hit.size(), entries) << tier_name(t) << " " << entries;
      EXPECT_GE(kinds_of_entry_0.size(), 2u) << tier_name(t) << " " << entries << ": an entry meets one generator only";
    }
}

}  // namespace
}  // namespace tl::oracle
