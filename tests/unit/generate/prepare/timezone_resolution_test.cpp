#include "generate/prepare/timezone_resolution.h"

#include <gtest/gtest.h>

#include "support/scratch_dir.h"

namespace {

using namespace diary::generate::prepare;
using diary::agent::ErrorKind;

// Sources with no system files at all, so only what a test sets counts.
TimezoneSources isolated(const diary::test::ScratchDir& scratch) {
  TimezoneSources sources;
  sources.etc_timezone = scratch / "no-timezone";
  sources.etc_localtime = scratch / "no-localtime";
  return sources;
}

TEST(ResolveTimezone, FlagWinsOverEverything) {
  diary::test::ScratchDir scratch;
  auto sources = isolated(scratch);
  sources.flag = "Asia/Tokyo";
  sources.diary_timezone = "Europe/Paris";
  sources.tz = "America/Chicago";
  auto resolved = resolve_timezone(sources);
  ASSERT_TRUE(resolved);
  EXPECT_EQ(resolved->name, "Asia/Tokyo");
  EXPECT_EQ(resolved->origin, "--timezone");
  EXPECT_NE(resolved->zone, nullptr);
}

TEST(ResolveTimezone, DiaryTimezoneBeforeTz) {
  diary::test::ScratchDir scratch;
  auto sources = isolated(scratch);
  sources.diary_timezone = "Europe/Paris";
  sources.tz = "America/Chicago";
  EXPECT_EQ(resolve_timezone(sources)->name, "Europe/Paris");
  sources.diary_timezone = "  ";
  EXPECT_EQ(resolve_timezone(sources)->name, "America/Chicago");
  EXPECT_EQ(resolve_timezone(sources)->origin, "TZ");
}

TEST(ResolveTimezone, SkipsBlankAndColonTz) {
  diary::test::ScratchDir scratch;
  auto sources = isolated(scratch);
  diary::test::write_file(scratch / "timezone", "Europe/Berlin\n");
  sources.etc_timezone = scratch / "timezone";
  for (auto tz : {"", "   ", ":/etc/localtime", ":Europe/Paris"}) {
    sources.tz = tz;
    auto resolved = resolve_timezone(sources);
    ASSERT_TRUE(resolved) << tz;
    EXPECT_EQ(resolved->name, "Europe/Berlin") << tz;
  }
}

TEST(ResolveTimezone, EtcTimezoneThenLocaltimeLinkThenUtc) {
  diary::test::ScratchDir scratch;
  auto sources = isolated(scratch);
  EXPECT_EQ(resolve_timezone(sources)->name, "UTC");
  EXPECT_EQ(resolve_timezone(sources)->origin, "default");

  std::filesystem::create_symlink("/usr/share/zoneinfo/posix/Australia/Sydney", scratch / "localtime");
  sources.etc_localtime = scratch / "localtime";
  EXPECT_EQ(resolve_timezone(sources)->name, "Australia/Sydney");

  diary::test::write_file(scratch / "timezone", "  America/Denver  \n");
  sources.etc_timezone = scratch / "timezone";
  EXPECT_EQ(resolve_timezone(sources)->name, "America/Denver");
}

TEST(ResolveTimezone, LocaltimeThatIsNoLinkFallsBackToUtc) {
  diary::test::ScratchDir scratch;
  auto sources = isolated(scratch);
  diary::test::write_file(scratch / "localtime", "TZif...");
  sources.etc_localtime = scratch / "localtime";
  EXPECT_EQ(resolve_timezone(sources)->name, "UTC");
}

TEST(ResolveTimezone, UnknownZoneIsAnErrorNamingItsOrigin) {
  diary::test::ScratchDir scratch;
  auto sources = isolated(scratch);
  sources.tz = "Nowhere/Special";
  auto resolved = resolve_timezone(sources);
  ASSERT_FALSE(resolved);
  EXPECT_EQ(resolved.error().kind, ErrorKind::invalid_input);
  EXPECT_NE(resolved.error().message.find("Nowhere/Special"), std::string::npos);
  EXPECT_NE(resolved.error().message.find("TZ"), std::string::npos);
}

TEST(ResolveTimezone, EmptyFlagIsAnError) {
  diary::test::ScratchDir scratch;
  auto sources = isolated(scratch);
  sources.flag = "";
  EXPECT_FALSE(resolve_timezone(sources));
}

}  // namespace
