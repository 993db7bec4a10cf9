// Minimal reproduction behind docs/ARCHITECTURE.md "GCC 12 coroutine rule": which temporaries inside
// a co_await expression does g++ 12.2 (Debian 12) mishandle? Not part of the build (some cases crash
// by design). Each case co_awaits a coroutine that really suspends (a run queue resumes it later)
// while its argument temporaries are alive, and counts constructions/destructions of a tracked type.
//   g++-12 -std=c++23 -O2 -g tests/compiler/gcc12_coroutine_repro.cpp -o /tmp/repro
//   for c in $(grep -o "^CASE([a-z_]*" tests/compiler/gcc12_coroutine_repro.cpp | cut -c6-); do
//     /tmp/repro $c 2>&1 | head -1; done      # the bad_* cases abort: "free(): double free detected"
//   add -DDIARY_REPRO_COMPILE_ERRORS to see the err_* cases rejected at compile time.
// Measured here with g++ 12.2.0-14+deb12u1 at -O0 and -O2 (also under -fsanitize=address, which
// reports "attempting double-free" for each bad_* case): every ok_* case balances ctors/dtors.
// Second, unrelated GCC 12 bug (not reproduced in this file, needs boost::asio): a coroutine whose
// only statement besides a `co_await` in an if/while condition has no local variable at all, e.g.
//   asio::awaitable<void> f() { ++n; if (co_await yes()) ++n; }
// gets a garbage frame size (bad_alloc/segfault on entry). Any local variable in the frame avoids it;
// every diary coroutine with such a condition has locals.
#include <coroutine>
#include <cstdio>
#include <deque>
#include <exception>
#include <functional>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>
#include <nlohmann/json.hpp>

static int live = 0, ctors = 0, dtors = 0;
struct Tracked {
  std::string payload;
  Tracked(const char* s) : payload(s) { ++live; ++ctors; }
  Tracked(const Tracked& o) : payload(o.payload) { ++live; ++ctors; }
  Tracked(Tracked&& o) noexcept : payload(std::move(o.payload)) { ++live; ++ctors; }
  ~Tracked() { --live; ++dtors; }
};
struct Pair { Tracked a; Tracked b; };

std::deque<std::coroutine_handle<>> ready;
struct Yield {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) { ready.push_back(h); }
  void await_resume() const noexcept {}
};

template <class T> struct Task {
  struct promise_type {
    T value{};
    std::coroutine_handle<> cont;
    Task get_return_object() { return Task{std::coroutine_handle<promise_type>::from_promise(*this)}; }
    std::suspend_always initial_suspend() noexcept { return {}; }
    struct Final {
      bool await_ready() noexcept { return false; }
      std::coroutine_handle<> await_suspend(std::coroutine_handle<promise_type> h) noexcept {
        auto c = h.promise().cont; return c ? c : std::noop_coroutine(); }
      void await_resume() noexcept {}
    };
    Final final_suspend() noexcept { return {}; }
    void return_value(T v) { value = std::move(v); }
    void unhandled_exception() { std::terminate(); }
  };
  std::coroutine_handle<promise_type> h;
  explicit Task(std::coroutine_handle<promise_type> h) : h(h) {}
  Task(Task&& o) noexcept : h(std::exchange(o.h, {})) {}
  ~Task() { if (h) h.destroy(); }
  bool await_ready() { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> c) { h.promise().cont = c; return h; }
  T await_resume() { return std::move(h.promise().value); }
};

Task<size_t> by_value(Tracked t) { co_await Yield{}; co_return t.payload.size(); }
Task<size_t> by_cref(const Tracked& t) { co_await Yield{}; co_return t.payload.size(); }
Task<size_t> two(Tracked a, Tracked b) { co_await Yield{}; co_return a.payload.size() + b.payload.size(); }
Task<size_t> pair(Pair p) { co_await Yield{}; co_return p.a.payload.size(); }
Task<size_t> list(std::vector<Tracked> v) { co_await Yield{}; co_return v.size(); }
Task<size_t> json_call(std::string method, nlohmann::json params) { co_await Yield{}; co_return method.size() + params.dump().size(); }
Task<size_t> json_call_sv(std::string_view method, const nlohmann::json& params) { co_await Yield{}; co_return method.size() + params.dump().size(); }
Task<size_t> fn(std::function<size_t()> f) { co_await Yield{}; co_return f(); }
Tracked make() { return Tracked("made by a function, long enough to live on the heap"); }
struct Obj { Task<size_t> method(Tracked t) { co_await Yield{}; co_return t.payload.size(); } };
Obj make_obj() { return {}; }

