// Checkpoints (checkpoint.h).
#include "train/checkpoint.h"

#include <cstdio>
#include <sstream>

#include "dynemo/error.h"
#include "dynemo/io.h"

namespace dynemo::train {

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
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {  // LibTorch's TorchScript parser throws its own kinds
    throw IoError(path + ": unreadable checkpoint (" + std::string(e.what()) +
                  "); delete it to start this fold again");
  }
  return true;
}

}  // namespace dynemo::train
