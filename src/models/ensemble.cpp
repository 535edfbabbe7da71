// Ensemble prediction and the model file's weights (<name>.pt); the sidecar is model-file.cpp's.
#include "models/ensemble.h"

#include <cmath>
#include <fstream>
#include <sstream>

#include "common/hash.h"
#include "dynemo/error.h"
#include "dynemo/io.h"
#include "models/weights-archive.h"

namespace dynemo::models {
namespace {

ModelOptions options_for(const TrainConfig& config, std::int64_t n_features, std::int64_t n_outputs,
                         bool initialise) {
  ModelOptions o;
  o.initialise = initialise;
  o.n_features = n_features;
  o.n_outputs = n_outputs;
  o.dropout = config.dropout;
  o.teacher_forcing = config.teacher_forcing;
  return o;
}

std::string shape_text(c10::IntArrayRef sizes) {
  std::string out = "[";
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    out += (i ? ", " : "") + std::to_string(sizes[i]);
  }
  return out + "]";
}

// Refuses a tensor of the weights file holding NaN or an infinity: LibTorch checks no checksum of
// the records, so a damaged file (a flipped bit, a bad copy) would otherwise load and answer NaN
// for every track.
void check_finite(const torch::Tensor& tensor, const std::string& path, const std::string& key) {
  const torch::Tensor t = tensor.detach().to(torch::kFloat).contiguous();
  const float* v = t.data_ptr<float>();
  const auto n = static_cast<std::size_t>(t.numel());
  std::size_t bad = 0, first = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(v[i]) && bad++ == 0) first = i;
  }
  if (bad > 0) {
    throw IoError(path + ".pt: the weights are damaged: " + key + " holds " + std::to_string(bad) +
                  " NaN or infinite value(s) (the first at index " + std::to_string(first) +
                  " of " + std::to_string(n) + "); copy or train the model again");
  }
}

}  // namespace

Member make_member(const TrainConfig& config, std::int64_t n_features, std::uint64_t seed,
                   bool initialise) {
  Member m;
  if (is_closed_form(config.model)) return m;
  const int n_nets = config.per_dimension ? 2 : 1;
  for (int d = 0; d < n_nets; ++d) {
    torch::manual_seed(seed_for(seed, {static_cast<std::uint64_t>(d)}));
    m.nets.push_back(
        make_model(config.model, options_for(config, n_features, 3 - n_nets, initialise)));
  }
  return m;
}

torch::Tensor predict_batch(Ensemble& model, const Batch& batch, torch::Tensor* attention,
                            torch::Tensor* spread) {
  torch::NoGradGuard no_grad;
  torch::Tensor sum, sum_sq;
  torch::Tensor att_sum;
  for (Member& m : model.members) {
    torch::Tensor y;
    if (m.nets.empty()) {
      const auto f = m.linear.size(0) - 1;
      y = torch::matmul(batch.x, m.linear.narrow(0, 0, f)) + m.linear[f];
    } else {
      std::vector<torch::Tensor> parts;
      for (auto& net : m.nets) {
        Output out = net->forward(batch);
        parts.push_back(out.y);
        if (attention && out.attention.defined()) {
          att_sum = att_sum.defined() ? att_sum + out.attention : out.attention;
        }
      }
      y = parts.size() == 1 ? parts[0] : torch::cat(parts, 2);
    }
    sum = sum.defined() ? sum + y : y;
    if (spread) sum_sq = sum_sq.defined() ? sum_sq + y * y : y * y;
  }
  const auto n_members = static_cast<double>(model.members.size());
  if (attention) {
    *attention = att_sum.defined()
                     ? att_sum / static_cast<double>(model.members.size() *
                                                     model.members.front().nets.size())
                     : torch::Tensor();
  }
  const torch::Tensor mean = sum / n_members;
  if (spread) *spread = (sum_sq / n_members - mean * mean).clamp_min(0.0).sqrt();
  return mean;
}

bool has_attention(const Ensemble& model) {
  return !model.members.empty() && !model.members.front().nets.empty() &&
         model.members.front().nets.front()->has_attention();
}

void smooth_interleaved(std::vector<float>& y, int width) {
  if (width <= 1) return;
  const std::size_t n = y.size() / 2;
  std::vector<float> a(n), b(n);
  for (std::size_t t = 0; t < n; ++t) {
    a[t] = y[2 * t];
    b[t] = y[2 * t + 1];
  }
  a = triangle_smooth(a, width);
  b = triangle_smooth(b, width);
  for (std::size_t t = 0; t < n; ++t) {
    y[2 * t] = a[t];
    y[2 * t + 1] = b[t];
  }
}

