#include "turn.h"

#include <unistd.h>

#include "protocol.h"
#include "wire.h"

namespace diary::test::fake {

namespace {

constexpr std::int64_t delta_batch = 1024;  // deltas per step before stdin is polled again
constexpr std::int64_t model_context_window = 258400;

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out += separator;
    out += parts[i];
  }
  return out;
}

void push(Turn& t, Step step) { t.steps.push_back(std::move(step)); }

// A step that sends one message, built when the step runs (it may depend on earlier replies).
void push_emit(Turn& t, std::function<json(Turn&)> build) {
  push(t, [build = std::move(build)](Turn& turn) {
    send_json(build(turn));
    return true;
  });
}

void push_response(Turn& t) {
  push(t, [](Turn& turn) {
    send_json(result_response(
        turn.request_id, {{"turn", turn_object(turn.turn_id, "inProgress", nullptr, std::nullopt, std::nullopt, std::nullopt)}}));
    turn.responded = true;
    return true;
  });
}

// A failed turn leaves its thread in systemError (as captured from the real server), not idle.
void push_ending(Turn& t, std::string status, std::function<json()> error) {
  if (status != "failed") push_emit(t, [](Turn& turn) { return thread_status_changed(turn.thread_id, {{"type", "idle"}}); });
  push(t, [status = std::move(status), error = std::move(error)](Turn& turn) {
    std::int64_t end = now_ms();
    json completed = turn_object(turn.turn_id, status, error(), turn.started_ms / 1000, end / 1000, end - turn.started_ms);
    if (turn.directives.bad_completed) completed["status"] = 7;  // BAD_COMPLETED: a status of the wrong type
    send_json(notification("turn/completed", {{"threadId", turn.thread_id}, {"turn", std::move(completed)}}));
    turn.finished = true;
    return true;
  });
}

json error_notification(const Turn& t, json error, bool will_retry) {
  return notification("error",
                      {{"error", std::move(error)}, {"willRetry", will_retry}, {"threadId", t.thread_id}, {"turnId", t.turn_id}});
}

// One model request finished: codex sends one thread/tokenUsage/updated per request, `last` being
// that request's usage and `total` the thread's sum so far.
void push_token_usage(Turn& t) {
  push_emit(t, [](Turn& turn) {
    TokenCounts last{.input = 1200, .cached_input = 200, .output = 34, .reasoning_output = 8};
    const std::int64_t n = ++*turn.thread_model_requests;
    TokenCounts total{last.input * n, last.cached_input * n, last.output * n, last.reasoning_output * n};
    return token_usage_updated(turn.thread_id, turn.turn_id, total, last, model_context_window);
  });
}

std::string item_id(const Turn& t, std::string_view kind) {
  return std::string(kind) + "_" + t.turn_id.substr(t.turn_id.find('_') + 1);
}

std::string decision_of(const json& reply) {
  if (reply.contains("error"))
    return "error " + (reply["error"].is_object() ? reply["error"].value("code", json(0)).dump() : "?");
  const json& result = reply.contains("result") ? reply["result"] : json();
  if (!result.is_object() || !result.contains("decision")) return "none";
  const json& decision = result["decision"];
  return decision.is_string() ? decision.get<std::string>() : decision.dump();
}

bool accepted(std::string_view decision) { return decision.starts_with("accept") || decision.starts_with("{\"accept"); }

void push_user_message(Turn& t) {
  push_emit(t, [](Turn& turn) {
    return item_started(turn.thread_id, turn.turn_id,
                        user_message_item(item_id(turn, "user"), turn.prompt, turn.started_ms, std::nullopt));
  });
  push_emit(t, [](Turn& turn) {
    return item_completed(turn.thread_id, turn.turn_id,
                          user_message_item(item_id(turn, "user"), turn.prompt, turn.started_ms, now_ms()));
  });
}

void push_garbage(Turn& t) {
  push(t, [](Turn&) {
    send_raw_line("this is not json");
    send_raw_line("{\"truncated\": ");
    send_raw_line("Error: something went wrong <html>");
    send_raw_line("");
    send_raw_line("[1,2,3]");
    send_raw_line("{\"neither\":\"id nor method\",\"params\":{}}");
    return true;
  });
}

