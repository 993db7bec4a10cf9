// How the diary process ends, the Unix way: SIGPIPE is ignored from the start (a closed pipe is
// a write error, not a silent death with 141), stdout is flushed and checked last (a lost
// result is exit 1 with one `error:` line, never a success), and a command stopped by a signal
// re-raises that signal with its default action once everything is cleaned up, so the caller
// sees "killed by SIGINT" and a shell loop stops on Ctrl-C (ccache's signalhandler.cpp does the
// same). Process-wide state; used from the main thread only.
#pragma once

namespace diary::cmds {

// Called first thing in run_cli.
void prepare_process();

// The signal that stopped the command (its first one): finish_process() re-raises it.
void note_stop_signal(int signo);

// Flushes and checks stdout, then returns the exit code (1 when stdout lost output and the
// command had succeeded), or does not return at all when a stop signal was noted.
int finish_process(int exit_code);

// Default action for `signo`, unblocked, raised; _exit(128 + signo) if it does not kill us.
[[noreturn]] void reraise_signal(int signo);

}  // namespace diary::cmds