void save_model_file(Ensemble& model, const std::string& path, const ModelSidecar& sidecar) {
  torch::serialize::OutputArchive archive;
  for (std::size_t i = 0; i < model.members.size(); ++i) {
    Member& m = model.members[i];
    const std::string key = "member" + std::to_string(i);
    if (m.nets.empty()) {
      archive.write(key + ".linear", m.linear);
      continue;
    }
    for (std::size_t d = 0; d < m.nets.size(); ++d) {
      torch::serialize::OutputArchive net_archive;
      m.nets[d]->save(net_archive);
      archive.write(key + ".net" + std::to_string(d), net_archive);
    }
  }
  std::ostringstream bytes;
  archive.save_to(bytes);
  write_file_atomic(path + ".pt", bytes.str());
  write_file_atomic(path + ".json", model_sidecar_json(sidecar));
}

Ensemble load_weights(const ModelSidecar& sidecar, const std::string& path) {
  Ensemble model;
  try {
    model.config = train_config_from_json(sidecar.train_config_json);
  } catch (const ConfigError& e) {
    throw ConfigError(path + ".json: " + e.what());
  }
  model.n_features = sidecar.n_features;
  model.norm.mean = sidecar.mean;
  model.norm.std = sidecar.std;
  check_weights_archive(path + ".pt");
  torch::serialize::InputArchive archive;
  try {
    archive.load_from(path + ".pt");
    for (int i = 0; i < model.config.seeds; ++i) {
      Member m = make_member(model.config, model.n_features, 0, /*initialise=*/false);
      const std::string key = "member" + std::to_string(i);
      if (m.nets.empty()) {
        archive.read(key + ".linear", m.linear);
        check_finite(m.linear, path, key + ".linear");
        if (m.linear.dim() != 2 || m.linear.size(0) != model.n_features + 1 ||
            m.linear.size(1) != 2) {
          throw IoError(path + ".pt: the weights do not fit the sidecar's " + model.config.model +
                        ": " + key + ".linear is " + shape_text(m.linear.sizes()) + ", [" +
                        std::to_string(model.n_features + 1) + ", 2] expected");
        }
      } else {
        for (std::size_t d = 0; d < m.nets.size(); ++d) {
          torch::serialize::InputArchive net_archive;
          archive.read(key + ".net" + std::to_string(d), net_archive);
          // load() takes the file's tensors as they are: compare with the sidecar's shapes.
          std::vector<std::pair<std::string, std::vector<std::int64_t>>> shapes;
          for (const auto& p : m.nets[d]->named_parameters()) {
            shapes.emplace_back(p.key(), p.value().sizes().vec());
          }
          m.nets[d]->load(net_archive);
          std::size_t k = 0;
          for (const auto& p : m.nets[d]->named_parameters()) {
            if (p.value().sizes().vec() != shapes[k].second) {
              throw IoError(path + ".pt: the weights do not fit the sidecar's " +
                            model.config.model + " on " + std::to_string(model.n_features) +
                            " features: " + p.key() + " is " + shape_text(p.value().sizes()) +
                            " in the file, " + shape_text(shapes[k].second) + " expected");
            }
            ++k;
          }
          for (const auto& p : m.nets[d]->named_parameters()) {
            check_finite(p.value(), path, key + ".net" + std::to_string(d) + "." + p.key());
          }
          for (const auto& b : m.nets[d]->named_buffers()) {
            check_finite(b.value(), path, key + ".net" + std::to_string(d) + "." + b.key());
          }
          m.nets[d]->eval();
        }
      }
      model.members.push_back(std::move(m));
    }
  } catch (const c10::Error& e) {
    throw IoError(path + ".pt: cannot read the model weights (" +
                  std::string(e.what_without_backtrace()) + ")");
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {  // LibTorch's TorchScript parser throws its own kinds
    throw IoError(path + ".pt: cannot read the model weights (" + std::string(e.what()) + ")");
  }
  return model;
}

ModelFile read_model_file(const std::string& path) {
  ModelFile file;
  file.sidecar = read_model_sidecar(path);
  file.ensemble = load_weights(file.sidecar, path);
  return file;
}

}  // namespace dynemo::models
