// Out-of-line pieces of the error kinds: formatting of internal errors with their location, and the
// exit status of a program whose standard output could not be written.
#include "spec/error.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace tl {

void throw_internal(const std::string& message, const char* file, int line) {
  throw InternalError(std::string("internal error at ") + file + ":" + std::to_string(line) + ": " +
                      message);
}

int exit_status_after_stdout(int status, const char* program) {
  errno = 0;
  if (std::fflush(stdout) == 0 && !std::ferror(stdout)) return status;
  std::fprintf(stderr, "%s: error: cannot write to standard output%s%s\n", program, errno ? ": " : "",
               errno ? std::strerror(errno) : "");
  return status == 0 ? 2 : status;
}

}  // namespace tl
