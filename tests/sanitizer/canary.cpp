// The sanitizer tier's canary (built only with DIARY_SANITIZE): a program compiled like src/ (with
// diary_instrumented) that commits the two kinds of bug the tier exists to catch. Its ctest tests
// pass only when the sanitizer reports them, so a tier that quietly lost its instrumentation or its
// runtime options fails instead of passing everything.
#include <cstdio>
#include <cstring>
#include <string>

namespace {

// Reads 50 bytes past the end of a 100-byte heap buffer.
int heap_overflow() {
  std::string buffer(100, 'x');
  const volatile char* data = buffer.data();
  return data[150];
}

// INT_MAX + 1.
int signed_overflow(int argc) {
  volatile int big = 2147483647;
  return big + argc;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && std::strcmp(argv[1], "heap-overflow") == 0) return heap_overflow() == 0 ? 3 : 4;
  if (argc == 2 && std::strcmp(argv[1], "signed-overflow") == 0) return signed_overflow(argc - 1) == 0 ? 3 : 4;
  std::fputs("usage: sanitizer_canary heap-overflow|signed-overflow\n", stderr);
  return 2;
}
