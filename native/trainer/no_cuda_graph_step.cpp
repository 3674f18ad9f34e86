// This LibTorch has no CUDA: the trainer runs eager steps and says why when a graph is asked for.
#include "training_step.h"

namespace sprites {

bool cuda_graphs_built() { return false; }

std::unique_ptr<TrainingStep> make_cuda_graph_step(StepParts, int64_t) {
  throw std::runtime_error("CUDA graphs need a trainer built against a CUDA LibTorch (scripts/train --device cuda builds one)");
}

}  // namespace sprites
