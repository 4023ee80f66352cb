// File reading/writing helpers and base64.
#include "spec/file_io.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

#include "spec/error.h"

namespace tl {

std::string read_file(const std::string& path, std::size_t max_bytes) {
  struct stat info {};
  TL_CHECK_USER(::stat(path.c_str(), &info) == 0, "cannot open '" + path + "': " + std::strerror(errno));
  TL_CHECK_USER(S_ISREG(info.st_mode), "cannot read '" + path + "': not a regular file");
  std::ifstream in(path, std::ios::binary);
  TL_CHECK_USER(in.good(), "cannot open '" + path + "': " + std::strerror(errno));
  in.seekg(0, std::ios::end);
  std::streamoff size = in.tellg();
  TL_CHECK_USER(size >= 0, "cannot read '" + path + "' (not a regular file?)");
  TL_CHECK_USER(static_cast<std::size_t>(size) <= max_bytes,
                "'" + path + "' is " + std::to_string(size) + " bytes, above the limit of " +
                    std::to_string(max_bytes));
  std::string data(static_cast<std::size_t>(size), '\0');
  in.seekg(0, std::ios::beg);
  in.read(data.data(), size);
  TL_CHECK_USER(in.gcount() == size, "short read from '" + path + "'");
  return data;
}

std::string checked_output_path(const std::string& path) {
  TL_CHECK_USER(!path.empty(), "an output path is empty");
  std::string target = path;
  struct stat info {};
  if (::lstat(path.c_str(), &info) == 0 && S_ISLNK(info.st_mode)) {
    std::error_code ec;
    std::filesystem::path resolved = std::filesystem::canonical(path, ec);
    TL_CHECK_USER(!ec, "cannot write '" + path + "': it is a symbolic link that does not resolve (" + ec.message() + ")");
    target = resolved.string();
  }
  if (::stat(target.c_str(), &info) == 0) {
    TL_CHECK_USER(S_ISREG(info.st_mode), "cannot write '" + path + "': it exists and is not a regular file" +
                                             (S_ISDIR(info.st_mode) ? " (a directory)" : ""));
  }
  std::filesystem::path folder = std::filesystem::path(target).parent_path();
  if (folder.empty()) folder = ".";
  TL_CHECK_USER(::stat(folder.c_str(), &info) == 0 && S_ISDIR(info.st_mode),
                "cannot write '" + path + "': folder '" + folder.string() + "' does not exist");
  return target;
}

void write_file_atomic(const std::string& path, std::string_view data) {
  std::string target = checked_output_path(path);
  std::string tmp = target + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    TL_CHECK_USER(out.good(), "cannot write '" + path + "': " + std::strerror(errno));
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    out.flush();
    if (!out.good()) {
      std::string reason = std::strerror(errno);
      std::remove(tmp.c_str());
      throw UserError("write to '" + path + "' failed: " + reason);
    }
  }
  if (std::rename(tmp.c_str(), target.c_str()) != 0) {
    std::string reason = std::strerror(errno);
    std::remove(tmp.c_str());
    throw UserError("cannot write '" + path + "' (rename from its temporary file failed): " + reason);
  }
}

namespace {
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}
}  // namespace

std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    uint32_t chunk = static_cast<uint8_t>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) chunk |= static_cast<uint8_t>(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) chunk |= static_cast<uint8_t>(bytes[i + 2]);
    out += kAlphabet[(chunk >> 18) & 63];
    out += kAlphabet[(chunk >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(chunk >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? kAlphabet[chunk & 63] : '=';
  }
  return out;
}

std::string base64_decode(std::string_view text, std::string_view what) {
  TL_CHECK_USER(text.size() % 4 == 0, std::string(what) + ": base64 length " +
                                          std::to_string(text.size()) + " is not a multiple of 4");
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    bool last = i + 4 == text.size();
    int pad = 0;
    uint32_t chunk = 0;
    for (std::size_t k = 0; k < 4; ++k) {
      char c = text[i + k];
      if (c == '=' && last && k >= 2) {
        ++pad;
        chunk <<= 6;
        continue;
      }
      int v = base64_value(c);
      TL_CHECK_USER(v >= 0 && pad == 0, std::string(what) + ": invalid base64 character at offset " +
                                            std::to_string(i + k));
      chunk = (chunk << 6) | static_cast<uint32_t>(v);
    }
    out += static_cast<char>((chunk >> 16) & 255);
    if (pad < 2) out += static_cast<char>((chunk >> 8) & 255);
    if (pad < 1) out += static_cast<char>(chunk & 255);
  }
  return out;
}

}  // namespace tl
