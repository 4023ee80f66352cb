// Checkpoint writing and reading (this machine is little-endian: x86-64; the format says so).
#include "runtime/checkpoint.h"

#include <cmath>
#include <cstdio>
#include <cstring>

#include "spec/error.h"
#include "spec/file_io.h"

namespace tl::rt {
namespace {

constexpr char kMagic[8] = {'T', 'L', 'C', 'K', 'P', 'T', '0', '1'};

template <class V> void put(std::string& out, V v) { out.append(reinterpret_cast<const char*>(&v), sizeof v); }

class Reader {
 public:
  Reader(const std::string& bytes, const std::string& path) : b_(bytes), path_(path) {}
  template <class V> V get(const char* what) {
    V v;
    take(&v, sizeof v, what);
    return v;
  }
  void take(void* dst, std::size_t n, const char* what) {
    TL_CHECK_USER(n <= b_.size() - at_, path_ + ": truncated checkpoint (while reading " + what + ")");
    std::memcpy(dst, b_.data() + at_, n);
    at_ += n;
  }
  bool done() const { return at_ == b_.size(); }
  std::size_t left() const { return b_.size() - at_; }

 private:
  const std::string& b_;
  const std::string& path_;
  std::size_t at_ = 0;
};

std::vector<std::pair<std::string, HostTensor*>> tensors_of(ModelState& s) {
  std::vector<std::pair<std::string, HostTensor*>> out;
  for (const std::string& n : s.param_names) out.emplace_back(n, &s.params.at(n));
  for (const std::string& n : s.buffer_names) out.emplace_back(n, &s.buffers.at(n));
  return out;
}

}  // namespace

void save_checkpoint(const std::string& path, const ModelState& state) {
  std::string out(kMagic, sizeof kMagic);
  put<uint32_t>(out, state.dtype == DType::f32 ? 0 : 1);
  auto tensors = tensors_of(const_cast<ModelState&>(state));
  put<uint32_t>(out, static_cast<uint32_t>(tensors.size()));
  for (const auto& [name, t] : tensors) {
    put<uint32_t>(out, static_cast<uint32_t>(name.size()));
    out += name;
    put<uint32_t>(out, static_cast<uint32_t>(t->shape().rank()));
    for (int64_t d : t->shape().dims()) put<int64_t>(out, d);
    out.append(reinterpret_cast<const char*>(t->bytes()), t->nbytes());
  }
  write_file_atomic(path, out);
}

namespace {

// Loading NaN or infinite parameters is allowed (PyTorch allows it), but said once on stderr: the
// first loss would otherwise be non-finite with no word of why.
template <class Named>
void warn_if_not_finite(const std::string& path, const Named& tensors, const std::vector<HostTensor>& loaded) {
  int64_t bad = 0;
  std::string first;
  for (std::size_t i = 0; i < loaded.size(); ++i)
    for (int64_t k = 0; k < loaded[i].numel(); ++k)
      if (!std::isfinite(loaded[i].value_as_double(k)) && bad++ == 0)
        first = "'" + tensors[i].first + "' element " + std::to_string(k);
  if (bad > 0)
    std::fprintf(stderr, "warning: %s holds %lld non-finite parameter values (the first: %s)\n", path.c_str(),
                 static_cast<long long>(bad), first.c_str());
}

}  // namespace

void load_checkpoint(const std::string& path, ModelState& state) {
  std::string bytes = read_file(path);
  Reader r(bytes, path);
  char magic[8];
  r.take(magic, sizeof magic, "the magic");
  TL_CHECK_USER(std::memcmp(magic, kMagic, sizeof magic) == 0, path + ": not a TorchLean checkpoint (bad magic)");
  uint32_t dtype = r.get<uint32_t>("the dtype");
  TL_CHECK_USER(dtype == (state.dtype == DType::f32 ? 0u : 1u),
                path + ": checkpoint dtype differs from the model's (" + std::string(dtype_name(state.dtype)) + ")");
  auto tensors = tensors_of(state);
  uint32_t count = r.get<uint32_t>("the tensor count");
  TL_CHECK_USER(count == tensors.size(), path + ": " + std::to_string(count) + " tensors, the model has " + std::to_string(tensors.size()));
  std::vector<HostTensor> loaded;
  for (const auto& [name, t] : tensors) {
    uint32_t name_length = r.get<uint32_t>("a name length");
    TL_CHECK_USER(name_length <= r.left(), path + ": truncated checkpoint (name length " + std::to_string(name_length) + ")");
    std::string got(name_length, '\0');
    r.take(got.data(), got.size(), "a name");
    TL_CHECK_USER(got == name, path + ": found tensor '" + got + "' where the model has '" + name + "'");
    uint32_t rank = r.get<uint32_t>("a rank");
    TL_CHECK_USER(rank == static_cast<uint32_t>(t->shape().rank()), path + ": '" + name + "' has rank " + std::to_string(rank) +
                                                                      ", the model " + std::to_string(t->shape().rank()));
    Dims dims(rank);
    std::string dims_text;
    for (int64_t& d : dims) {
      d = r.get<int64_t>("a dimension");
      dims_text += (dims_text.empty() ? "" : ",") + std::to_string(d);
    }
    TL_CHECK_USER(dims == t->shape().dims(), path + ": '" + name + "' has shape [" + dims_text + "], the model " + t->shape().str());
    HostTensor value(t->dtype(), t->shape());
    r.take(value.bytes(), value.nbytes(), "values");
    loaded.push_back(std::move(value));
  }
  TL_CHECK_USER(r.done(), path + ": trailing bytes after the last tensor");
  warn_if_not_finite(path, tensors, loaded);
  for (std::size_t i = 0; i < tensors.size(); ++i) *tensors[i].second = std::move(loaded[i]);
}

}  // namespace tl::rt
