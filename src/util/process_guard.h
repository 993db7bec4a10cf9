// Nothing a process starts may outlive it, not even after SIGKILL. Children that can start
// children of their own (codex: MCP servers, shell commands) are put in sessions of their own
// and registered here. A session survives re-parenting: a grandchild whose parent died is
// still in it, whatever process group it moved to; only setsid() leaves it.
//
// install_process_guard() forks a watchdog once: a tiny process that holds the read end of a
// pipe whose only write end is ours (close-on-exec, so no child inherits it). Registrations are
// lines on that pipe. When the pipe reaches EOF, because this process exited or was killed in
// any way, the watchdog SIGKILLs every process still in a registered session and exits. The
// same sweep runs in-process when a registered child exits (its orphans go with it) and on
// demand (a second Ctrl-C). Processes that leave the session (setsid) are caught while we live
// by being a child subreaper: they are re-parented to us and killed by kill_adopted_children().
//
// Thread-safety: the registry is meant for one thread (diary's io_context); kill_session() and
// the watchdog only use async-signal-safe system calls (no allocation), so they are safe after
// fork() and from any thread.
#pragma once

#include <sys/types.h>

namespace diary::util {

// Forks the watchdog (first call only). False when it could not be started; sessions are then
// still swept in-process, just not after a SIGKILL.
bool install_process_guard();
bool process_guard_installed();

// Registers `session` (a child that called setsid(): its pid) for the sweeps; release when it
// has been swept. At most 256 sessions at once; more are swept in-process only.
void guard_session(pid_t session);
void release_session(pid_t session);

// SIGKILLs every live process of `session` except the caller, repeating until none is found or
// ~500 ms passed (a process may fork while it is being killed). Returns how many kills were sent.
int kill_session(pid_t session);

// kill_session() for every registered session.
void kill_guarded_sessions();

// Makes this process a child subreaper (PR_SET_CHILD_SUBREAPER): a descendant whose parent dies
// is re-parented to us instead of init, so one that left its session (bubblewrap's
// --new-session, a PTY child) is still ours to find while we live.
void become_subreaper();

// SIGKILLs and reaps every child of ours except the watchdog (after the backends were shut
// down, any child left is an orphan we adopted as subreaper), with the sessions they lead,
// repeating while killing them re-parents more to us (~500 ms at most). Returns the kills.
int kill_adopted_children();

}  // namespace diary::util
