// The ContextUnet weights the core runs, read from a trainer export (safetensors, BatchNorm folded)
// and checked against the architecture its metadata declares. fp16 and 8-bit weights are widened to
// fp32 once here.
#pragma once
#include "safetensors.h"
#include "schedule.h"
#include "unet_layout.h"

#include <map>
#include <string>
#include <vector>

namespace sprites {

struct UnetWeights {
  UnetArch arch;
  std::vector<std::string> labels;          // class names, n_cfeat of them
  std::map<std::string, std::string> metadata;
  std::map<std::string, Tensor32> tensors;  // PyTorch layouts (OIHW convs, IOHW deconvs, OI linears)
  const Tensor32& at(const std::string& name) const;
  std::string epoch() const;  // the export's 0-based epoch from its metadata, "?" if it does not say
};

// The schedule the weights were trained with, from their metadata: the page, the CLI and the eval all
// sample with this one.
Schedule schedule_for(const UnetArch& arch);

// Throws std::runtime_error("<name>: ...") if the file is not an exported ContextUnet.
UnetWeights load_unet_weights(const SafeTensors& st, const std::string& name);
// An export, or a course checkpoint (.pth) converted as course_checkpoint.h says.
UnetWeights load_unet_weights(const std::string& path);

}  // namespace sprites
