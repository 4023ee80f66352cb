// Planted bugs for the strength check (issue 5): known mistakes that tl-check must catch. They exist
// only in the `tl_fast_planted` build (TL_PLANTED_BUGS defined); in every other build TL_PLANTED(x)
// is the constant false and the code it guards is removed by the compiler. One bug is active at a
// time, chosen by the environment variable TL_PLANT.
#pragma once

#ifdef TL_PLANTED_BUGS
#include <string>
#include <vector>

namespace tl::fast {

// The bugs: name and what it breaks.
struct PlantedBug {
  const char* name;
  const char* op;           // the op it lives in (tl-check --ops)
  const char* description;
  const char* backends = "eager,compiled";  // where it lives (tl-check --backend)
};
const std::vector<PlantedBug>& planted_bugs();

// True when TL_PLANT names this bug. An unknown TL_PLANT value is reported by planted_bug_error().
bool planted(const char* name);
std::string planted_bug_error();  // "" when TL_PLANT is unset or names a bug

}  // namespace tl::fast

#define TL_PLANTED(name) ::tl::fast::planted(name)
#else
#define TL_PLANTED(name) false
#endif
