// The few values (filter banks, kernels) a thread built last, by the exact inputs that made
// them: a batch builds the same banks for file after file (the same rate, the same tuning, which
// takes one of a hundred values), so each is built once per thread instead of once per file.
#pragma once

#include <cstddef>
#include <deque>
#include <iterator>
#include <utility>

namespace dynemo::features {

template <class Key, class Value, std::size_t Capacity>
class RecentCache {
 public:
  // The value made for `key`, made by make() when it is not held (the one used longest ago is
  // then dropped). The reference is valid until the next call.
  template <class Make>
  const Value& get(const Key& key, Make make) {
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (it->first != key) continue;
      if (std::next(it) != entries_.end()) {  // used now: last to go
        auto entry = std::move(*it);
        entries_.erase(it);
        entries_.push_back(std::move(entry));
      }
      return entries_.back().second;
    }
    if (entries_.size() == Capacity) entries_.pop_front();
    entries_.emplace_back(key, make());
    return entries_.back().second;
  }

 private:
  std::deque<std::pair<Key, Value>> entries_;
};

}  // namespace dynemo::features
