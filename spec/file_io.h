// Whole-file reading with size limits, and atomic writing (temp file + rename), so that a failed
// write never leaves a partial file behind (DESIGN §8).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace tl {

// Reads a whole file; UserError naming the path if it cannot be opened or exceeds max_bytes.
std::string read_file(const std::string& path, std::size_t max_bytes = std::size_t{1} << 32);
// Writes `data` to `path` through a temporary file in the same folder and a rename; a symbolic link
// is followed (its target is replaced). Checks `path` with checked_output_path first.
void write_file_atomic(const std::string& path, std::string_view data);
// The file a write to `path` replaces: `path`, or the target of the symbolic link `path`. UserError
// naming `path` when it is empty, a directory, a device, a FIFO or a dangling link, or when its
// folder does not exist — so a program can refuse a bad output path before it does any work.
std::string checked_output_path(const std::string& path);

// Standard base64 (RFC 4648, with padding). decode throws UserError naming `what` on bad input.
std::string base64_encode(std::string_view bytes);
std::string base64_decode(std::string_view text, std::string_view what);

}  // namespace tl
