// The block emulator of the emulated build (cuda/launch.h): runs a grid's blocks one after
// another on the calling thread, each block's threads as fibers (POSIX ucontext) that run in phases:
// every runnable thread runs until it reaches sync_block() or returns; when all threads of the block
// wait at the barrier, the next phase starts; when all have returned, the block is done. A phase in
// which some threads returned and others wait at a barrier is barrier divergence: an internal error.
// Threads waiting at different sync_block() calls are not told apart (an optimising compiler
// duplicates and merges the calls, so their return addresses do not name source barriers);
// compute-sanitizer's synccheck covers that on a GPU.
// Fiber stacks are kept per host thread and reused across launches. Under AddressSanitizer every
// switch of stacks is announced to it (its fiber interface), so it checks the fibers' frames too.
#include <ucontext.h>

#include <exception>
#include <memory>
#include <vector>

#include "cuda/launch.h"
#include "spec/error.h"

#if defined(__SANITIZE_ADDRESS__)
#define TL_FIBERS_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TL_FIBERS_UNDER_ASAN 1
#endif
#endif
#ifdef TL_FIBERS_UNDER_ASAN
#include <sanitizer/common_interface_defs.h>
#endif

namespace tl::cuda::emulated {
namespace {

constexpr std::size_t kFiberStackBytes = 256 * 1024;
constexpr unsigned kMaxBlockThreads = 1024;  // CUDA's limit on threads per block

enum class FiberState { runnable, at_barrier, returned };

struct Fiber {
  ucontext_t context{};
  char* stack = nullptr;
  Dim3 index;
  FiberState state = FiberState::runnable;
};

// One block being run on this host thread.
struct BlockRun {
  ucontext_t scheduler{};
  std::vector<Fiber> fibers;
  Fiber* running = nullptr;
  const std::function<void()>* body = nullptr;
  std::exception_ptr error;
  const void* scheduler_stack = nullptr;  // the scheduler's stack, for AddressSanitizer
  std::size_t scheduler_stack_bytes = 0;
};

thread_local BlockRun* current_run = nullptr;
thread_local ThreadOrder thread_order = ThreadOrder::ascending;

// The fiber stacks of this host thread, kept across launches (the kernels' frames are small).
std::vector<std::unique_ptr<char[]>>& stack_pool() {
  thread_local std::vector<std::unique_ptr<char[]>> pool;
  return pool;
}

// Switches from `from` (saved) to `to`, whose stack is [to_stack, to_stack + to_bytes). `final`: the
// context left is never resumed (AddressSanitizer then frees its fake stack).
void switch_fiber(ucontext_t* from, const ucontext_t* to, const void* to_stack, std::size_t to_bytes,
                  bool final = false) {
#ifdef TL_FIBERS_UNDER_ASAN
  void* fake_stack = nullptr;
  __sanitizer_start_switch_fiber(final ? nullptr : &fake_stack, to_stack, to_bytes);
  swapcontext(from, to);
  __sanitizer_finish_switch_fiber(fake_stack, nullptr, nullptr);
#else
  (void)to_stack;
  (void)to_bytes;
  (void)final;
  swapcontext(from, to);
#endif
}

// Back to the scheduler from the running fiber, which is left in `state`.
void yield_to_scheduler(BlockRun& run, FiberState state) {
  run.running->state = state;
  switch_fiber(&run.running->context, &run.scheduler, run.scheduler_stack, run.scheduler_stack_bytes,
               state == FiberState::returned);
}

void fiber_main() {
  BlockRun& run = *current_run;
#ifdef TL_FIBERS_UNDER_ASAN
  __sanitizer_finish_switch_fiber(nullptr, &run.scheduler_stack, &run.scheduler_stack_bytes);
#endif
  try {
    (*run.body)();
  } catch (...) {
    if (!run.error) run.error = std::current_exception();
  }
  yield_to_scheduler(run, FiberState::returned);  // never resumed
}

// A fresh context that starts fiber_main on f's stack (getcontext returns twice in general: kept out
// of the caller's loop).
[[gnu::noinline]] void make_fiber_context(Fiber& f) {
  if (getcontext(&f.context) != 0) throw_internal("block emulator: getcontext failed");
  f.context.uc_stack.ss_sp = f.stack;
  f.context.uc_stack.ss_size = kFiberStackBytes;
  f.context.uc_link = nullptr;
  makecontext(&f.context, fiber_main, 0);
}

void start_fibers(BlockRun& run, Dim3 block) {
  std::size_t i = 0;
  for (unsigned z = 0; z < block.z; ++z)
    for (unsigned y = 0; y < block.y; ++y)
      for (unsigned x = 0; x < block.x; ++x, ++i) {
        Fiber& f = run.fibers[i];
        f.index = Dim3(x, y, z);
        f.state = FiberState::runnable;
        make_fiber_context(f);
      }
}

// One phase: every runnable thread runs to its next barrier or its end, in the order set.
void run_phase(BlockRun& run) {
  const std::size_t n = run.fibers.size();
  for (std::size_t step = 0; step < n; ++step) {
    Fiber& f = run.fibers[thread_order == ThreadOrder::ascending ? step : n - 1 - step];
    if (f.state != FiberState::runnable) continue;
    threadIdx = f.index;
    run.running = &f;
    switch_fiber(&run.scheduler, &f.context, f.stack, kFiberStackBytes);
  }
  run.running = nullptr;
}

std::string dim_text(Dim3 d) {
  return "(" + std::to_string(d.x) + ", " + std::to_string(d.y) + ", " + std::to_string(d.z) + ")";
}

void run_block(BlockRun& run, Dim3 block, const std::string& op) {
  start_fibers(run, block);
  for (;;) {
    run_phase(run);
    if (run.error) std::rethrow_exception(run.error);
    std::size_t waiting = 0, returned = 0;
    for (const Fiber& f : run.fibers) (f.state == FiberState::at_barrier ? waiting : returned) += 1;
    if (waiting == 0) return;
    if (returned > 0)
      throw_internal(op + ": block " + dim_text(blockIdx) + ": " + std::to_string(returned) + " of " +
                     std::to_string(run.fibers.size()) +
                     " threads returned while the others wait at sync_block() (barrier divergence)");
    for (Fiber& f : run.fibers) f.state = FiberState::runnable;
  }
}

}  // namespace

void set_thread_order(ThreadOrder order) { thread_order = order; }

void sync_block() {
  if (current_run == nullptr || current_run->running == nullptr)
    throw_internal("sync_block() called outside a block run by run_grid()");
  yield_to_scheduler(*current_run, FiberState::at_barrier);
}

namespace {
// CUDA's launch limits (compute capability 9.0): at most 1024 threads per block, 1024 x 1024 x 64
// block dimensions, 2^31 - 1 x 65535 x 65535 grid dimensions, none zero.
bool launch_allowed(Dim3 grid, Dim3 block) {
  const uint64_t threads = uint64_t(block.x) * block.y * block.z;
  const bool block_ok = threads >= 1 && threads <= kMaxBlockThreads && block.x <= 1024 && block.y <= 1024 &&
                        block.z <= 64;
  const bool grid_ok = grid.x >= 1 && grid.y >= 1 && grid.z >= 1 && grid.x <= 2147483647u && grid.y <= 65535 &&
                       grid.z <= 65535;
  return block_ok && grid_ok;
}
}  // namespace

void run_grid(Dim3 grid, Dim3 block, const std::function<void()>& thread_body, const std::string& op) {
  const uint64_t threads = uint64_t(block.x) * block.y * block.z;
  if (!launch_allowed(grid, block))
    throw_internal(op + ": launch of grid " + dim_text(grid) + " with blocks " + dim_text(block) +
                   " (CUDA allows at most 1024 threads and 1024 x 1024 x 64 per block, grids up to "
                   "2^31-1 x 65535 x 65535, nothing empty)");
  if (current_run != nullptr) throw_internal(op + ": a kernel launched from inside a kernel");
  auto& pool = stack_pool();
  while (pool.size() < threads) pool.emplace_back(new char[kFiberStackBytes]);  // untouched until used
  BlockRun run;
  run.fibers.resize(threads);
  for (std::size_t i = 0; i < threads; ++i) run.fibers[i].stack = pool[i].get();
  run.body = &thread_body;
  current_run = &run;
  blockDim = block;
  gridDim = grid;
  try {
    for (unsigned z = 0; z < grid.z; ++z)
      for (unsigned y = 0; y < grid.y; ++y)
        for (unsigned x = 0; x < grid.x; ++x) {
          blockIdx = Dim3(x, y, z);
          run_block(run, block, op);
        }
  } catch (...) {
    // The block's other fibers are abandoned mid-kernel: their frames' destructors never run (kernel
    // frames hold no owning objects), and their stacks are not reused.
    current_run = nullptr;
    pool.clear();
    throw;
  }
  current_run = nullptr;
}

}  // namespace tl::cuda::emulated
