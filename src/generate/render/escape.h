// The one escaping module of the report renderers. Every string that comes out of an artifact
// (model-derived text, the title, project labels, quotes, limits, even refs and enum values)
// passes through here before it reaches report.md or report.html, so a transcript that says
// "</details><script>" or "[click](http://x)" shows up as those characters and nothing more.
// Markdown rules follow the reference (HTML-escape & < >, backslash-escape the inline markup
// characters, neutralize line-leading block markers) and go further: backslash, `#`, `|`, `~`
// are escaped too, and invalid UTF-8 becomes U+FFFD. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace diary::generate::render {

// Valid UTF-8 with every C0 control except \n and \t (and DEL) replaced: the raw material of
// every other function here.
std::string clean_text(std::string_view text);

// For headings, paragraphs, bullets, link texts: newlines collapsed to single spaces, leading
// and trailing whitespace trimmed, then Markdown-escaped so that it renders as literal text.
std::string markdown_inline(std::string_view text);

// For blockquotes: line breaks kept, every line escaped and prefixed with "> " ("> " alone for
// an empty line). Returns the quote's lines without trailing newlines; a blank text gives one
// line ">".
std::vector<std::string> markdown_quote_lines(std::string_view text);

// Text content and attribute values of HTML: & < > " ' become entities.
std::string html_text(std::string_view text);
// As html_text, with line breaks collapsed to spaces and the ends trimmed (headings, chips).
std::string html_inline(std::string_view text);

// "evidence-<pk>-<S>-<T>" lower-cased, every run outside [a-z0-9_-] replaced by one '-', trimmed
// of '-'. Always safe inside id="..." and href="#...".
std::string evidence_anchor(std::string_view project_key, std::string_view session_ref, std::string_view turn_ref);
// The same normalization for any other id ("project-<pk>").
std::string anchor_slug(std::string_view text);

}  // namespace diary::generate::render
