// A small fixed thread pool behind parallel_for. Each call hands out contiguous ranges of items;
// which thread computes an item never changes its value.
#include "fast/kernels/parallel.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace tl::fast {
namespace {

class Pool {
 public:
  ~Pool() { resize(0); }

  void resize(int workers) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
      ++generation_;
    }
    cv_.notify_all();
    for (auto& t : threads_) t.join();
    threads_.clear();
    stop_ = false;
    // Each worker starts from the current generation, so it waits for the next run.
    for (int i = 0; i < workers; ++i) threads_.emplace_back([this, g = generation_] { work(g); });
  }

  int workers() const { return static_cast<int>(threads_.size()); }

  // Runs job(chunk) for chunk in [0, chunks) on the workers and the caller; returns when done.
  void run(int64_t chunks, const std::function<void(int64_t)>& job) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      job_ = &job;
      chunks_ = chunks;
      next_.store(0);
      pending_ = workers();
      ++generation_;
    }
    cv_.notify_all();
    drain();
    std::unique_lock<std::mutex> lock(mu_);
    done_cv_.wait(lock, [this] { return pending_ == 0; });
    job_ = nullptr;
  }

 private:
  void drain() {
    for (int64_t c = next_.fetch_add(1); c < chunks_; c = next_.fetch_add(1)) (*job_)(c);
  }

  void work(uint64_t seen) {
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [&] { return stop_ || generation_ != seen; });
        if (stop_) return;
        seen = generation_;
      }
      drain();
      {
        std::lock_guard<std::mutex> lock(mu_);
        --pending_;
      }
      done_cv_.notify_all();
    }
  }

  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::condition_variable cv_, done_cv_;
  const std::function<void(int64_t)>* job_ = nullptr;
  int64_t chunks_ = 0;
  std::atomic<int64_t> next_{0};
  int pending_ = 0;
  uint64_t generation_ = 0;
  bool stop_ = false;
};

Pool& pool() {
  static Pool p;
  return p;
}

int g_threads = 1;
std::mutex g_run_mu;                 // one parallel region at a time
thread_local bool t_in_region = false;  // nested parallel_for runs serially

}  // namespace

int threads() { return g_threads; }

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
  pool().run(chunks, [&](int64_t c) {
    int64_t begin = c * size, end = std::min(n, begin + size);
    t_in_region = true;
    if (begin < end) body(begin, end);
    t_in_region = false;
  });
}

}  // namespace tl::fast