// Notifications diary reads, each with a member of the wrong JSON type (what a protocol change
// or a broken server could send). The turn then goes on normally.
void push_bad_notifications(Turn& t) {
  push(t, [](Turn& turn) {
    const json thread = turn.thread_id, id = turn.turn_id;
    send_json(
        item_completed(turn.thread_id, turn.turn_id,
                       {{"type", "agentMessage"}, {"id", item_id(turn, "msg_bad")}, {"text", 42}, {"phase", "final_answer"}}));
    send_json(item_started(turn.thread_id, turn.turn_id,
                           {{"type", "fileChange"},
                            {"id", item_id(turn, "patch_bad")},
                            {"status", "inProgress"},
                            {"changes", json::array({5, {{"path", 7}, {"kind", {{"type", "add"}}}}})}}));
    send_json(item_completed(turn.thread_id, turn.turn_id,
                             {{"type", "commandExecution"},
                              {"id", item_id(turn, "cmd_bad")},
                              {"command", json::array({"ls"})},
                              {"status", "completed"},
                              {"exitCode", "zero"}}));
    send_json(notification("thread/tokenUsage/updated",
                           {{"threadId", thread}, {"turnId", id}, {"tokenUsage", {{"last", {{"inputTokens", "many"}}}}}}));
    send_json(notification("error", {{"threadId", thread}, {"turnId", id}, {"error", 7}, {"willRetry", "no"}}));
    send_json(notification("turn/started", {{"threadId", thread}, {"turn", 3}}));
    return true;
  });
}

void push_command_approval(Turn& t, TurnHost& host) {
  static constexpr std::string_view command = "rm -rf /tmp/x";
  auto item = [](Turn& turn, std::string_view status, json output, json exit_code, std::optional<std::int64_t> done) {
    return command_execution_item(item_id(turn, "cmd_approval"), command, turn.cwd, status, std::move(output),
                                  std::move(exit_code), turn.started_ms, done);
  };
  push_emit(t, [item](Turn& turn) {
    return item_started(turn.thread_id, turn.turn_id, item(turn, "inProgress", nullptr, nullptr, std::nullopt));
  });
  push(t, [&host](Turn& turn) {
    // BAD_APPROVAL: the same request with a number where the thread id belongs.
    const json thread = turn.directives.bad_approval ? json(5) : json(turn.thread_id);
    json params = {{"kind", "command"},
                   {"threadId", thread},
                   {"turnId", turn.turn_id},
                   {"itemId", item_id(turn, "cmd_approval")},
                   {"startedAtMs", turn.started_ms},
                   {"environmentId", "local"},
                   {"command", "/bin/bash -lc '" + std::string(command) + "'"},
                   {"cwd", turn.cwd},
                   {"reason", "The agent wants to delete /tmp/x outside the sandbox."},
                   {"commandActions", json::array({{{"type", "unknown"}, {"command", command}}})},
                   {"proposedExecpolicyAmendment", json::array({"rm", "-rf", "/tmp/x"})},
                   {"availableDecisions", json::array({"accept", "acceptForSession", "decline", "cancel"})}};
    host.send_request(turn, "item/commandExecution/requestApproval", std::move(params), [](Turn& tu, const json& reply) {
      tu.last_decision = decision_of(reply);
      tu.replies.push_back("decision: " + tu.last_decision);
    });
    return true;
  });
  push_emit(t, [](Turn& turn) {
    return notification("serverRequest/resolved", {{"threadId", turn.thread_id}, {"requestId", turn.last_request_id}});
  });
  push_emit(t, [item](Turn& turn) {
    bool ok = accepted(turn.last_decision);
    return item_completed(turn.thread_id, turn.turn_id,
                          ok ? item(turn, "completed", "", 0, now_ms()) : item(turn, "declined", nullptr, nullptr, now_ms()));
  });
}

void push_file_approval(Turn& t, TurnHost& host) {
  auto path = [](const Turn& turn) { return turn.cwd + "/fake-approval.txt"; };
  push_emit(t, [path](Turn& turn) {
    return item_started(turn.thread_id, turn.turn_id, file_change_item(item_id(turn, "patch"), path(turn), "inProgress"));
  });
  push(t, [&host](Turn& turn) {
    json params = {{"threadId", turn.thread_id},
                   {"turnId", turn.turn_id},
                   {"itemId", item_id(turn, "patch")},
                   {"startedAtMs", turn.started_ms},
                   {"reason", "The agent wants to write fake-approval.txt."},
                   {"grantRoot", nullptr}};
    host.send_request(turn, "item/fileChange/requestApproval", std::move(params), [](Turn& tu, const json& reply) {
      tu.last_decision = decision_of(reply);
      tu.replies.push_back("decision: " + tu.last_decision);
    });
    return true;
  });
  push_emit(t, [](Turn& turn) {
    return notification("serverRequest/resolved", {{"threadId", turn.thread_id}, {"requestId", turn.last_request_id}});
  });
  push_emit(t, [path](Turn& turn) {
    return item_completed(
        turn.thread_id, turn.turn_id,
        file_change_item(item_id(turn, "patch"), path(turn), accepted(turn.last_decision) ? "completed" : "declined"));
  });
}

