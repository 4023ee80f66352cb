// .npy reading and writing: round trips for both dtypes and several ranks (bytes checked against
// the format's definition), and malformed files rejected with a UserError.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>

#include "spec/npy.h"

namespace tl {
namespace {

std::string header_of(const std::string& bytes) {
  std::size_t len = static_cast<uint8_t>(bytes[8]) | (static_cast<uint8_t>(bytes[9]) << 8);
  return bytes.substr(10, len);
}

TEST(Npy, EncodedHeaderFollowsTheFormatAndAlignsDataTo64Bytes) {
  HostTensor t = HostTensor::from_values(Shape{2, 3}, std::vector<float>{1, 2, 3, 4, 5, 6});
  std::string bytes = encode_npy(t);
  EXPECT_EQ(bytes.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
  std::string header = header_of(bytes);
  std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
  EXPECT_EQ(header.substr(0, dict.size()), dict);
  EXPECT_EQ(header.back(), '\n');
  EXPECT_EQ((10 + header.size()) % 64, 0u);
  EXPECT_EQ(bytes.size(), 10 + header.size() + 24);
}

TEST(Npy, RankOneAndScalarShapesUsePythonTupleSyntax) {
  EXPECT_NE(header_of(encode_npy(HostTensor(DType::f64, Shape{5}))).find("'shape': (5,)"),
            std::string::npos);
  EXPECT_NE(header_of(encode_npy(HostTensor(DType::f64, Shape{}))).find("'shape': ()"),
            std::string::npos);
}

TEST(Npy, RoundTripsThroughAFileBitForBit) {
  auto dir = std::filesystem::temp_directory_path() / "tl_npy_test";
  std::filesystem::create_directories(dir);
  std::vector<HostTensor> cases = {
      HostTensor::from_values(Shape{3, 2}, std::vector<double>{0.1, -0.0, 1e308, -1e-320, 2, 3}),
      HostTensor::from_values(Shape{4}, std::vector<float>{1.5f, -INFINITY, 0x1p-149f, 7}),
      HostTensor(DType::f32, Shape{}), HostTensor(DType::f64, Shape{0, 3}),
      HostTensor(DType::f32, Shape{2, 1, 3, 1})};
  for (const HostTensor& t : cases) {
    std::string path = (dir / "t.npy").string();
    write_npy(path, t);
    EXPECT_TRUE(read_npy(path).bit_equal(t)) << t.shape().str();
  }
  std::filesystem::remove_all(dir);
}

TEST(Npy, AcceptsVersionTwoHeaders) {
  std::string v1 = encode_npy(HostTensor::from_values(Shape{1}, std::vector<float>{3}));
  std::string header = header_of(v1);
  std::string v2 = std::string("\x93NUMPY\x02\x00", 8);
  uint32_t len = static_cast<uint32_t>(header.size());
  for (int i = 0; i < 4; ++i) v2 += static_cast<char>((len >> (8 * i)) & 255);
  v2 += header + v1.substr(10 + header.size());
  EXPECT_EQ(parse_npy(v2, "v2").values<float>()[0], 3.0f);
}

std::string with_header(const std::string& dict, std::size_t data_bytes) {
  std::string h = dict + "\n";
  std::string out = std::string("\x93NUMPY\x01\x00", 8);
  out += static_cast<char>(h.size() & 255);
  out += static_cast<char>(h.size() >> 8);
  return out + h + std::string(data_bytes, '\0');
}

TEST(Npy, MalformedFilesAreUserErrorsNamingTheProblem) {
  struct Case { std::string bytes, message; };
  std::vector<Case> cases = {
      {"", "not a .npy file"},
      {"PK\x03\x04 this is a zip", "not a .npy file"},
      {std::string("\x93NUMPY\x09\x00", 8) + "xx", "unsupported .npy format version 9"},
      {std::string("\x93NUMPY\x01\x00\xff\x00", 10) + "{}", "truncated .npy header"},
      {with_header("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", 4), "'>f4'"},
      {with_header("{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }", 8), "'<i8'"},
      {with_header("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", 16), "Fortran"},
      {with_header("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", 8), "needs 12"},
      {with_header("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", 17), "needs 16"},
      {with_header("{'descr': '<f4', 'shape': (1,), }", 4), "missing key 'fortran_order'"},
      {with_header("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (1,)}", 4), "appears twice"},
      {with_header("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }", 4), "non-negative integer"},
      {with_header("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }", 4), "overflows"},
      {with_header("{'descr': '<f4', 'fortran_order': False, 'shape': (65536, 65536), }", 4), "above the limit"},
      {with_header("{'descr': '<f4', 'fortran_order': maybe, 'shape': (1,), }", 4), "True or False"},
      {with_header("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'extra': 1}", 4), "unknown key"},
      {with_header("{'descr': '<f4', 'fortran_order': False, 'shape': (1,", 4), "expected"},
  };
  for (const Case& c : cases) {
    try {
      parse_npy(c.bytes, "bad.npy");
      ADD_FAILURE() << "accepted, expecting " << c.message;
    } catch (const UserError& e) {
      std::string what = e.what();
      EXPECT_NE(what.find(c.message), std::string::npos) << what;
      EXPECT_NE(what.find("bad.npy"), std::string::npos) << what;
    }
  }
  EXPECT_THROW(read_npy("/nonexistent.npy"), UserError);
}

}  // namespace
}  // namespace tl
