// A small fixed thread pool behind parallel_for. Each call hands out contiguous ranges of items;
// which thread computes an item never changes its value. Workers spin briefly on the job counter
// before sleeping, because kernels call parallel_for many times per training step and a condition
// variable wake-up costs tens of microseconds.
#include "fast/kernels/parallel.h"
#include "fast/planted.h"

#include <immintrin.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace tl::fast {
namespace {

constexpr int kSpins = 20000;  // about 50-100 microseconds of pause instructions

class Pool {
 public:
  ~Pool() { resize(0); }

  void resize(int workers) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_.store(true);
      generation_.fetch_add(1);
    }
    cv_.notify_all();
    for (auto& t : threads_) t.join();
    threads_.clear();
    stop_.store(false);
    // Each worker starts from the current generation, so it waits for the next run.
    uint64_t g = generation_.load();
    for (int i = 0; i < workers; ++i) threads_.emplace_back([this, g] { work(g); });
  }

  int workers() const { return static_cast<int>(threads_.size()); }

  // Runs job(chunk) for chunk in [0, chunks) on the workers and the caller; returns when done.
  void run(int64_t chunks, const std::function<void(int64_t)>& job) {
    job_ = &job;
    chunks_ = chunks;
    next_.store(0);
    pending_.store(workers());
    {
      std::lock_guard<std::mutex> lock(mu_);
      generation_.fetch_add(1, std::memory_order_release);
    }
    cv_.notify_all();
    drain();
    for (int spin = 0; pending_.load(std::memory_order_acquire) != 0; ++spin) {
      if (spin < kSpins) {
        _mm_pause();
        continue;
      }
      std::unique_lock<std::mutex> lock(mu_);
      done_cv_.wait(lock, [this] { return pending_.load() == 0; });
    }
    job_ = nullptr;
  }

 private:
  void drain() {
    for (int64_t c = next_.fetch_add(1); c < chunks_; c = next_.fetch_add(1)) (*job_)(c);
  }

  void work(uint64_t seen) {
    for (;;) {
      int spin = 0;
      while (generation_.load(std::memory_order_acquire) == seen && !stop_.load() && spin < kSpins) {
        _mm_pause();
        ++spin;
      }
      if (generation_.load(std::memory_order_acquire) == seen && !stop_.load()) {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [&] { return stop_.load() || generation_.load() != seen; });
      }
      if (stop_.load()) return;
      seen = generation_.load(std::memory_order_acquire);
      drain();
      if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
        std::lock_guard<std::mutex> lock(mu_);
        done_cv_.notify_all();
      }
    }
  }

  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::condition_variable cv_, done_cv_;
  const std::function<void(int64_t)>* job_ = nullptr;
  int64_t chunks_ = 0;
  std::atomic<int64_t> next_{0};
  std::atomic<int> pending_{0};
  std::atomic<uint64_t> generation_{0};
  std::atomic<bool> stop_{false};
};

Pool& pool() {
  static Pool p;
  return p;
}

int g_threads = 1;
std::mutex g_run_mu;                    // one parallel region at a time
thread_local bool t_in_region = false;  // nested parallel_for runs serially
std::atomic<int64_t> g_pool_regions{0};

}  // namespace

int threads() { return g_threads; }

int64_t pool_regions() { return g_pool_regions.load(); }

void set_threads(int n) {
  if (n <= 0) n = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::lock_guard<std::mutex> lock(g_run_mu);
  g_threads = n;
  pool().resize(n - 1);
}

void parallel_for(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& body) {
  if (n <= 0) return;
  grain = std::max<int64_t>(grain, 1);
  int64_t chunks = std::min<int64_t>((n + grain - 1) / grain, int64_t{g_threads} * 4);
  if (g_threads <= 1 || chunks <= 1 || t_in_region) {
    body(0, n);
    return;
  }
  int64_t size = (n + chunks - 1) / chunks;
  std::lock_guard<std::mutex> lock(g_run_mu);
  g_pool_regions.fetch_add(1);
  pool().run(chunks, [&](int64_t c) {
    int64_t begin = c * size, end = std::min(n, begin + size);
    if (TL_PLANTED("split_drops_last_item") && c == chunks - 1) --end;  // only when the loop is split
    t_in_region = true;
    if (begin < end) body(begin, end);
    t_in_region = false;
  });
}

}  // namespace tl::fast
