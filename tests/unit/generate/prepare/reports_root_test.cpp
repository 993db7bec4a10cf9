#include "generate/prepare/reports_root.h"

#include <cstdlib>

#include <gtest/gtest.h>

#include "support/scratch_dir.h"

namespace {

using namespace diary::generate::prepare;

TEST(ReportsRoot, Precedence) {
  ReportsRootSources sources{"/flag", "/diary-home", "/config", "/xdg-data", "/home/u"};
  EXPECT_EQ(*resolve_reports_root(sources), "/flag");
  sources.flag.reset();
  EXPECT_EQ(*resolve_reports_root(sources), "/diary-home");
  sources.diary_home.reset();
  EXPECT_EQ(*resolve_reports_root(sources), "/config");
  sources.config_value.reset();
  EXPECT_EQ(*resolve_reports_root(sources), "/xdg-data/diary");
  sources.xdg_data_home.reset();
  EXPECT_EQ(*resolve_reports_root(sources), "/home/u/.local/share/diary");
  sources.home.reset();
  EXPECT_FALSE(resolve_reports_root(sources));
}

TEST(ReportsRoot, ExpandsTildeAndMakesAbsolute) {
  ReportsRootSources sources;
  sources.home = "/home/u";
  sources.flag = "~/diary";
  EXPECT_EQ(*resolve_reports_root(sources), "/home/u/diary");
  sources.flag = "relative/../root";
  EXPECT_EQ(*resolve_reports_root(sources), (std::filesystem::current_path() / "root").lexically_normal());
  sources.flag = "";
  EXPECT_FALSE(resolve_reports_root(sources));
}

// The config file is read only when neither flag nor DIARY_HOME decide; a broken one is an error.
TEST(ReportsRoot, ConfigFileFromXdgConfigHome) {
  diary::test::ScratchDir scratch;
  const char* saved_xdg = std::getenv("XDG_CONFIG_HOME");
  const char* saved_home = std::getenv("DIARY_HOME");
  std::string saved_xdg_value = saved_xdg ? saved_xdg : "";
  std::string saved_home_value = saved_home ? saved_home : "";
  ::setenv("XDG_CONFIG_HOME", scratch.path().c_str(), 1);
  ::unsetenv("DIARY_HOME");

  diary::test::write_file(scratch / "diary" / "config.json", R"({"reports_root": "/from/config"})");
  auto sources = reports_root_sources_from_environment(std::nullopt);
  ASSERT_TRUE(sources);
  EXPECT_EQ(sources->config_value, "/from/config");
  EXPECT_EQ(*resolve_reports_root(*sources), "/from/config");

  diary::test::write_file(scratch / "diary" / "config.json", "{not json");
  auto broken = reports_root_sources_from_environment(std::nullopt);
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().kind, diary::agent::ErrorKind::invalid_input);
  EXPECT_TRUE(reports_root_sources_from_environment(std::string("/flag")));  // not even read

  if (saved_xdg) ::setenv("XDG_CONFIG_HOME", saved_xdg_value.c_str(), 1);
  else ::unsetenv("XDG_CONFIG_HOME");
  if (saved_home) ::setenv("DIARY_HOME", saved_home_value.c_str(), 1);
}

}  // namespace
