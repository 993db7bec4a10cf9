#include "generate/offline/redaction.h"

#include <gtest/gtest.h>

namespace {

using diary::generate::offline::redact_secrets;

TEST(Redaction, KnownTokenShapesAreRemoved) {
  EXPECT_EQ(redact_secrets("use sk-proj-abcdefghijklmnopqrstuvwx now"), "use [REDACTED] now");
  EXPECT_EQ(redact_secrets("ghp_0123456789abcdefghijABCDEFGHIJ"), "[REDACTED]");
  EXPECT_EQ(redact_secrets("id AKIAABCDEFGHIJKLMNOP."), "id [REDACTED].");
  EXPECT_EQ(redact_secrets("xoxb-1234567890-abcdef"), "[REDACTED]");
  EXPECT_EQ(redact_secrets("key AIzaSyA-0123456789abcdefghijklmnopqrstu"), "key [REDACTED]");
}

TEST(Redaction, CredentialAssignmentsKeepTheirKey) {
  EXPECT_EQ(redact_secrets("export API_KEY=abcd1234; run"), "export API_KEY=[REDACTED]; run");
  EXPECT_EQ(redact_secrets("{\"password\": \"hunter22\"}"), "{\"password\": \"[REDACTED]\"}");
  EXPECT_EQ(redact_secrets("my token: s3cr3t-value."), "my token: [REDACTED].");
  EXPECT_EQ(redact_secrets("a password is needed"), "a password is needed");  // no value
}

TEST(Redaction, PrivateKeyBlocks) {
  EXPECT_EQ(redact_secrets("x\n-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\ny"), "x\n[REDACTED]\ny");
  const std::string certificate = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";
  EXPECT_EQ(redact_secrets(certificate), certificate);
}

TEST(Redaction, OrdinaryTextIsUnchanged) {
  const std::string text = "Fix the sk- prefix parser in task-runner and the skeleton; tokens are counted.";
  EXPECT_EQ(redact_secrets(text), text);
  EXPECT_EQ(redact_secrets(std::string(300'000, 'a')), std::string(300'000, 'a'));  // long text, no recursion
}

}  // namespace
