// The next training batch made on a thread of its own while the current one trains (vsr-train,
// vsr-train-video, vsr-train-interp). Batches come out in the order the sampler makes them, so a run
// is the same with or without it; `state_before_next` is the sampler's state before the batch that
// `next` returns next: what a checkpoint saves, so that a resumed run draws that very batch again.
#pragma once
#include <functional>
#include <future>
#include <optional>
#include <string>
#include <utility>

namespace vsr::train {

template <typename Batch>
class BatchPrefetcher {
 public:
  // make: the sampler's next batch; state: its state (a text; empty when the sampler keeps none).
  // The sampler is the prefetcher's alone from here on: its first batch is being made on return.
  explicit BatchPrefetcher(std::function<Batch()> make, std::function<std::string()> state = {})
      : make_(std::move(make)), state_(std::move(state)) {
    launch();
  }
  BatchPrefetcher(const BatchPrefetcher&) = delete;
  BatchPrefetcher& operator=(const BatchPrefetcher&) = delete;
  ~BatchPrefetcher() {
    if (pending_.valid()) pending_.wait();  // the sampler outlives no thread that uses it
  }

  // The next batch (waiting for it if it is not made yet; rethrows what making it threw); the one
  // after it is started at once.
  Batch next() {
    ready();
    Batch b = std::move(ready_->batch);
    ready_.reset();
    launch();
    return b;
  }

  std::string state_before_next() {
    ready();
    return ready_->state;
  }

 private:
  struct Made {
    std::string state;
    Batch batch;
  };
  void launch() {
    pending_ = std::async(std::launch::async, [this] {
      Made m;
      if (state_) m.state = state_();
      m.batch = make_();
      return m;
    });
  }
  void ready() {
    if (!ready_) ready_.emplace(pending_.get());
  }

  std::function<Batch()> make_;
  std::function<std::string()> state_;
  std::future<Made> pending_;
  std::optional<Made> ready_;
};

}  // namespace vsr::train
