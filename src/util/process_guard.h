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
// After a SIGKILL of ours, a process that left the session (bubblewrap's --new-session) is
// re-parented to init, where neither the session nor the subreaper finds it. So every child
// that may start others also carries a marker in its environment (add_process_marker):
// DIARY_PROCESS_GUARD=<64 random bits>, inherited by whatever it starts however it detaches
// (setsid, double fork, a PID namespace), since an environment is only lost when a process
// replaces it on purpose. The watchdog also kills every process whose /proc/<pid>/environ
// carries our token. A diary started below another appends its token (a:b), so the outer sweep
// still finds the inner one's processes. The whole post-mortem sweep is bounded (1.5 s).
//
// Thread-safety: the registry is meant for one thread (diary's io_context); kill_session() and
// the watchdog only use async-signal-safe system calls (no allocation), so they are safe after
// fork() and from any thread.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

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

// The variable that marks what we started (see above).
inline constexpr char process_marker_variable[] = "DIARY_PROCESS_GUARD";

// "DIARY_PROCESS_GUARD=<inherited>:<our token>" (only our token when none was inherited).
std::string process_marker_entry();
// Replaces any marker entry of `environment` (KEY=VALUE list) by process_marker_entry().
void add_process_marker(std::vector<std::string>& environment);

// SIGKILLs every process (but the caller) that carries our marker token, repeating until none
// is found or ~500 ms passed. Returns the kills sent.
int kill_marked_processes();

// One bounded sweep (~1 s at most) of every registered session and every marked process.
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