#define CASE(name, ...) \
  Task<int> name() { __VA_ARGS__; co_return 0; }
const char* L = "a literal that is long enough to live on the heap, really";
struct Options { Tracked name; int n = 0; };
Task<size_t> opts(Options o) { co_await Yield{}; co_return o.name.payload.size(); }

// Fine on GCC 12.2 (constructor-call temporaries, prvalues, conversions, std::move'd locals).
CASE(ok_named_locals, { Tracked a(L); Tracked b(L); (void)co_await two(std::move(a), std::move(b)); })
CASE(ok_temp_by_value, { (void)co_await by_value(Tracked(L)); })
CASE(ok_literal_converted, { (void)co_await by_value(L); })
CASE(ok_temp_by_cref, { (void)co_await by_cref(Tracked(L)); })
CASE(ok_two_temps, { (void)co_await two(Tracked(L), Tracked(L)); })
CASE(ok_function_prvalue, { (void)co_await by_value(make()); })
CASE(ok_temp_object_method, { (void)co_await make_obj().method(Tracked(L)); })
CASE(ok_json_named, { std::string m = "method"; nlohmann::json p = {{"a", 1}, {"b", std::string(L)}}; (void)co_await json_call(m, std::move(p)); })
CASE(ok_aggregate_named, { Pair p{Tracked(L), Tracked(L)}; (void)co_await pair(std::move(p)); })
CASE(ok_designated_named, { Options o{.name = Tracked(L), .n = 1}; (void)co_await opts(std::move(o)); })
CASE(ok_lambda_named, { Tracked t(L); auto f = [t] { return t.payload.size(); }; (void)co_await fn(f); })
CASE(ok_lambda_capture_ref, { Tracked t(L); (void)co_await fn([&t] { return t.payload.size(); }); })
CASE(ok_lambda_trivial_capture, { int k = 3; (void)co_await fn([k] { return size_t(k); }); })
CASE(ok_temp_after_await, { Tracked a(L); size_t n = co_await by_value(std::move(a)) + Tracked(L).payload.size(); (void)n; })

// Double free on GCC 12.2 at -O0 and -O2 (the members of a brace-initialised temporary are destroyed twice).
CASE(bad_aggregate_temp, { (void)co_await pair(Pair{Tracked(L), Tracked(L)}); })
CASE(bad_designated_temp, { (void)co_await opts(Options{.name = Tracked(L), .n = 1}); })
CASE(bad_lambda_capture, { Tracked t(L); (void)co_await fn([t] { return t.payload.size(); }); })
CASE(bad_lambda_init_capture_move, { Tracked t(L); (void)co_await fn([t = std::move(t)] { return t.payload.size(); }); })

#ifdef DIARY_REPRO_COMPILE_ERRORS
// Rejected by GCC 12.2 ("error: array used as initializer"): a std::initializer_list inside co_await.
CASE(err_braced_vector, { (void)co_await list({Tracked(L), Tracked(L)}); })
CASE(err_json_braced, { (void)co_await json_call("method", nlohmann::json{{"a", 1}, {"b", 2}}); })
CASE(err_json_braced_cref, { (void)co_await json_call_sv("method", nlohmann::json{{"a", 1}}); })
#endif

int run(const char* name, Task<int> (*f)()) {
  live = ctors = dtors = 0;
  {
    Task<int> t = f();
    ready.push_back(t.h);
    while (!ready.empty()) { auto h = ready.front(); ready.pop_front(); h.resume(); }
  }
  bool ok = live == 0 && ctors == dtors;
  std::printf("%-30s %s ctors=%d dtors=%d\n", name, ok ? "ok " : "BAD", ctors, dtors);
  return ok ? 0 : 1;
}

int main(int argc, char** argv) {
  setvbuf(stdout, nullptr, _IONBF, 0);
  struct Case { const char* name; Task<int> (*f)(); };
#define C(n) Case{#n, n}
  const Case all[] = {C(ok_named_locals), C(ok_temp_by_value), C(ok_literal_converted), C(ok_temp_by_cref),
                      C(ok_two_temps), C(ok_function_prvalue), C(ok_temp_object_method), C(ok_json_named),
                      C(ok_aggregate_named), C(ok_designated_named), C(ok_lambda_named), C(ok_lambda_capture_ref),
                      C(ok_lambda_trivial_capture), C(ok_temp_after_await), C(bad_aggregate_temp),
                      C(bad_designated_temp), C(bad_lambda_capture), C(bad_lambda_init_capture_move)};
  int bad = 0;
  for (const Case& c : all)
    if (argc < 2 || std::string(argv[1]) == c.name) bad += run(c.name, c.f);
  return bad;
}
