// Streaming SHA-256 through OpenSSL's EVP interface (no crypto of our own): project keys,
// session checksums, inputs_sha256 of turns and projects. One instance per stream, not
// thread-safe; independent instances may be used from different threads.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

struct evp_md_ctx_st;

namespace diary::util {

class Sha256 {
 public:
  Sha256();
  Sha256(Sha256&& other) noexcept;
  Sha256& operator=(Sha256&& other) noexcept;
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  ~Sha256();

  void update(const void* data, std::size_t size);
  void update(std::string_view bytes) { update(bytes.data(), bytes.size()); }
  // Finishes the stream; the object must not be updated afterwards.
  std::array<std::uint8_t, 32> digest();
  std::string hex_digest();

 private:
  evp_md_ctx_st* context_ = nullptr;
};

// Lowercase hex SHA-256 of a whole string (small inputs such as project roots).
std::string sha256_hex(std::string_view bytes);

}  // namespace diary::util
