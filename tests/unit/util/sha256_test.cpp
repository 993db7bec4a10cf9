#include "util/sha256.h"

#include <random>

#include <gtest/gtest.h>

using diary::util::Sha256;
using diary::util::sha256_hex;

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256_hex(std::string(1'000'000, 'a')), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

// Feeding data in odd-sized pieces must give the same digest as one update.
TEST(Sha256, ChunkingAgreesWithOneUpdate) {
  std::mt19937 random(42);
  for (std::size_t length : {0u, 1u, 55u, 56u, 63u, 64u, 65u, 127u, 128u, 1000u, 4097u, 100'003u}) {
    std::string data(length, '\0');
    for (char& c : data) c = static_cast<char>(random());
    const std::string expected = sha256_hex(data);
    Sha256 pieces;
    std::size_t offset = 0;
    for (std::size_t step = 1; offset < length; step = step * 3 % 97 + 1) {
      std::size_t take = std::min(step, length - offset);
      pieces.update(data.data() + offset, take);
      offset += take;
    }
    EXPECT_EQ(pieces.hex_digest(), expected) << "length " << length;
  }
}

TEST(Sha256, MovedHashersKeepTheirStream) {
  Sha256 first;
  first.update("ab");
  Sha256 second = std::move(first);
  second.update("c");
  EXPECT_EQ(second.hex_digest(), sha256_hex("abc"));
}
