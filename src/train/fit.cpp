// Gradient training of one ensemble member: RMSProp, masked loss, early stopping on validation
// songs with the best weights kept, a checkpoint after every epoch (weights, optimiser state,
// best weights, counters, log). Every epoch reseeds LibTorch and the data order from
// (seed, network, epoch), so a resumed run repeats exactly what an uninterrupted one does.
#include "train/fit.h"

#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>

#include "dynemo/error.h"
#include "dynemo/io.h"
#include "train/closed-form.h"

#if defined(__SSE2__)
#include <immintrin.h>
#endif

namespace dynemo::train {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

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

std::vector<torch::Tensor> snapshot(models::SequenceModel& net) {
  std::vector<torch::Tensor> out;
  for (const auto& p : net.parameters()) out.push_back(p.detach().clone());
  for (const auto& b : net.buffers()) out.push_back(b.detach().clone());
  return out;
}

void restore(models::SequenceModel& net, const std::vector<torch::Tensor>& values) {
  torch::NoGradGuard no_grad;
  std::size_t i = 0;
  for (auto& p : net.parameters()) p.copy_(values.at(i++));
  for (auto& b : net.buffers()) b.copy_(values.at(i++));
}

void save_checkpoint(const std::string& path, models::SequenceModel& net,
                     torch::optim::Optimizer& opt, const NetState& s) {
  torch::serialize::OutputArchive archive, net_archive, opt_archive;
  net.save(net_archive);
  opt.save(opt_archive);
  archive.write("net", net_archive);
  archive.write("optimizer", opt_archive);
  archive.write("epoch", c10::IValue(static_cast<int64_t>(s.epoch)));
  archive.write("bad_epochs", c10::IValue(static_cast<int64_t>(s.bad_epochs)));
  archive.write("best_epoch", c10::IValue(static_cast<int64_t>(s.best_epoch)));
  archive.write("best_loss", c10::IValue(s.best_loss));
  archive.write("pretrained", c10::IValue(s.pretrained));
  archive.write("log", c10::IValue(s.log));
  archive.write("n_best", c10::IValue(static_cast<int64_t>(s.best.size())));
  for (std::size_t i = 0; i < s.best.size(); ++i)
    archive.write("best" + std::to_string(i), s.best[i]);
  std::ostringstream bytes;
  archive.save_to(bytes);
  write_file_atomic(path, bytes.str());
}

bool load_checkpoint(const std::string& path, models::SequenceModel& net,
                     torch::optim::Optimizer& opt, NetState* s) {
  if (std::FILE* f = std::fopen(path.c_str(), "rb")) {
    std::fclose(f);
  } else {
    return false;
  }
  torch::serialize::InputArchive archive, net_archive, opt_archive;
  try {
    archive.load_from(path);
    archive.read("net", net_archive);
    archive.read("optimizer", opt_archive);
    net.load(net_archive);
    opt.load(opt_archive);
    c10::IValue v;
    archive.read("epoch", v), s->epoch = static_cast<int>(v.toInt());
    archive.read("bad_epochs", v), s->bad_epochs = static_cast<int>(v.toInt());
    archive.read("best_epoch", v), s->best_epoch = static_cast<int>(v.toInt());
    archive.read("best_loss", v), s->best_loss = v.toDouble();
    archive.read("pretrained", v), s->pretrained = v.toBool();
    archive.read("log", v), s->log = v.toStringRef();
    archive.read("n_best", v);
    s->best.resize(static_cast<std::size_t>(v.toInt()));
    for (std::size_t i = 0; i < s->best.size(); ++i)
      archive.read("best" + std::to_string(i), s->best[i]);
  } catch (const c10::Error& e) {
    throw IoError(path + ": unreadable checkpoint (" + std::string(e.what_without_backtrace()) +
                  "); delete it to start this fold again");
  }
  return true;
}

// Drops every parameter's gradient instead of zeroing it (Optimizer::zero_grad writes zeros that
// backward then adds to): backward stores each new gradient as is, with no memset and no add
// pass. rmsprop_step treats a dropped gradient as the zero gradient it stands for.
void release_grads(models::SequenceModel& net) {
  for (auto& p : net.parameters()) p.mutable_grad() = torch::Tensor();
}

// torch::optim::RMSprop::step for the trainer's settings (no momentum, not centred), with the
// same state in opt.state() (checkpoints are unchanged) and the same float operations in the same
// order per element:
//   g = grad + weight_decay * p;  square_avg = square_avg * alpha + (1 - alpha) * g * g
//   p = p + (-lr * g) / (sqrt(square_avg) + eps)
// in one pass over each parameter instead of five tensor operations and a temporary. Falls back
// to opt.step() for anything else (momentum, centred, non-float or non-contiguous tensors).
void rmsprop_step(torch::optim::RMSprop& opt) {
  for (auto& group : opt.param_groups()) {
    const auto& o = static_cast<const torch::optim::RMSpropOptions&>(group.options());
    if (o.momentum() != 0 || o.centered()) {
      opt.step();
      return;
    }
    for (const auto& p : group.params()) {
      const torch::Tensor& g = p.grad();
      if (g.defined() &&
          (p.scalar_type() != torch::kFloat32 || g.scalar_type() != torch::kFloat32 ||
           !p.is_contiguous() || !g.is_contiguous() || !p.device().is_cpu())) {
        opt.step();
        return;
      }
    }
  }
  torch::NoGradGuard no_grad;
  for (auto& group : opt.param_groups()) {
    const auto& o = static_cast<const torch::optim::RMSpropOptions&>(group.options());
    const auto alpha = static_cast<float>(o.alpha());
    const auto one_minus_alpha = static_cast<float>(1 - o.alpha());
    const auto eps = static_cast<float>(o.eps());
    const auto neg_lr = static_cast<float>(-o.lr());
    const auto decay = static_cast<float>(o.weight_decay());
    for (auto& p : group.params()) {
      const std::string key = c10::guts::to_string(p.unsafeGetTensorImpl());
      auto it = opt.state().find(key);
      if (!p.grad().defined()) {
        // Released gradient (release_grads) of a parameter that has had one: what a zeroed
        // gradient does, square_avg * alpha and p unchanged.
        if (it != opt.state().end()) {
          auto& state = static_cast<torch::optim::RMSpropParamState&>(*it->second);
          state.step(state.step() + 1);
          state.square_avg().mul_(alpha);
        }
        continue;
      }
      if (it == opt.state().end()) {
        auto fresh = std::make_unique<torch::optim::RMSpropParamState>();
        fresh->step(0);
        fresh->square_avg(torch::zeros_like(p, torch::MemoryFormat::Preserve));
        it = opt.state().emplace(key, std::move(fresh)).first;
      }
      auto& state = static_cast<torch::optim::RMSpropParamState&>(*it->second);
      state.step(state.step() + 1);
      float* w = p.data_ptr<float>();
      const float* grad = p.grad().data_ptr<float>();
      float* avg = state.square_avg().data_ptr<float>();
      const std::int64_t n = p.numel();
      std::int64_t i = 0;
#if defined(__SSE2__)
      const __m128 v_alpha = _mm_set1_ps(alpha), v_one_minus = _mm_set1_ps(one_minus_alpha);
      const __m128 v_eps = _mm_set1_ps(eps), v_lr = _mm_set1_ps(neg_lr),
                   v_decay = _mm_set1_ps(decay);
      for (; i + 4 <= n; i += 4) {
        __m128 gv = _mm_loadu_ps(grad + i);
        const __m128 wv = _mm_loadu_ps(w + i);
        if (decay != 0) gv = _mm_add_ps(gv, _mm_mul_ps(v_decay, wv));
        const __m128 sq = _mm_add_ps(_mm_mul_ps(_mm_loadu_ps(avg + i), v_alpha),
                                     _mm_mul_ps(_mm_mul_ps(v_one_minus, gv), gv));
        _mm_storeu_ps(avg + i, sq);
        const __m128 denom = _mm_add_ps(_mm_sqrt_ps(sq), v_eps);
        _mm_storeu_ps(w + i, _mm_add_ps(wv, _mm_div_ps(_mm_mul_ps(v_lr, gv), denom)));
      }
#endif
      for (; i < n; ++i) {
        float gi = grad[i];
        if (decay != 0) gi = gi + decay * w[i];
        const float sq = avg[i] * alpha + one_minus_alpha * gi * gi;
        avg[i] = sq;
        w[i] = w[i] + neg_lr * gi / (std::sqrt(sq) + eps);
      }
    }
  }
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
    if (net.pretrain_loss(make_batch(*job.data, {job.train.front()})).defined()) {
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
        s.log += epoch_csv_line(r);
        report(job, r, d_offset);
      }
      // Supervised training starts with a fresh optimiser state.
      opt.state().clear();
    }
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
    ++s.epoch;
    torch::manual_seed(seed_for(net_seed, {2, static_cast<std::uint64_t>(s.epoch)}));
    std::mt19937 rng(static_cast<std::mt19937::result_type>(
        seed_for(net_seed, {3, static_cast<std::uint64_t>(s.epoch)})));
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
    EpochRecord r = base;
    r.epoch = s.epoch;
    r.stage = "train";
    r.train_loss = sum / std::max(frames, 1.0);
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

std::string epoch_csv_header() {
  return "fold,member,dimension,epoch,stage,train_loss,val_loss,improved,seconds\n";
}

std::string epoch_csv_line(const EpochRecord& r) {
  std::ostringstream out;
  out.precision(8);
  const char* dim = r.dimension < 0 ? "joint" : (r.dimension == 0 ? "arousal" : "valence");
  out << r.fold << ',' << r.member << ',' << dim << ',' << r.epoch << ',' << r.stage << ','
      << r.train_loss << ',' << r.val_loss << ',' << (r.improved ? 1 : 0) << ',' << r.seconds
      << '\n';
  return out.str();
}

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
