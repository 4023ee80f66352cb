// Error kinds of TorchLean C++ (DESIGN §8).
//
// UserError: the input is wrong (bad graph, shape, flag, file). The message names the node, field,
// flag or file. CLIs print it and exit with status 2.
// InternalError: a bug in this project (a broken invariant). It carries the source location.
#pragma once

#include <stdexcept>
#include <string>

namespace tl {

class UserError : public std::runtime_error {
 public:
  explicit UserError(const std::string& message) : std::runtime_error(message) {}
};

class InternalError : public std::logic_error {
 public:
  explicit InternalError(const std::string& message) : std::logic_error(message) {}
};

// Throws InternalError; `file` and `line` name where the invariant broke (TL_CHECK_INTERNAL
// passes them; std::source_location is avoided because clang 14 with libstdc++ 12 lacks it).
[[noreturn]] void throw_internal(const std::string& message, const char* file = "",
                                 int line = 0);

// A program's exit status once its standard output is flushed: `status`, or 2 (with a message on
// stderr naming `program`) when the output could not be written — a full disk or a closed pipe
// must not read as success.
int exit_status_after_stdout(int status, const char* program);

}  // namespace tl

// Check a condition on user input; throw UserError with the given message otherwise.
#define TL_CHECK_USER(cond, message)                       \
  do {                                                     \
    if (!(cond)) throw ::tl::UserError(message);           \
  } while (0)

// Check an internal invariant; throw InternalError naming the condition and the location.
#define TL_CHECK_INTERNAL(cond, message)                                               \
  do {                                                                                 \
    if (!(cond)) ::tl::throw_internal(std::string("invariant '" #cond "' broken: ") + (message), \
                                      __FILE__, __LINE__);                                    \
  } while (0)
