// Turns a Reply into the bytes the OpenAI Responses API would send: an SSE stream
// (`response.created`, output items, `response.completed` / `response.failed`) or a JSON error
// with an HTTP status. Pure functions ("sans-io"); the server only writes what they return.
#pragma once

#include <cstdint>
#include <string>

#include "support/mock_model/model_request.h"
#include "support/mock_model/reply.h"

namespace diary::test {

struct HttpAnswer {
  int status = 200;
  std::string content_type;
  std::string body;

  friend bool operator==(const HttpAnswer&, const HttpAnswer&) = default;
};

// `sequence` makes response, item and call ids unique for the server's lifetime. A hang reply
// has no wire form: the server handles it before calling this.
HttpAnswer render_reply(const Reply& reply, const ModelRequest& request, std::uint64_t sequence);

// The JSON error body used for HTTP failures and unknown paths.
HttpAnswer json_error(int status, const std::string& message);

}  // namespace diary::test
