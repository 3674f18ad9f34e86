// The Checkpoints view's curve: how the run its checkpoints come from trained (the index's training
// curve: mean training loss over windows of steps, validation loss each epoch), with each
// checkpoint marked where it was saved. Nothing is drawn for a run whose logs were not indexed.
#pragma once

namespace sprites {

class WeightsLibrary;

void training_plot(const WeightsLibrary& library);

}  // namespace sprites
