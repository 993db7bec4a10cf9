// Small string and environment helpers shared by the prepare sources (one definition each).
// Pure apart from reading the process environment; thread-safe as long as nobody calls setenv.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace diary::generate::prepare {

// The variable's value, empty string included; nullopt when unset.
std::optional<std::string> environment_value(const char* name);

bool equals_ignoring_case(std::string_view a, std::string_view b);

// Without leading/trailing spaces, tabs, CR and LF.
std::string_view trim_space(std::string_view text);

}  // namespace diary::generate::prepare
