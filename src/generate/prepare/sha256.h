// Streaming SHA-256 (FIPS 180-4) for project keys and session checksums. Self-contained so
// that src/generate needs no crypto library. One instance per stream; not thread-safe, but
// independent instances may be used from different threads.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace diary::generate::prepare {

// `portable` forces the plain C++ rounds (tests compare it with the hardware path).
enum class Sha256Engine { automatic, portable };

class Sha256 {
 public:
  explicit Sha256(Sha256Engine engine = Sha256Engine::automatic);
  void update(const void* data, std::size_t size);
  void update(std::string_view bytes) { update(bytes.data(), bytes.size()); }
  // Finishes the stream; the object must not be updated afterwards.
  std::array<std::uint8_t, 32> digest();
  std::string hex_digest();

 private:
  void compress(const std::uint8_t* block, std::size_t blocks);

  std::array<std::uint32_t, 8> state_;
  std::array<std::uint8_t, 64> buffer_{};
  std::size_t buffered_ = 0;
  bool use_sha_ni_ = false;
  std::uint64_t total_bytes_ = 0;
};

// Lowercase hex SHA-256 of a whole string (small inputs such as project roots).
std::string sha256_hex(std::string_view bytes);

}  // namespace diary::generate::prepare
