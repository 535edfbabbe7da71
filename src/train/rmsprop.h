// The optimiser step of the trainer: RMSProp as torch::optim::RMSprop computes it, in one pass
// per parameter. Internal (LibTorch).
#pragma once

#include <torch/torch.h>

#include "models/model.h"

namespace dynemo::train {

// Drops every parameter's gradient instead of zeroing it (Optimizer::zero_grad writes zeros that
// backward then adds to): backward stores each new gradient as is, with no memset and no add
// pass. rmsprop_step treats a dropped gradient as the zero gradient it stands for.
void release_grads(models::SequenceModel& net);

// torch::optim::RMSprop::step for the trainer's settings (no momentum, not centred), with the
// same state in opt.state() (checkpoints are unchanged) and the same float operations in the same
// order per element:
//   g = grad + weight_decay * p;  square_avg = square_avg * alpha + (1 - alpha) * g * g
//   p = p + (-lr * g) / (sqrt(square_avg) + eps)
// in one pass over each parameter instead of five tensor operations and a temporary. Falls back
// to opt.step() for anything else (momentum, centred, non-float or non-contiguous tensors).
void rmsprop_step(torch::optim::RMSprop& opt);

}  // namespace dynemo::train
