// Gradient training of one ensemble member: RMSProp, masked loss, early stopping on validation
// songs with the best weights kept, a checkpoint after every epoch (checkpoint.h). Every epoch
// reseeds LibTorch and the data order from (seed, network, epoch), so a resumed run repeats
// exactly what an uninterrupted one does.
#include "train/fit.h"

#include <algorithm>
#include <random>

#include "common/hash.h"
#include "train/checkpoint.h"
#include "train/closed-form.h"
#include "train/rmsprop.h"

namespace dynemo::train {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// Each song of a batch alone, or (with probability `fraction`) followed by another training song
// drawn at random, so that the model sees the music change within a sequence.
std::vector<std::vector<std::size_t>> joined_parts(const std::vector<std::size_t>& batch,
                                                   const std::vector<std::size_t>& train,
                                                   double fraction, std::mt19937& rng) {
  std::uniform_real_distribution<double> coin(0.0, 1.0);
  std::uniform_int_distribution<std::size_t> pick(0, train.size() - 1);
  std::vector<std::vector<std::size_t>> parts;
  for (std::size_t s : batch) {
    if (coin(rng) < fraction) {
      parts.push_back({s, train[pick(rng)]});
    } else {
      parts.push_back({s});
    }
  }
  return parts;
}

torch::Tensor select_dims(const torch::Tensor& y, int dimension) {
  return dimension < 0 ? y : y.narrow(2, dimension, 1);
}

// Mean loss over the frames of `songs` (inference mode: own feedback, no dropout).
double validation_loss(models::SequenceModel& net, const SongTensors& data,
                       const std::vector<std::size_t>& songs, int dimension,
                       const TrainConfig& config) {
  torch::NoGradGuard no_grad;
  net.eval();
  double total = 0, frames = 0;
  std::mt19937 fixed(0);
  for (const auto& idx : batches_by_length(data, songs, 64, fixed)) {
    torch::Tensor target;
    const models::Batch batch = make_batch(data, idx, &target);
    const torch::Tensor y = net.forward(batch).y;
    const double n = batch.mask.sum().item<double>();
    total +=
        masked_loss(y, select_dims(target, dimension), batch.mask, config.loss).item<double>() * n;
    frames += n;
  }
  return total / std::max(frames, 1.0);
}

void report(const FitJob& job, const EpochRecord& r, double done_fraction) {
  if (!job.progress) return;
  TrainProgress p;
  p.model = job.config.model;
  p.fold = job.fold;
  p.n_folds = job.n_folds;
  p.member = job.member;
  p.epoch = r.epoch;
  p.max_epochs = job.config.max_epochs;
  p.train_loss = r.train_loss;
  p.val_loss = r.val_loss;
  p.improved = r.improved;
  p.stage = r.stage;
  p.elapsed_s = seconds_since(job.run_start);
  const double done = job.work_done + done_fraction;
  p.eta_s = done > 0 ? p.elapsed_s * (job.work_total - done) / done : 0.0;
  job.progress(p);
}

// DLSTM's denoising pre-training of its first layer (models without pretrain_loss skip it):
// c.pretrain_epochs epochs, each seeded from (net_seed, epoch), then a fresh optimiser state.
void pretrain(const FitJob& job, models::SequenceModel& net, torch::optim::RMSprop& opt,
              std::uint64_t net_seed, const EpochRecord& base, double done_fraction, NetState* s) {
  const TrainConfig& c = job.config;
  if (!net.pretrain_loss(make_batch(*job.data, {job.train.front()})).defined()) return;
  for (int e = 1; e <= c.pretrain_epochs; ++e) {
    const auto t0 = Clock::now();
    torch::manual_seed(seed_for(net_seed, {0, static_cast<std::uint64_t>(e)}));
    std::mt19937 rng(static_cast<std::mt19937::result_type>(
        seed_for(net_seed, {1, static_cast<std::uint64_t>(e)})));
    net.train();
    double sum = 0;
    int n = 0;
    for (const auto& idx : batches_by_length(*job.data, job.train, c.batch_size, rng)) {
      opt.zero_grad();
      torch::Tensor loss = net.pretrain_loss(make_batch(*job.data, idx));
      loss.backward();
      opt.step();
      sum += loss.item<double>();
      ++n;
    }
    EpochRecord r = base;
    r.epoch = e;
    r.stage = "pretrain";
    r.train_loss = sum / std::max(n, 1);
    r.seconds = seconds_since(t0);
    s->log += epoch_csv_line(r);
    report(job, r, done_fraction);
  }
  opt.state().clear();  // supervised training starts with a fresh optimiser state
}

// One epoch over the training songs in the order seeded by (net_seed, epoch); returns the mean
// training loss per frame.
double train_epoch(const FitJob& job, models::SequenceModel& net, torch::optim::RMSprop& opt,
                   int dimension, std::uint64_t net_seed, int epoch) {
  const TrainConfig& c = job.config;
  torch::manual_seed(seed_for(net_seed, {2, static_cast<std::uint64_t>(epoch)}));
  std::mt19937 rng(static_cast<std::mt19937::result_type>(
      seed_for(net_seed, {3, static_cast<std::uint64_t>(epoch)})));
  net.train();
  double sum = 0, frames = 0;
  for (const auto& idx : batches_by_length(*job.data, job.train, c.batch_size, rng)) {
    torch::Tensor target;
    const models::Batch batch =
        c.join_fraction > 0
            ? make_joined_batch(*job.data, joined_parts(idx, job.train, c.join_fraction, rng),
                                &target)
            : make_batch(*job.data, idx, &target);
    target = select_dims(target, dimension);
    release_grads(net);
    const models::Output out = net.forward_train(batch, target);
    torch::Tensor loss = masked_loss(out.y, target, batch.mask, c.loss);
    loss.backward();
    rmsprop_step(opt);
    const double n = batch.mask.sum().item<double>();
    sum += loss.item<double>() * n;
    frames += n;
  }
  return sum / std::max(frames, 1.0);
}

// Trains one network (dimension -1: the joint head) from its checkpoint, if any, until
// max_epochs or `patience` epochs without a validation improvement; leaves the best weights.
void train_network(const FitJob& job, models::SequenceModel& net, int dimension, int n_nets,
                   std::string* log, int* best_epoch) {
  const TrainConfig& c = job.config;
  torch::optim::RMSprop opt(
      net.parameters(), torch::optim::RMSpropOptions(c.learning_rate).weight_decay(c.weight_decay));
  const std::string path =
      job.checkpoint_prefix + (n_nets > 1 ? "-d" + std::to_string(dimension) : "") + ".pt";
  NetState s;
  const bool resumed = load_checkpoint(path, net, opt, &s);
  const std::uint64_t net_seed = seed_for(job.seed, {static_cast<std::uint64_t>(dimension + 1)});
  EpochRecord base;
  base.fold = job.fold;
  base.member = job.member;
  base.dimension = n_nets > 1 ? dimension : -1;
  const double share = 1.0 / n_nets;
  const double d_offset = n_nets > 1 ? dimension * share : 0.0;

  if (!s.pretrained && c.pretrain_epochs > 0) {
    pretrain(job, net, opt, net_seed, base, d_offset, &s);
    s.pretrained = true;
    save_checkpoint(path, net, opt, s);
  } else if (resumed && !s.log.empty()) {
    EpochRecord r = base;
    r.epoch = s.epoch;
    r.stage = "resume";
    report(job, r, d_offset + share * s.epoch / c.max_epochs);
  }

  // An epoch's seconds run from the previous epoch's record to its own: its training and
  // validation plus the previous epoch's checkpoint, so that every epoch but the first of a
  // process pays for one checkpoint write (the record itself is inside its own checkpoint).
  auto t0 = Clock::now();
  while (s.epoch < c.max_epochs && s.bad_epochs < c.patience) {
    EpochRecord r = base;
    r.epoch = ++s.epoch;
    r.stage = "train";
    r.train_loss = train_epoch(job, net, opt, dimension, net_seed, s.epoch);
    r.val_loss = validation_loss(net, *job.data, job.val, dimension, c);
    r.improved = r.val_loss < s.best_loss - c.min_delta;
    if (r.improved) {
      s.best_loss = r.val_loss;
      s.best_epoch = s.epoch;
      s.bad_epochs = 0;
      s.best = snapshot(net);
    } else {
      ++s.bad_epochs;
    }
    r.seconds = seconds_since(t0);
    t0 = Clock::now();
    s.log += epoch_csv_line(r);
    save_checkpoint(path, net, opt, s);
    report(job, r, d_offset + share * s.epoch / c.max_epochs);
  }
  if (!s.best.empty()) restore(net, s.best);
  *log += s.log;
  net.eval();
  if (dimension <= 0 && best_epoch) *best_epoch = s.best_epoch;
}

}  // namespace

models::Member fit_member(const FitJob& job, std::string* log, int* best_epoch) {
  const TrainConfig& c = job.config;
  const std::int64_t n_features = job.data->x.front().size(1);
  if (models::is_closed_form(c.model)) {
    EpochRecord r;
    r.fold = job.fold;
    r.member = job.member;
    models::Member m;
    if (c.model == "MEAN") {
      std::vector<std::size_t> all = job.train;
      all.insert(all.end(), job.val.begin(), job.val.end());
      m = fit_mean(*job.data, all, n_features, &r);
    } else {
      m = fit_ridge(*job.data, job.train, job.val, c.ridge_alphas, &r);
    }
    *log += epoch_csv_line(r);
    report(job, r, 1.0);
    if (best_epoch) *best_epoch = 0;
    return m;
  }
  models::Member m = models::make_member(c, n_features, job.seed);
  const int n_nets = static_cast<int>(m.nets.size());
  for (int d = 0; d < n_nets; ++d) {
    train_network(job, *m.nets[static_cast<std::size_t>(d)], n_nets > 1 ? d : -1, n_nets, log,
                  best_epoch);
  }
  return m;
}

}  // namespace dynemo::train
