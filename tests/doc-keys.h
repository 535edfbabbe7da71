// The JSON keys docs/formats.md documents for a file, so that tests check freshly written files
// against the page: every backticked lower-case identifier (`n_rows`, not `Predictor`,
// `index.json` or `_std`) of the bullet that starts with `marker` under the heading that starts
// with `heading`, the bullet running to the next top-level bullet, blank line or heading.
#pragma once

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace dynemo::testing {

inline std::vector<std::string> documented_keys(const std::string& heading,
                                                const std::string& marker) {
  std::ifstream in(std::string(DYNEMO_SOURCE_DIR) + "/docs/formats.md");
  std::string line, bullet;
  bool in_section = false, in_bullet = false;
  while (std::getline(in, line)) {
    if (line.rfind("#", 0) == 0) {
      if (in_bullet) break;
      in_section = line.find(heading) != std::string::npos;
      continue;
    }
    if (!in_section) continue;
    if (in_bullet && (line.empty() || line.rfind("- ", 0) == 0)) break;
    if (!in_bullet && line.rfind(marker, 0) == 0) in_bullet = true;
    if (in_bullet) bullet += line + "\n";
  }
  std::vector<std::string> keys;
  const std::regex code("`([a-z][a-z0-9_]*)`");
  for (std::sregex_iterator it(bullet.begin(), bullet.end(), code), end; it != end; ++it) {
    keys.push_back((*it)[1]);
  }
  return keys;
}

inline void collect_keys(const nlohmann::ordered_json& j, std::set<std::string>* keys) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      keys->insert(it.key());
      collect_keys(it.value(), keys);
    }
  } else if (j.is_array()) {
    for (const auto& v : j) collect_keys(v, keys);
  }
}

// Every key documented for the file (except `optional` ones) is a key of `j`, at any depth; at
// least `min_keys` keys are documented (the bullet was found).
inline void expect_documented_keys(const std::string& heading, const std::string& marker,
                                   const std::string& json_text, std::size_t min_keys,
                                   const std::set<std::string>& optional = {}) {
  const std::vector<std::string> keys = documented_keys(heading, marker);
  EXPECT_GE(keys.size(), min_keys) << heading << " / " << marker;
  std::set<std::string> written;
  collect_keys(nlohmann::ordered_json::parse(json_text), &written);
  for (const std::string& key : keys) {
    if (optional.count(key)) continue;
    EXPECT_TRUE(written.count(key)) << "docs/formats.md (" << heading << ", " << marker
                                    << ") documents `" << key << "`, not in the written file";
  }
}

}  // namespace dynemo::testing
