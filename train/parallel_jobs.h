// The trainers' data loading on several threads: a batch's degraded patches, a folder's decoded
// images. Each job writes only its own slot and draws from its own random generator, so what is made
// does not depend on the number of threads or their timing.
#pragma once
#include <cstddef>
#include <functional>

namespace vsr::train {

// Runs job(i) for every i in [0, count) on up to `threads` threads (the calling one among them) and
// returns when all have finished. The first exception a job throws is rethrown here, after the others
// have stopped taking new jobs.
void run_parallel(size_t count, int threads, const std::function<void(size_t)>& job);

}  // namespace vsr::train
