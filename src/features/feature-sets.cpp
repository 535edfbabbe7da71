// The music feature sets of Chaki et al. (ISMIR 2020, section 4.1.2), with librosa 0.11's
// frame-level definitions. Column names and order follow ../shared/reference/*.librosa_*.csv.
#include <utility>

#include "features/chroma.h"
#include "features/feature-set.h"
#include "features/listener-compare.h"
#include "features/listener.h"
#include "features/mel.h"
#include "features/spectral-shape.h"
#include "features/temporal.h"

namespace dynemo::features {
namespace {

constexpr const char* kLibrosaRef = "librosa 0.11 (McFee et al.); Chaki et al., ISMIR 2020, 4.1.2";
constexpr int kChromaBinsPerOctave = 36;

FrameGroup group(std::vector<std::string> names, FrameMatrix frames) {
  return {std::move(names), std::move(frames)};
}

FrameMatrix column(const FrameMatrix& m, std::size_t c) {
  FrameMatrix out(m.n_frames, 1);
  for (std::size_t t = 0; t < m.n_frames; ++t) out.data[t] = m.at(t, c);
  return out;
}

// chroma_cqt: the CQT folded onto pitch classes (unnormalised, as chroma_cens starts from it),
// then max-normalised.
FrameMatrix max_normalised(FrameMatrix chroma) {
  normalize_max(chroma);
  return chroma;
}

std::vector<FrameGroup> compute_spectral(Analysis& a) {
  const FeatureConfig& c = a.config();
  // First: one pass over the spectrogram also yields both tunings used below.
  const Analysis::SpectralFrames& f = a.spectral_frames();
  std::vector<FrameGroup> g;
  g.push_back(group(indexed_names("chroma_stft", 12),
                    chroma_stft(a.magnitude(), a.bins(), a.stft_tuning())));
  const FrameMatrix cqt_chroma = fold_cqt_to_chroma(a.cqt_tuned(), kChromaBinsPerOctave);
  g.push_back(group(indexed_names("chroma_cqt", 12), max_normalised(cqt_chroma)));
  g.push_back(group(indexed_names("chroma_cens", 12), chroma_cens(cqt_chroma)));
  g.push_back(group(indexed_names("mfcc", 20),
                    mfcc_from_db(power_to_db(f.mel_power, 1e-10, 80.0, a.mel_max_db()), 20)));
  g.push_back(group({"rms"}, frame_rms(a.samples(), a.n_samples(), c.n_fft, c.hop_length)));
  g.push_back(group(indexed_names("mel", 128), f.mel_power));
  g.push_back(group({"spectral_centroid"}, column(f.shape, 0)));
  g.push_back(group({"spectral_bandwidth"}, column(f.shape, 1)));
  g.push_back(group(indexed_names("spectral_contrast", 7), f.contrast));
  g.push_back(group({"spectral_flatness"}, column(f.shape, 2)));
  g.push_back(group({"spectral_rolloff"}, column(f.shape, 3)));
  g.push_back(
      group({"zcr"}, frame_zero_crossing_rate(a.samples(), a.n_samples(), c.n_fft, c.hop_length)));
  return g;
}

std::vector<FrameGroup> compute_cqt(Analysis& a) {
  return {group(indexed_names("cqt", 252), a.cqt_untuned())};
}

std::vector<FrameGroup> compute_chroma(Analysis& a) {
  std::vector<FrameGroup> g;
  g.push_back(group(indexed_names("chroma_stft", 12),
                    chroma_stft(a.magnitude(), a.bins(), a.stft_tuning())));
  g.push_back(group(indexed_names("chroma_cqt", 12),
                    max_normalised(fold_cqt_to_chroma(a.cqt_tuned(), kChromaBinsPerOctave))));
  return g;
}

std::vector<std::string> concat(std::vector<std::vector<std::string>> parts) {
  std::vector<std::string> out;
  for (auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

std::vector<FeatureSetDef> make_defs() {
  std::vector<FeatureSetDef> defs;
  {
    FeatureSetDef d;
    d.columns = concat({indexed_names("chroma_stft", 12),
                        indexed_names("chroma_cqt", 12),
                        indexed_names("chroma_cens", 12),
                        indexed_names("mfcc", 20),
                        {"rms"},
                        indexed_names("mel", 128),
                        {"spectral_centroid", "spectral_bandwidth"},
                        indexed_names("spectral_contrast", 7),
                        {"spectral_flatness", "spectral_rolloff", "zcr"}});
    d.info = {"spectral",
              "chroma (STFT, CQT, CENS), 20 MFCC, RMS, 128 mel bands (linear power), centroid, "
              "bandwidth, 7 contrast bands, flatness, roll-off, zero-crossing rate",
              kLibrosaRef, d.columns.size()};
    d.needs_tuned_cqt = true;
    d.uses_tunings = true;
    d.compute = compute_spectral;
    defs.push_back(std::move(d));
  }
  {
    FeatureSetDef d;
    d.columns = indexed_names("cqt", 252);
    d.info = {"cqt", "constant-Q magnitude, 7 octaves x 36 bins from C1 (32.7 Hz), tuning 0",
              kLibrosaRef, d.columns.size()};
    d.needs_untuned_cqt = true;
    d.compute = compute_cqt;
    defs.push_back(std::move(d));
  }
  {
    FeatureSetDef d;
    d.columns = concat({indexed_names("chroma_stft", 12), indexed_names("chroma_cqt", 12)});
    d.info = {"chroma", "chroma from the STFT and from the CQT (12 + 12)", kLibrosaRef,
              d.columns.size()};
    d.needs_tuned_cqt = true;
    d.uses_tunings = true;
    d.compute = compute_chroma;
    defs.push_back(std::move(d));
  }
  append_compare_sets(defs);
  {
    FeatureSetDef d;
    d.columns = listener_columns();
    d.info = {"listener",
              "what a listener hears, whatever the encoding: the input band-limited to 8 kHz "
              "(analysed at 16 kHz), mean and std of 64 ComParE 2016 LLDs (power-like ones in dB "
              "above white noise at -70 dBFS) and of 64 log-mel bands, onset flux, chroma, "
              "major/minor key clarity; the default model's input",
              "dynemo (docs/conventions.md, the listener set); LLDs: openSMILE ComParE 2016; "
              "key profiles: Krumhansl & Kessler 1982",
              d.columns.size()};
    d.compute_rows = [](const float* y, std::size_t n, const FeatureConfig& c,
                        const std::vector<double>& starts,
                        PieceState*) { return listener_windows(y, n, c, starts); };
    d.revision = kListenerRevision;
    defs.push_back(std::move(d));
  }
  {
    FeatureSetDef d;
    d.columns = listener_compare_columns();
    d.info = {"listener-compare",
              "the ComParE 2016 functionals of `compare` (percentiles, moments, segments, times, "
              "LPC, means, peaks and slopes, regression) over the listener set's LLDs and their "
              "deltas: band-limited to 8 kHz, power-like LLDs in dB above the listener floor, no "
              "spectral slope (6273 columns)",
              "dynemo (docs/conventions.md, the listener set); functionals: openSMILE ComParE "
              "2016",
              d.columns.size()};
    d.compute_rows = [](const float* y, std::size_t n, const FeatureConfig& c,
                        const std::vector<double>& starts,
                        PieceState*) { return listener_compare_windows(y, n, c, starts); };
    d.revision = kListenerRevision;
    defs.push_back(std::move(d));
  }
  return defs;
}

}  // namespace

std::vector<std::string> indexed_names(const std::string& stem, std::size_t n) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < n; ++i) names.push_back(stem + "_" + std::to_string(i));
  return names;
}

int feature_set_revision(const std::string& name) {
  for (const FeatureSetDef& d : feature_set_defs()) {
    if (d.info.name == name) return d.revision;
  }
  return 0;
}

const std::vector<FeatureSetDef>& feature_set_defs() {
  static const std::vector<FeatureSetDef> defs = make_defs();
  return defs;
}

}  // namespace dynemo::features