void push_unknown_request(Turn& t, TurnHost& host) {
  push(t, [&host](Turn& turn) {
    host.send_request(turn, "fake/unknownThing", {{"threadId", turn.thread_id}, {"turnId", turn.turn_id}},
                      [](Turn& tu, const json& reply) {
                        tu.replies.push_back(reply.contains("error") ? "reply: " + decision_of(reply) : "reply: result");
                      });
    return true;
  });
}

std::string big_output(std::int64_t size) {
  static constexpr std::string_view pattern = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ+\n";
  std::string out;
  out.reserve(static_cast<std::size_t>(size));
  while (out.size() + pattern.size() <= static_cast<std::size_t>(size)) out += pattern;
  out.append(pattern.substr(0, static_cast<std::size_t>(size) - out.size()));
  return out;
}

void push_big_line(Turn& t, std::int64_t size) {
  static constexpr std::string_view command = "cat big.log";
  push_emit(t, [](Turn& turn) {
    return item_started(turn.thread_id, turn.turn_id,
                        command_execution_item(item_id(turn, "cmd_big"), command, turn.cwd, "inProgress", nullptr, nullptr,
                                               turn.started_ms, std::nullopt));
  });
  push_emit(t, [size](Turn& turn) {
    return item_completed(turn.thread_id, turn.turn_id,
                          command_execution_item(item_id(turn, "cmd_big"), command, turn.cwd, "completed", big_output(size), 0,
                                                 turn.started_ms, now_ms()));
  });
}

std::string final_text(const Turn& t) {
  if (!t.replies.empty()) return join(t.replies, "\n");
  if (t.directives.bad_json) return "this is not json";
  if (t.has_output_schema) {
    // Exactly the one property: a client may validate the answer against a strict schema.
    return json{{"echo", t.prompt}}.dump(-1, ' ', false, json::error_handler_t::replace);
  }
  std::string text = "echo: " + t.prompt;
  if (!t.history.empty()) text += " | history: " + join(t.history, ";");
  return text;
}

void push_agent_message(Turn& t, std::string_view kind, PhaseField phase, std::function<std::string(const Turn&)> text,
                        std::int64_t flood) {
  std::string id_kind(kind);
  push_emit(t, [id_kind, phase](Turn& turn) {
    turn.counter = 0;
    return item_started(turn.thread_id, turn.turn_id,
                        agent_message_item(item_id(turn, id_kind), "", phase, now_ms(), std::nullopt));
  });
  if (flood > 0) {
    push(t, [id_kind, flood](Turn& turn) {
      // One pre-rendered line per batch: the flood measures the client, not this fake.
      std::string line =
          notification(
              "item/agentMessage/delta",
              {{"threadId", turn.thread_id}, {"turnId", turn.turn_id}, {"itemId", item_id(turn, id_kind)}, {"delta", "."}})
              .dump();
      for (std::int64_t i = 0; i < delta_batch && turn.counter < flood; ++i, ++turn.counter) send_raw_line(line);
      return turn.counter >= flood;
    });
  }
  push_emit(t, [id_kind, text](Turn& turn) {
    return notification(
        "item/agentMessage/delta",
        {{"threadId", turn.thread_id}, {"turnId", turn.turn_id}, {"itemId", item_id(turn, id_kind)}, {"delta", text(turn)}});
  });
  push_emit(t, [id_kind, phase, text](Turn& turn) {
    std::int64_t now = now_ms();
    return item_completed(turn.thread_id, turn.turn_id, agent_message_item(item_id(turn, id_kind), text(turn), phase, now, now));
  });
}

void push_unknown_notifications_early(Turn& t) {
  push_emit(t, [](Turn& turn) {
    return notification("warning", {{"threadId", turn.thread_id},
                                    {"message", "Model metadata for `fake-model` not found. Defaulting to fallback metadata."}});
  });
  push_emit(t, [](Turn&) {
    return notification(
        "configWarning",
        {{"summary", "Unknown key `fake_key` in config.toml"}, {"details", nullptr}, {"path", nullptr}, {"range", nullptr}});
  });
}

json rate_limits_notification() {
  return notification("account/rateLimits/updated", {{"rateLimits",
                                                      {{"limitId", "codex"},
                                                       {"limitName", nullptr},
                                                       {"normalModelSlug", nullptr},
                                                       {"primary", nullptr},
                                                       {"secondary", nullptr},
                                                       {"credits", nullptr},
                                                       {"individualLimit", nullptr},
                                                       {"spendControlReached", nullptr},
                                                       {"planType", nullptr},
                                                       {"rateLimitReachedType", nullptr}}}});
}

void push_unknown_notifications_late(Turn& t) {
  push_emit(t, [](Turn&) {
    return notification("remoteControl/status/changed", {{"status", "disabled"},
                                                         {"serverName", "fake"},
                                                         {"installationId", "00000000-0000-0000-0000-000000000000"},
                                                         {"environmentId", nullptr}});
  });
  push_emit(t, [](Turn& turn) { return notification("fake/whatever", {{"threadId", turn.thread_id}, {"x", 1}}); });
}

}  // namespace

