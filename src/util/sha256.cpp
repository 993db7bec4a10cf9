#include "util/sha256.h"

#include <cstdio>
#include <cstdlib>
#include <utility>

#include <openssl/evp.h>

namespace diary::util {

namespace {

// Fetched once (OpenSSL 3: an implicit fetch per EVP_DigestInit_ex would cost a lookup per
// hasher, and turn_inputs makes one per turn).
const EVP_MD* sha256_md() {
  static const EVP_MD* md = [] {
    const EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return fetched != nullptr ? fetched : EVP_sha256();
  }();
  return md;
}

// The library cannot hash at all (out of memory, broken installation): nothing sensible is
// left to do, as with a failed allocation.
[[noreturn]] void fatal(const char* what) {
  std::fprintf(stderr, "diary: OpenSSL SHA-256 failed: %s\n", what);
  std::abort();
}

}  // namespace

Sha256::Sha256() : context_(EVP_MD_CTX_new()) {
  if (context_ == nullptr) fatal("EVP_MD_CTX_new");
  if (EVP_DigestInit_ex(context_, sha256_md(), nullptr) != 1) fatal("EVP_DigestInit_ex");
}

Sha256::Sha256(Sha256&& other) noexcept : context_(std::exchange(other.context_, nullptr)) {}

Sha256& Sha256::operator=(Sha256&& other) noexcept {
  std::swap(context_, other.context_);
  return *this;
}

Sha256::~Sha256() { EVP_MD_CTX_free(context_); }

void Sha256::update(const void* data, std::size_t size) {
  if (size == 0) return;
  if (EVP_DigestUpdate(context_, data, size) != 1) fatal("EVP_DigestUpdate");
}

std::array<std::uint8_t, 32> Sha256::digest() {
  std::array<std::uint8_t, 32> out{};
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(context_, out.data(), &length) != 1 || length != out.size()) fatal("EVP_DigestFinal_ex");
  return out;
}

std::string Sha256::hex_digest() {
  static constexpr char digits[] = "0123456789abcdef";
  const auto bytes = digest();
  std::string out;
  out.reserve(64);
  for (const auto byte : bytes) {
    out += digits[byte >> 4];
    out += digits[byte & 0xF];
  }
  return out;
}

std::string sha256_hex(std::string_view bytes) {
  Sha256 hasher;
  hasher.update(bytes);
  return hasher.hex_digest();
}

}  // namespace diary::util
