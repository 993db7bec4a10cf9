// The one error-kind -> exit-code table: a codex that answers in a shape diary cannot read is
// a missing prerequisite (3), like a missing binary or login.
#include "cmds/exit_codes.h"

#include <gtest/gtest.h>

namespace diary::cmds {
namespace {

using agent::ErrorKind;

TEST(ExitCodes, ProtocolMismatchesAreBlocked) {
  EXPECT_EQ(exit_code_for(ErrorKind::protocol), exit_blocked);
  EXPECT_EQ(exit_code_for(ErrorKind::blocked), exit_blocked);
  EXPECT_EQ(exit_code_for(ErrorKind::invalid_input), exit_bad_input);
  EXPECT_EQ(exit_code_for(ErrorKind::cancelled), exit_interrupted);
  EXPECT_EQ(exit_code_for(ErrorKind::turn_failed), exit_failed);
}

}  // namespace
}  // namespace diary::cmds
