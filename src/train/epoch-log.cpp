// epochs.csv lines (fit.h).
#include <sstream>

#include "train/fit.h"

namespace dynemo::train {

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

}  // namespace dynemo::train
