// Runs body(0..count-1) on up to `threads` worker threads (work is taken one index at a time,
// so uneven file sizes balance out). The body must not throw and must only touch its own
// index's state. Returns when every index is done.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace diary::generate::prepare {

template <class Body>
void parallel_for(std::size_t count, unsigned threads, const Body& body) {
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i = next++; i < count; i = next++) body(i);
  };
  const std::size_t helpers = std::min<std::size_t>(threads > 0 ? threads - 1 : 0, count > 0 ? count - 1 : 0);
  std::vector<std::jthread> pool;
  pool.reserve(helpers);
  for (std::size_t i = 0; i < helpers; ++i) pool.emplace_back(worker);
  worker();
}

}  // namespace diary::generate::prepare
