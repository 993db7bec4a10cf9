#include "codex/codex_binary.h"

#include <gtest/gtest.h>

namespace diary::codex {
namespace {

TEST(VersionFromUserAgent, ReadsTheVersionAfterTheFirstSlash) {
  EXPECT_EQ(version_from_user_agent("codex_cli_rs/0.169.0 (Debian 12; x86_64) xterm"), "0.169.0");
  EXPECT_EQ(version_from_user_agent("diary/1.2.3-rc.1+build"), "1.2.3-rc.1");
  EXPECT_EQ(version_from_user_agent("diary/1.2.3-"), "1.2.3");
  EXPECT_EQ(version_from_user_agent("/0.169.0"), std::nullopt);
  EXPECT_EQ(version_from_user_agent("a b/0.169.0"), std::nullopt);
  EXPECT_EQ(version_from_user_agent("diary/0.169"), std::nullopt);
  EXPECT_EQ(version_from_user_agent("diary/x0.169.0"), std::nullopt);
}

TEST(VersionFromUserAgent, HugeHostileUserAgentsAreLinear) {
  // std::regex recursed per character here: 30 KB without '/' was a SIGSEGV.
  EXPECT_EQ(version_from_user_agent(std::string(30'000, 'x')), std::nullopt);
  EXPECT_EQ(version_from_user_agent(std::string(5'000'000, 'x')), std::nullopt);
  EXPECT_EQ(version_from_user_agent("a/" + std::string(5'000'000, '1')), std::nullopt);
  EXPECT_EQ(version_from_user_agent("a/1.2." + std::string(5'000'000, '3')), "1.2." + std::string(5'000'000, '3'));
}

}  // namespace
}  // namespace diary::codex
