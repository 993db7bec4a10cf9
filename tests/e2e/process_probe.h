// Reads /proc to prove what e2e tests promise about processes: which children a process has,
// whether a process group is gone, and which processes still run with a test's CODEX_HOME.
// Header-only (tests/e2e builds only *_test.cpp files). Stateless; safe from any thread.
#pragma once

#include <dirent.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace diary::test {

struct ProcInfo {
  pid_t pid = 0;
  pid_t ppid = 0;
  pid_t pgid = 0;
  char state = '?';  // 'Z' = zombie (exited, not reaped)
  std::string comm;
};

inline std::optional<ProcInfo> read_proc(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  if (!in || !std::getline(in, stat)) return std::nullopt;
  // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so cut at the last ')'.
  const auto open = stat.find('(');
  const auto close = stat.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open) return std::nullopt;
  ProcInfo info;
  info.pid = pid;
  info.comm = stat.substr(open + 1, close - open - 1);
  std::istringstream rest(stat.substr(close + 1));
  rest >> info.state >> info.ppid >> info.pgid;
  if (!rest) return std::nullopt;
  return info;
}

inline std::vector<ProcInfo> all_processes() {
  std::vector<ProcInfo> out;
  DIR* dir = ::opendir("/proc");
  if (dir == nullptr) return out;
  while (const dirent* entry = ::readdir(dir)) {
    char* end = nullptr;
    const long pid = std::strtol(entry->d_name, &end, 10);
    if (pid <= 0 || *end != '\0') continue;
    if (auto info = read_proc(static_cast<pid_t>(pid))) out.push_back(std::move(*info));
  }
  ::closedir(dir);
  return out;
}

inline std::vector<ProcInfo> children_of(pid_t parent) {
  std::vector<ProcInfo> out;
  for (auto& info : all_processes())
    if (info.ppid == parent) out.push_back(std::move(info));
  return out;
}

// True when no live (non-zombie) process is left in the group. Zombies of reparented
// grandchildren are init's to reap, not ours.
inline bool process_group_gone(pid_t pgid) {
  if (::kill(-pgid, 0) != 0 && errno == ESRCH) return true;
  for (const auto& info : all_processes())
    if (info.pgid == pgid && info.state != 'Z') return false;
  return true;
}

inline bool process_gone(pid_t pid) {
  auto info = read_proc(pid);
  return !info || info->state == 'Z';
}

// Live processes whose environment contains exactly `entry` (e.g. "CODEX_HOME=/x/codex-home").
inline std::vector<ProcInfo> processes_with_env(const std::string& entry) {
  std::vector<ProcInfo> out;
  for (auto& info : all_processes()) {
    if (info.state == 'Z') continue;
    std::ifstream in("/proc/" + std::to_string(info.pid) + "/environ", std::ios::binary);
    std::string item;
    while (in && std::getline(in, item, '\0')) {
      if (item == entry) {
        out.push_back(info);
        break;
      }
    }
  }
  return out;
}

inline std::string describe(const std::vector<ProcInfo>& processes) {
  std::string out;
  for (const auto& info : processes)
    out += std::to_string(info.pid) + " (" + info.comm + ", state " + info.state + ", ppid " + std::to_string(info.ppid) + ") ";
  return out.empty() ? "none" : out;
}

// Polls `done` every 20 ms until it holds or `timeout` passed; returns its last value.
inline bool poll_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (done()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

// What is still running with this CODEX_HOME after waiting up to `timeout` for it to go away.
inline std::vector<ProcInfo> leftover_codex(const std::filesystem::path& codex_home, std::chrono::milliseconds timeout) {
  const std::string entry = "CODEX_HOME=" + codex_home.string();
  std::vector<ProcInfo> left;
  poll_until([&] { return (left = processes_with_env(entry)).empty(); }, timeout);
  return left;
}

}  // namespace diary::test
