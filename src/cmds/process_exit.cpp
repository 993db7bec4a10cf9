#include "cmds/process_exit.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>

#include "cmds/exit_codes.h"

namespace diary::cmds {

namespace {
int stop_signal = 0;
}  // namespace

void prepare_process() { ::signal(SIGPIPE, SIG_IGN); }

void note_stop_signal(int signo) {
  if (stop_signal == 0) stop_signal = signo;
}

int finish_process(int exit_code) {
  errno = 0;
  std::cout.flush();
  const bool lost = !std::cout.good() || std::fflush(stdout) != 0 || std::ferror(stdout) != 0;
  if (lost) {
    const int error = errno;
    std::cerr << "error: cannot write to stdout: " << (error != 0 ? std::strerror(error) : "write failed")
              << " (the output is incomplete)\n";
    if (exit_code == exit_ok) exit_code = exit_failed;
  }
  std::cerr.flush();
  if (stop_signal != 0) reraise_signal(stop_signal);
  return exit_code;
}

void reraise_signal(int signo) {
  std::fflush(nullptr);
  struct sigaction action {};
  action.sa_handler = SIG_DFL;
  sigemptyset(&action.sa_mask);
  ::sigaction(signo, &action, nullptr);
  sigset_t unblock;
  sigemptyset(&unblock);
  sigaddset(&unblock, signo);
  ::sigprocmask(SIG_UNBLOCK, &unblock, nullptr);
  ::raise(signo);
  ::_exit(128 + signo);
}

}  // namespace diary::cmds
