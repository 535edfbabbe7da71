// Model names are configurations: the registry parses "LSTM_AT_400" into a family and its sizes
// and calls the family's factory (families.h).
#include <cctype>
#include <string>
#include <vector>

#include "dynemo/error.h"
#include "models/families.h"
#include "models/model.h"

namespace dynemo::models {
namespace {

std::vector<std::string> split_name(const std::string& name) {
  std::vector<std::string> parts;
  std::string current;
  for (char c : name) {
    if (c == '_') {
      parts.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  parts.push_back(current);
  return parts;
}

[[noreturn]] void fail(const std::string& name, const std::string& problem) {
  throw ConfigError("model '" + name + "': " + problem);
}

std::int64_t positive(const std::string& name, const std::string& text, const std::string& what) {
  bool digits = !text.empty() && text.size() < 10;
  for (char c : text) digits = digits && std::isdigit(static_cast<unsigned char>(c));
  const std::int64_t value = digits ? std::stoll(text) : 0;
  if (value <= 0) fail(name, what + " '" + text + "' is not a positive integer");
  return value;
}

// parts[first..] as positive sizes; at least one.
std::vector<std::int64_t> sizes(const std::string& name, const std::vector<std::string>& parts,
                                std::size_t first, const std::string& what) {
  if (parts.size() <= first) fail(name, "expected at least one " + what);
  std::vector<std::int64_t> out;
  for (std::size_t i = first; i < parts.size(); ++i) out.push_back(positive(name, parts[i], what));
  return out;
}

// "<h>x<n>" -> {h, n}
std::pair<std::int64_t, std::int64_t> units_by_layers(const std::string& name,
                                                      const std::string& text) {
  const std::size_t x = text.find('x');
  if (x == std::string::npos) fail(name, "expected <units>x<layers>, got '" + text + "'");
  return {positive(name, text.substr(0, x), "hidden size"),
          positive(name, text.substr(x + 1), "layer count")};
}

std::shared_ptr<SequenceModel> make_context_model(const std::string& name,
                                                  const std::vector<std::string>& p, bool uniform,
                                                  const ModelOptions& options) {
  // MCA_ALSTM_<h>x<n>[_S<s1>_<s2>...]
  if (p.size() < 3 || p[1] != "ALSTM") fail(name, "expected " + p[0] + "_ALSTM_<h>x<n>[_S5_10_20]");
  const auto [hidden, layers] = units_by_layers(name, p[2]);
  std::vector<std::int64_t> scales = {5, 10, 20};
  if (p.size() > 3) {
    if (p[3].empty() || p[3][0] != 'S')
      fail(name, "expected scales as _S<s1>_<s2>..., got '" + p[3] + "'");
    std::vector<std::string> scale_parts(p.begin() + 3, p.end());
    scale_parts[0] = scale_parts[0].substr(1);
    scales = sizes(name, scale_parts, 0, "context scale");
  }
  return make_mca(hidden, layers, scales, uniform, options);
}

}  // namespace

const std::vector<ModelInfo>& model_infos() {
  static const std::vector<ModelInfo> infos = {
      {"LSTM_NAT_<h1>[_<h2>...]", "LSTM_NAT_400",
       "stacked LSTM, per-frame linear output (no attention)",
       "Weninger et al. 2014; Chaki et al., ISMIR 2020 (baseline)"},
      {"LSTM_AT_<h1>[_<h2>...][_W<w>]", "LSTM_AT_400",
       "LSTM encoder + additive attention over all frames (with W: the frames within w of t), "
       "previous output fed back",
       "Chaki et al., ISMIR 2020, eqs. 1-4"},
      {"BAT_<h1>[_<h2>...]", "BAT_400",
       "as LSTM_AT but attends only to frames before t (causal, streamable)",
       "Chaki et al., ISMIR 2020 (backward attention)"},
      {"TRANSFORMER_<layers>", "TRANSFORMER_2",
       "encoder-only Transformer, input projection, sinusoidal positions, per-frame output",
       "Chaki et al., AffCon 2020; Vaswani et al. 2017"},
      {"ALSTM_<h>x<n>_L<l>", "ALSTM_150x3_L10",
       "sequence-to-one attention LSTM over the l frames ending at each frame",
       "Ma et al. 2017, section 2.1"},
      {"MCA_ALSTM_<h>x<n>[_S<s1>_<s2>...]", "MCA_ALSTM_150x3",
       "multi-scale context attention over ALSTM contexts (default 5, 10, 20 frames)",
       "Ma et al. 2017, section 2.2"},
      {"UMCA_ALSTM_<h>x<n>[_S<s1>_<s2>...]", "UMCA_ALSTM_150x3",
       "MCA with uniform scale weights 1/N", "Ma et al. 2017, section 2.2"},
      {"DLSTM_<h1>_<h2>_<h3>", "DLSTM_200_150_25",
       "deep LSTM, first layer pre-trained as a denoising LSTM autoencoder, joint outputs",
       "Coutinho et al., MediaEval 2015"},
      {"CTX_MLP_<h>x<n>_C<c1>[_<c2>...]", "CTX_MLP_256x2_C6",
       "per-frame MLP on each frame and the mean and std of its last c1, c2, ... frames (causal "
       "song context), inputs clipped at 5 sigma, input noise in training",
       "dynemo (song context as in the MediaEval 2015 baselines; Coutinho et al. 2015)"},
      {"RIDGE", "RIDGE",
       "per-frame linear ridge regression in closed form, alpha chosen on validation songs",
       "Hoerl & Kennard 1970 (reference row)"},
      {"MEAN", "MEAN", "predicts the training songs' mean arousal and valence everywhere",
       "reference row: the floor every model must beat"},
  };
  return infos;
}

bool is_closed_form(const std::string& name) { return name == "RIDGE" || name == "MEAN"; }

std::shared_ptr<SequenceModel> make_model(const std::string& name, const ModelOptions& options) {
  if (options.n_features <= 0) fail(name, "the number of input features must be positive");
  if (options.n_outputs <= 0) fail(name, "the number of outputs must be positive");
  if (is_closed_form(name)) fail(name, "fitted in closed form by the trainer, not built");
  const std::vector<std::string> p = split_name(name);
  std::shared_ptr<SequenceModel> model;
  if (p.size() >= 2 && p[0] == "LSTM" && p[1] == "NAT") {
    model = make_lstm_nat(sizes(name, p, 2, "hidden size"), options);
  } else if (p.size() >= 2 && p[0] == "LSTM" && p[1] == "AT") {
    // An optional last part W<w>: attention limited to the frames within w of the output frame.
    std::vector<std::string> parts = p;
    std::int64_t window = 0;
    if (parts.size() > 3 && !parts.back().empty() && parts.back()[0] == 'W') {
      window = positive(name, parts.back().substr(1), "attention window");
      parts.pop_back();
    }
    model = make_attention_lstm(sizes(name, parts, 2, "hidden size"), false, window, options);
  } else if (p[0] == "BAT") {
    model = make_attention_lstm(sizes(name, p, 1, "hidden size"), true, 0, options);
  } else if (p[0] == "TRANSFORMER") {
    if (p.size() != 2) fail(name, "expected TRANSFORMER_<layers>");
    model = make_transformer(positive(name, p[1], "layer count"), options);
  } else if (p[0] == "ALSTM") {
    if (p.size() != 3 || p[2].empty() || p[2][0] != 'L') fail(name, "expected ALSTM_<h>x<n>_L<l>");
    const auto [hidden, layers] = units_by_layers(name, p[1]);
    model = make_alstm(hidden, layers, positive(name, p[2].substr(1), "context length"), options);
  } else if (p[0] == "MCA" || p[0] == "UMCA") {
    model = make_context_model(name, p, p[0] == "UMCA", options);
  } else if (p.size() >= 2 && p[0] == "CTX" && p[1] == "MLP") {
    if (p.size() < 4 || p[3].empty() || p[3][0] != 'C') {
      fail(name, "expected CTX_MLP_<h>x<n>_C<c1>[_<c2>...]");
    }
    const auto [hidden, layers] = units_by_layers(name, p[2]);
    std::vector<std::string> context_parts(p.begin() + 3, p.end());
    context_parts[0] = context_parts[0].substr(1);
    model =
        make_context_mlp(hidden, layers, sizes(name, context_parts, 0, "context length"), options);
  } else if (p[0] == "DLSTM") {
    model = make_dlstm(sizes(name, p, 1, "hidden size"), options);
  } else {
    std::string known;
    for (const ModelInfo& info : model_infos()) known += (known.empty() ? "" : ", ") + info.pattern;
    fail(name, "unknown model family (known: " + known + ")");
  }
  model->set_name(name);
  return model;
}

}  // namespace dynemo::models
