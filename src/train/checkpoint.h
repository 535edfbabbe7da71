// Checkpoints of one network in training: its weights, the optimiser's state and where training
// stands (epochs, early stopping, best weights, its epochs.csv lines), written after every epoch
// so that a killed run resumes exactly. Internal (LibTorch).
#pragma once

#include <torch/torch.h>

#include <limits>
#include <string>
#include <vector>

#include "models/model.h"

namespace dynemo::train {

// Where one network's training stands; what a checkpoint holds besides the weights.
struct NetState {
  int epoch = 0;  // epochs finished
  int bad_epochs = 0;
  int best_epoch = 0;
  double best_loss = std::numeric_limits<double>::infinity();
  bool pretrained = false;
  std::vector<torch::Tensor> best;  // best parameters and buffers so far
  std::string log;                  // epochs.csv lines of this network so far
};

// Copies of the network's parameters and buffers, and putting them back.
std::vector<torch::Tensor> snapshot(models::SequenceModel& net);
void restore(models::SequenceModel& net, const std::vector<torch::Tensor>& values);

// Writes the checkpoint atomically (IoError, NoSpaceError).
void save_checkpoint(const std::string& path, models::SequenceModel& net,
                     torch::optim::Optimizer& opt, const NetState& s);

// Reads a checkpoint into net, opt and *s; false when there is none. IoError naming the file
// when it cannot be read ("delete it to start this fold again").
bool load_checkpoint(const std::string& path, models::SequenceModel& net,
                     torch::optim::Optimizer& opt, NetState* s);

}  // namespace dynemo::train
