// .npy reading and writing. The header is a Python dict literal; only the three keys NumPy writes
// (descr, fortran_order, shape) are accepted, each exactly once.
#include "spec/npy.h"

#include <cstring>
#include <map>

#include "spec/file_io.h"

namespace tl {
namespace {

constexpr std::string_view kMagic = "\x93NUMPY";

struct HeaderCursor {
  std::string_view text;
  std::size_t pos = 0;
  std::string what;

  [[noreturn]] void fail(const std::string& problem) const {
    throw UserError(what + ": bad .npy header (" + problem + ") in: " + std::string(text));
  }
  void skip_space() {
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\n')) ++pos;
  }
  bool accept(char c) {
    skip_space();
    if (pos < text.size() && text[pos] == c) { ++pos; return true; }
    return false;
  }
  void expect(char c) {
    if (!accept(c)) fail(std::string("expected '") + c + "'");
  }
  std::string quoted() {
    skip_space();
    if (pos >= text.size() || (text[pos] != '\'' && text[pos] != '"')) fail("expected a string");
    char q = text[pos++];
    std::size_t end = text.find(q, pos);
    if (end == std::string_view::npos) fail("unterminated string");
    std::string s(text.substr(pos, end - pos));
    pos = end + 1;
    return s;
  }
  int64_t integer() {
    skip_space();
    std::size_t start = pos;
    int64_t v = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, text[pos] - '0', &v)) {
        fail("dimension overflows int64");
      }
      ++pos;
    }
    if (pos == start) fail("expected a non-negative integer dimension");
    if (pos < text.size() && text[pos] == 'L') ++pos;  // Python 2 long suffix
    return v;
  }
  bool boolean() {
    skip_space();
    if (text.substr(pos, 4) == "True") { pos += 4; return true; }
    if (text.substr(pos, 5) == "False") { pos += 5; return false; }
    fail("expected True or False");
  }
  Dims tuple() {
    expect('(');
    Dims dims;
    while (!accept(')')) {
      dims.push_back(integer());
      if (!accept(',')) { expect(')'); break; }
    }
    return dims;
  }
};

struct NpyHeader {
  std::string descr;
  bool fortran_order = false;
  Dims shape;
};

NpyHeader parse_header(std::string_view text, const std::string& what) {
  HeaderCursor c{text, 0, what};
  NpyHeader h;
  std::map<std::string, int> seen;
  c.expect('{');
  while (!c.accept('}')) {
    std::string key = c.quoted();
    if (++seen[key] > 1) c.fail("key '" + key + "' appears twice");
    c.expect(':');
    if (key == "descr") h.descr = c.quoted();
    else if (key == "fortran_order") h.fortran_order = c.boolean();
    else if (key == "shape") h.shape = c.tuple();
    else c.fail("unknown key '" + key + "'");
    if (!c.accept(',')) { c.expect('}'); break; }
  }
  for (const char* key : {"descr", "fortran_order", "shape"}) {
    if (!seen.count(key)) c.fail(std::string("missing key '") + key + "'");
  }
  return h;
}

DType dtype_from_descr(const std::string& descr, const std::string& what) {
  if (descr == "<f4") return DType::f32;
  if (descr == "<f8") return DType::f64;
  throw UserError(what + ": unsupported .npy dtype '" + descr +
                  "' (only little-endian float32 '<f4' and float64 '<f8' are supported)");
}

uint64_t read_le(std::string_view bytes, std::size_t offset, std::size_t width) {
  uint64_t v = 0;
  for (std::size_t i = 0; i < width; ++i) {
    v |= static_cast<uint64_t>(static_cast<uint8_t>(bytes[offset + i])) << (8 * i);
  }
  return v;
}

}  // namespace

HostTensor parse_npy(std::string_view bytes, std::string_view what_view) {
  std::string what(what_view);
  TL_CHECK_USER(bytes.size() >= 10 && bytes.substr(0, 6) == kMagic,
                what + ": not a .npy file (missing \\x93NUMPY magic)");
  int major = static_cast<uint8_t>(bytes[6]);
  TL_CHECK_USER(major >= 1 && major <= 3,
                what + ": unsupported .npy format version " + std::to_string(major));
  std::size_t len_width = major == 1 ? 2 : 4;
  TL_CHECK_USER(bytes.size() >= 8 + len_width, what + ": truncated .npy header");
  uint64_t header_len = read_le(bytes, 8, len_width);
  std::size_t data_start = 8 + len_width + header_len;
  TL_CHECK_USER(header_len <= bytes.size() && data_start <= bytes.size(),
                what + ": truncated .npy header (declares " + std::to_string(header_len) +
                    " bytes)");
  NpyHeader h = parse_header(bytes.substr(8 + len_width, header_len), what);
  DType dtype = dtype_from_descr(h.descr, what);
  TL_CHECK_USER(!h.fortran_order, what + ": Fortran-order .npy arrays are not supported");
  HostTensor t(dtype, Shape(h.shape, what));
  std::size_t payload = bytes.size() - data_start;
  TL_CHECK_USER(payload == t.nbytes(), what + ": .npy data has " + std::to_string(payload) +
                                           " bytes but shape " + t.shape().str() + " of " +
                                           std::string(dtype_name(dtype)) + " needs " +
                                           std::to_string(t.nbytes()));
  if (t.nbytes()) std::memcpy(t.bytes(), bytes.data() + data_start, t.nbytes());
  return t;
}

std::string encode_npy(const HostTensor& t) {
  // Python tuple syntax: "()", "(5,)", "(2, 3)".
  std::string shape = "(";
  for (std::size_t i = 0; i < t.shape().dims().size(); ++i) {
    if (i) shape += ", ";
    shape += std::to_string(t.shape().dims()[i]);
  }
  shape += t.shape().rank() == 1 ? ",)" : ")";
  std::string descr = t.dtype() == DType::f32 ? "<f4" : "<f8";
  std::string dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
  // Pad with spaces so that magic + version + length + dict + '\n' is a multiple of 64 bytes.
  std::size_t total = 10 + dict.size() + 1;
  dict.append((64 - total % 64) % 64, ' ');
  dict += '\n';
  TL_CHECK_USER(dict.size() <= 65535, "encode_npy: header too long for format 1.0");
  std::string out(kMagic);
  out += '\x01';
  out += '\x00';
  out += static_cast<char>(dict.size() & 255);
  out += static_cast<char>(dict.size() >> 8);
  out += dict;
  out.append(reinterpret_cast<const char*>(t.bytes()), t.nbytes());
  return out;
}

HostTensor read_npy(const std::string& path) { return parse_npy(read_file(path), path); }

void write_npy(const std::string& path, const HostTensor& t) {
  write_file_atomic(path, encode_npy(t));
}

}  // namespace tl