void script_turn(Turn& t, TurnHost& host) {
  const Directives& d = t.directives;
  if (!d.early) push_response(t);
  push_emit(t, [](Turn& turn) {
    return thread_status_changed(turn.thread_id, {{"type", "active"}, {"activeFlags", json::array()}});
  });
  push_emit(t, [](Turn& turn) {
    return notification(
        "turn/started",
        {{"threadId", turn.thread_id},
         {"turn", turn_object(turn.turn_id, "inProgress", nullptr, turn.started_ms / 1000, std::nullopt, std::nullopt)}});
  });
  if (d.notify_unknown) push_unknown_notifications_early(t);
  if (d.crash)
    push(t, [](Turn&) -> bool {
      write_stderr("panic: simulated crash\n");
      ::_exit(101);
    });
  push_user_message(t);
  if (d.garbage) push_garbage(t);
  if (d.bad_notify) push_bad_notifications(t);
  if (d.notify_unknown) push_emit(t, [](Turn&) { return rate_limits_notification(); });
  if (d.hang || d.hang_no_interrupt)
    push(t, [](Turn& turn) {
      turn.blocked = true;  // only turn/interrupt (HANG) or stdin EOF ends this
      return false;
    });
  if (d.fail_retry)
    push_emit(t, [](Turn& turn) {
      return error_notification(turn,
                                turn_error("Reconnecting... 1/5 (stream disconnected before completion)",
                                           {{"responseStreamDisconnected", {{"httpStatusCode", nullptr}}}}),
                                true);
    });
  // Each tool item was asked for by one model request of its own.
  if (d.approval || d.bad_approval) {
    push_command_approval(t, host);
    push_token_usage(t);
  }
  if (d.file_approval) {
    push_file_approval(t, host);
    push_token_usage(t);
  }
  if (d.unknown_request) push_unknown_request(t, host);
  if (d.big_line) {
    push_big_line(t, *d.big_line);
    push_token_usage(t);
  }
  if (d.sleep_ms)
    push(t, [ms = *d.sleep_ms](Turn& turn) {
      turn.wake_at = Clock::now() + std::chrono::milliseconds(ms);
      return true;
    });
  if (d.fail) {
    auto error = [] { return turn_error("upstream 429", {{"httpConnectionFailed", {{"httpStatusCode", 429}}}}); };
    push_emit(t, [](Turn& turn) { return thread_status_changed(turn.thread_id, {{"type", "systemError"}}); });
    push_emit(t, [error](Turn& turn) { return error_notification(turn, error(), false); });
    if (d.early) push_response(t);
    push_ending(t, "failed", error);
    return;
  }
  if (d.two_messages)
    push_agent_message(
        t, "msg_commentary", PhaseField::commentary, [](const Turn&) { return std::string("Let me look at the files first."); },
        0);
  PhaseField phase = d.no_phase ? PhaseField::omitted : d.null_phase ? PhaseField::null : PhaseField::final_answer;
  push_agent_message(t, "msg", phase, final_text, d.flood.value_or(0));
  push_token_usage(t);
  if (d.notify_unknown) {
    push_emit(t, [](Turn&) { return rate_limits_notification(); });
    push_unknown_notifications_late(t);
  }
  if (d.early) push_response(t);
  if (d.stale)
    push_emit(t, [](Turn& turn) {
      json stale = turn_object("turn_stale", "completed", nullptr, turn.started_ms / 1000, now_s(), 1);
      return notification("turn/completed", {{"threadId", turn.thread_id}, {"turn", std::move(stale)}});
    });
  push_ending(t, "completed", [] { return json(nullptr); });
}

void script_interrupted_ending(Turn& t) {
  t.steps.clear();
  t.blocked = false;
  t.awaiting_request.reset();
  t.wake_at = {};
  if (!t.responded) push_response(t);
  push_ending(t, "interrupted", [] { return json(nullptr); });
}

void script_global_flood(Turn& job, std::int64_t count) {
  push(job, [count](Turn& turn) {
    std::string line =
        notification("item/agentMessage/delta",
                     {{"threadId", "thr_flood"}, {"turnId", "turn_flood"}, {"itemId", "msg_flood"}, {"delta", "."}})
            .dump();
    for (std::int64_t i = 0; i < delta_batch && turn.counter < count; ++i, ++turn.counter) send_raw_line(line);
    return turn.counter >= count;
  });
  push(job, [count](Turn& turn) {
    send_json(notification("fake/floodDone", {{"count", count}}));
    turn.finished = true;
    return true;
  });
}

}  // namespace diary::test::fake
