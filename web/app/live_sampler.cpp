#include "live_sampler.h"

namespace sprites {

LiveSampler::LiveSampler(bool threaded) : threaded_(threaded) {
  if (threaded_) thread_ = std::thread([this] { loop(); });
}

LiveSampler::~LiveSampler() {
  if (!threaded_) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

LiveGrid LiveSampler::sample(const Schedule& schedule, const SampleParams& p) {
  LiveGrid grid;
  try {
    // One evaluation per sprite: no snapshots worth keeping beyond the result, no slices.
    grid.gen = std::make_unique<Generation>(*net_, schedule, p, 2, 0);
    grid.gen->advance(1e9);
  } catch (const std::exception& e) {
    grid.gen.reset();
    grid.error = e.what();
  }
  return grid;
}

bool LiveSampler::start(const UnetWeights& weights, const Schedule& schedule, const SampleParams& p) {
  std::unique_lock<std::mutex> lock(mu_);
  if (pending_ || in_flight_) return false;
  std::unique_ptr<UnetXnn>& net = nets_[&weights];
  if (!net) net = std::make_unique<UnetXnn>(weights, nullptr);  // no pool: one thread, whatever the page's pool does
  net_ = net.get();
  drop_ = false;
  if (threaded_) {
    schedule_ = &schedule;
    params_ = p;
    pending_ = true;
    lock.unlock();
    wake_.notify_one();
    return true;
  }
  done_ = sample(schedule, p);
  reuses_ = net_->encoder_reuses();
  return true;
}

void LiveSampler::loop() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    wake_.wait(lock, [this] { return stop_ || pending_; });
    if (stop_) return;
    pending_ = false;
    in_flight_ = true;
    const Schedule& schedule = *schedule_;
    const SampleParams p = params_;
    lock.unlock();
    LiveGrid grid = sample(schedule, p);  // net_ changes only while nothing is in flight
    lock.lock();
    in_flight_ = false;
    reuses_ = net_->encoder_reuses();
    if (!drop_) done_ = std::move(grid);
  }
}

LiveGrid LiveSampler::take() {
  std::lock_guard<std::mutex> lock(mu_);
  LiveGrid out = std::move(done_);
  done_ = LiveGrid{};
  return out;
}

void LiveSampler::discard() {
  std::lock_guard<std::mutex> lock(mu_);
  drop_ = true;
  pending_ = false;
  done_ = LiveGrid{};
}

bool LiveSampler::busy() const {
  std::lock_guard<std::mutex> lock(mu_);
  return pending_ || in_flight_;
}

size_t LiveSampler::encoder_reuses() const {
  std::lock_guard<std::mutex> lock(mu_);
  return reuses_;
}

}  // namespace sprites
