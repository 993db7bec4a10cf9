#include "generate/policy/shell_words.h"

#include <gtest/gtest.h>

namespace diary::generate {
namespace {

using Words = std::vector<std::string>;

TEST(ShellWords, SplitsOnWhitespaceAndRemovesQuotes) {
  auto w = split_shell_words(R"(git  commit -m "a \"b\" c" 'it''s' x\ y)");
  EXPECT_EQ(w.words, (Words{"git", "commit", "-m", "a \"b\" c", "its", "x y"}));
  EXPECT_FALSE(w.compound);
}

TEST(ShellWords, OperatorsAreWordsAndMarkCompound) {
  auto w = split_shell_words("cd x&&rm -rf /; ls | wc > out");
  EXPECT_EQ(w.words, (Words{"cd", "x", "&&", "rm", "-rf", "/", ";", "ls", "|", "wc", ">", "out"}));
  EXPECT_TRUE(w.compound);
}

TEST(ShellWords, QuotedOperatorsAreJustText) {
  auto w = split_shell_words(R"(echo "a;b" 'c|d')");
  EXPECT_EQ(w.words, (Words{"echo", "a;b", "c|d"}));
  EXPECT_FALSE(w.compound);
}

TEST(ShellWords, SubstitutionNewlinesAndOpenQuotesMarkCompound) {
  EXPECT_TRUE(split_shell_words("echo $(rm x)").compound);
  EXPECT_TRUE(split_shell_words("echo `rm x`").compound);
  EXPECT_TRUE(split_shell_words("echo \"$(rm x)\"").compound);
  EXPECT_TRUE(split_shell_words("ls\nrm x").compound);
  EXPECT_TRUE(split_shell_words("echo 'open").compound);
  EXPECT_TRUE(split_shell_words("echo \"open").compound);
  EXPECT_FALSE(split_shell_words("echo $HOME").compound);
}

TEST(ShellWords, UnwrapsShellDashC) {
  EXPECT_EQ(unwrap_shell_command("/bin/bash -lc 'git status -s'").words, (Words{"git", "status", "-s"}));
  EXPECT_EQ(unwrap_shell_command("bash -l -c \"npm test\"").words, (Words{"npm", "test"}));
  EXPECT_EQ(unwrap_shell_command("sh -c 'a && b'").words, (Words{"a", "&&", "b"}));
  EXPECT_TRUE(unwrap_shell_command("sh -c 'a && b'").compound);
  // Not the wrapper form: left as is.
  EXPECT_EQ(unwrap_shell_command("bash script.sh").words, (Words{"bash", "script.sh"}));
  EXPECT_EQ(unwrap_shell_command("bash -c 'x' extra").words, (Words{"bash", "-c", "x", "extra"}));
  EXPECT_EQ(unwrap_shell_command("python -c 'print(1)'").words, (Words{"python", "-c", "print(1)"}));
}

}  // namespace
}  // namespace diary::generate
