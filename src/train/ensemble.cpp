// Ensemble prediction and the model file format (<name>.pt weights + <name>.json sidecar).
#include "train/ensemble.h"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "dynemo/error.h"
#include "dynemo/io.h"

namespace dynemo::train {
namespace {

using Json = nlohmann::ordered_json;

models::ModelOptions options_for(const TrainConfig& config, std::int64_t n_features,
                                 std::int64_t n_outputs) {
  models::ModelOptions o;
  o.n_features = n_features;
  o.n_outputs = n_outputs;
  o.dropout = config.dropout;
  o.teacher_forcing = config.teacher_forcing;
  return o;
}

std::string read_text(const std::string& path) { return read_text_file(path, "model file"); }

std::string shape_text(c10::IntArrayRef sizes) {
  std::string out = "[";
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    out += (i ? ", " : "") + std::to_string(sizes[i]);
  }
  return out + "]";
}

// One song's [T, 2] output as interleaved floats, smoothed over `width` frames.
std::vector<float> smoothed_row(const torch::Tensor& row, int width) {
  std::vector<float> v(row.data_ptr<float>(), row.data_ptr<float>() + row.numel());
  smooth_interleaved(v, width);
  return v;
}

}  // namespace

Member make_member(const TrainConfig& config, std::int64_t n_features, std::uint64_t seed) {
  Member m;
  if (models::is_closed_form(config.model)) return m;
  const int n_nets = config.per_dimension ? 2 : 1;
  for (int d = 0; d < n_nets; ++d) {
    torch::manual_seed(seed_for(seed, {static_cast<std::uint64_t>(d)}));
    m.nets.push_back(models::make_model(config.model, options_for(config, n_features, 3 - n_nets)));
  }
  return m;
}

torch::Tensor predict_batch(Ensemble& model, const models::Batch& batch, torch::Tensor* attention,
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
        models::Output out = net->forward(batch);
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

std::vector<std::vector<float>> predict_songs(Ensemble& model, const SongTensors& data,
                                              const std::vector<std::size_t>& songs,
                                              std::vector<std::vector<float>>* spread) {
  std::vector<std::vector<float>> out(songs.size());
  if (spread) spread->assign(songs.size(), {});
  // Group equal lengths so batches need no padding; at most 64 songs per forward pass.
  std::vector<std::size_t> order(songs.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return data.x[songs[a]].size(0) < data.x[songs[b]].size(0);
  });
  for (std::size_t start = 0; start < order.size();) {
    std::size_t end = start;
    std::vector<std::size_t> idx;
    while (end < order.size() && idx.size() < 64 &&
           data.x[songs[order[end]]].size(0) == data.x[songs[order[start]]].size(0)) {
      idx.push_back(songs[order[end]]);
      ++end;
    }
    torch::Tensor sd;
    const torch::Tensor y =
        predict_batch(model, make_batch(data, idx), nullptr, spread ? &sd : nullptr).contiguous();
    if (spread) sd = sd.contiguous();
    for (std::size_t k = start; k < end; ++k) {
      const auto b = static_cast<std::int64_t>(k - start);
      out[order[k]] = smoothed_row(y[b], model.config.smoothing_frames);
      if (spread) (*spread)[order[k]] = smoothed_row(sd[b], model.config.smoothing_frames);
    }
    start = end;
  }
  return out;
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

void save_ensemble(Ensemble& model, const std::string& path, const std::string& sidecar_json) {
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
  write_file_atomic(path + ".json", sidecar_json + "\n");
}

Ensemble load_ensemble(const std::string& path) {
  const std::string json_path = path + ".json";
  Json j;
  try {
    j = Json::parse(read_text(json_path));
  } catch (const Json::exception& e) {
    throw IoError(json_path + ": not a dynemo model sidecar (" + e.what() + ")");
  }
  Ensemble model;
  try {
    model.config = train_config_from_json(j.at("train_config").dump());
    model.n_features = j.at("n_features").get<std::int64_t>();
    model.norm.mean = j.at("normalisation").at("mean").get<std::vector<float>>();
    model.norm.std = j.at("normalisation").at("std").get<std::vector<float>>();
  } catch (const Json::exception& e) {
    throw IoError(json_path + ": missing or malformed field (" + e.what() + ")");
  }
  if (model.norm.mean.size() != static_cast<std::size_t>(model.n_features) ||
      model.norm.std.size() != model.norm.mean.size()) {
    throw IoError(json_path + ": normalisation has " + std::to_string(model.norm.mean.size()) +
                  " values but the model takes " + std::to_string(model.n_features) + " features");
  }
  torch::serialize::InputArchive archive;
  try {
    archive.load_from(path + ".pt");
    for (int i = 0; i < model.config.seeds; ++i) {
      Member m = make_member(model.config, model.n_features, 0);
      const std::string key = "member" + std::to_string(i);
      if (m.nets.empty()) {
        archive.read(key + ".linear", m.linear);
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
          m.nets[d]->eval();
        }
      }
      model.members.push_back(std::move(m));
    }
  } catch (const c10::Error& e) {
    throw IoError(path + ".pt: cannot read the model weights (" +
                  std::string(e.what_without_backtrace()) + ")");
  }
  return model;
}

}  // namespace dynemo::train
