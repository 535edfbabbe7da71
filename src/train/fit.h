// Fitting one ensemble member on training songs: gradient training with early stopping and
// per-epoch checkpoints for networks, closed form for RIDGE and MEAN. Internal (LibTorch).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "dynemo/train.h"
#include "models/ensemble.h"
#include "train/tensors.h"

namespace dynemo::train {

// One line of epochs.csv.
struct EpochRecord {
  int fold = 0;
  int member = 0;
  int dimension = -1;  // -1 = joint head, 0 arousal, 1 valence (per-dimension models)
  int epoch = 0;       // 0 = pre-training summary / closed form
  std::string stage;   // "pretrain", "train", "ridge", "mean"
  double train_loss = 0;
  double val_loss = 0;
  bool improved = false;
  double seconds = 0;  // wall time since the previous epoch's record (includes its checkpoint)
};
std::string epoch_csv_header();
std::string epoch_csv_line(const EpochRecord& r);

struct FitJob {
  const SongTensors* data = nullptr;
  std::vector<std::size_t> train, val;  // song indices into data
  TrainConfig config;
  std::uint64_t seed = 0;  // member seed
  int fold = 0, n_folds = 0, member = 0;
  std::string checkpoint_prefix;  // "<dir>/checkpoint-m<k>": one file per network
  TrainProgressFn progress;
  std::chrono::steady_clock::time_point run_start;
  double work_done = 0, work_total = 1;  // for the ETA: units of work before this job, in all
};

// Trains (or resumes) one member. Appends the epochs.csv lines of every epoch (including those
// before a resume) to *log; *best_epoch = best epoch of the first network. Its checkpoints stay
// until the caller has saved the model (a run killed while a later member trains finds this one
// finished).
models::Member fit_member(const FitJob& job, std::string* log, int* best_epoch);

// Loss of `y` against `target` over real frames: "mse" or "ccc" (1 - CCC, mean of dimensions).
torch::Tensor masked_loss(const torch::Tensor& y, const torch::Tensor& target,
                          const torch::Tensor& mask, const std::string& loss);

}  // namespace dynemo::train
