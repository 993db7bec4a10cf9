#include "generate/render/html_style.h"

namespace diary::generate::render {

namespace {

constexpr std::string_view stylesheet = R"css(
:root {
  color-scheme: light dark;
  --bg: #f6f5f1; --surface: #ffffff; --surface-2: #faf9f6; --text: #1c2024; --muted: #5d6670;
  --border: #e2dfd7; --accent: #2352c2; --accent-soft: #e7eeff; --quote: #f3f1ea;
  --green: #176f33; --green-bg: #dcf3e3; --amber: #8a5a00; --amber-bg: #fcefc7;
  --orange: #a94400; --orange-bg: #ffe6d3; --red: #b42323; --red-bg: #fde2e1;
  --purple: #6039b3; --purple-bg: #ece5ff; --blue: #1f5fb4; --blue-bg: #e1ecfc;
  --grey: #525b65; --grey-bg: #eceef0;
  --shadow: 0 1px 2px rgba(20, 20, 10, .05), 0 4px 14px rgba(20, 20, 10, .04);
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #101317; --surface: #171b21; --surface-2: #1b2027; --text: #e5e9ee; --muted: #9aa4b0;
    --border: #2a3039; --accent: #7aa7ff; --accent-soft: #1c2a45; --quote: #1e242c;
    --green: #6fd68b; --green-bg: #143221; --amber: #f0c25a; --amber-bg: #3a2e0f;
    --orange: #ff9d5c; --orange-bg: #3d2413; --red: #ff8580; --red-bg: #3f1c1c;
    --purple: #b99cff; --purple-bg: #2c2148; --blue: #82b4ff; --blue-bg: #17294a;
    --grey: #aab3bd; --grey-bg: #262c34;
    --shadow: none;
  }
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; scroll-behavior: smooth; }
body {
  margin: 0; background: var(--bg); color: var(--text);
  font: 16px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif;
  overflow-wrap: anywhere;
}
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
:target { scroll-margin-top: 1rem; }
.masthead { background: var(--surface); border-bottom: 1px solid var(--border); }
.masthead-inner, .layout { max-width: 76rem; margin: 0 auto; padding: 0 1.5rem; }
.masthead-inner { padding-top: 2.4rem; padding-bottom: 1.8rem; }
.kicker { margin: 0 0 .4rem; color: var(--muted); font-size: .8rem; font-weight: 600; letter-spacing: .08em; text-transform: uppercase; }
h1 { margin: 0 0 1rem; font-size: clamp(1.7rem, 3.2vw, 2.4rem); line-height: 1.2; font-weight: 700; letter-spacing: -.015em; }
.badges { display: flex; flex-wrap: wrap; gap: .5rem; margin: 0; padding: 0; list-style: none; }
.badge {
  display: inline-flex; align-items: baseline; gap: .45rem; padding: .3rem .75rem; border-radius: 1rem;
  background: var(--grey-bg); color: var(--text); font-size: .85rem; border: 1px solid transparent;
}
.badge .k { flex: none; white-space: nowrap; color: var(--muted); font-size: .72rem; font-weight: 600; letter-spacing: .05em; text-transform: uppercase; }
.badge.status-final { background: var(--green-bg); } .badge.status-final .v { color: var(--green); font-weight: 600; }
.badge.status-partial { background: var(--amber-bg); } .badge.status-partial .v { color: var(--amber); font-weight: 600; }
.badge.offline { background: var(--purple-bg); } .badge.offline .v { color: var(--purple); font-weight: 600; }
.badge.conf-high .v { color: var(--green); font-weight: 600; }
.badge.conf-medium .v { color: var(--amber); font-weight: 600; }
.badge.conf-low .v { color: var(--red); font-weight: 600; }
.glance { margin: 1rem 0 0; color: var(--muted); font-size: .9rem; }
.layout { display: grid; grid-template-columns: minmax(0, 1fr); gap: 2rem; padding-top: 2rem; padding-bottom: 3rem; }
@media (min-width: 68rem) {
  .layout { grid-template-columns: 15rem minmax(0, 1fr); }
  .toc { position: sticky; top: 1.2rem; align-self: start; max-height: calc(100vh - 2.4rem); overflow: auto; }
}
.toc { font-size: .9rem; }
.toc-title { margin: 0 0 .5rem; color: var(--muted); font-size: .75rem; font-weight: 700; letter-spacing: .08em; text-transform: uppercase; }
.toc ol { margin: 0; padding: 0; list-style: none; }
.toc li { margin: .15rem 0; }
.toc ol ol { margin: .2rem 0 .4rem .8rem; padding-left: .7rem; border-left: 2px solid var(--border); }
.toc a { color: var(--text); display: block; padding: .1rem 0; }
.toc ol ol a { color: var(--muted); }
main { min-width: 0; }
main > section { margin-bottom: 2.8rem; }
h2 { margin: 0 0 1rem; padding-bottom: .4rem; font-size: 1.4rem; line-height: 1.3; border-bottom: 2px solid var(--border); }
h3 { margin: 1.6rem 0 .6rem; font-size: 1.12rem; line-height: 1.35; }
h4 { margin: 0; font-size: 1.02rem; line-height: 1.4; }
p { margin: .5rem 0; }
.project { background: var(--surface); border: 1px solid var(--border); border-radius: 14px; padding: .3rem 1.4rem 1.2rem; margin-bottom: 1.4rem; box-shadow: var(--shadow); }
.project > h3 { margin-top: 1rem; font-size: 1.25rem; }
.summary { color: var(--text); }
.fallback { color: var(--muted); font-style: italic; }
.item { border-top: 1px solid var(--border); padding: 1rem 0 .4rem; }
.item-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: .4rem .8rem; }
.chips { display: inline-flex; flex-wrap: wrap; gap: .35rem; }
.chip {
  display: inline-block; padding: .05rem .55rem; border-radius: 999px; font-size: .74rem; font-weight: 600;
  line-height: 1.6; letter-spacing: .02em; background: var(--grey-bg); color: var(--grey); white-space: nowrap;
}
.disp-completed { background: var(--green-bg); color: var(--green); }
.disp-blocked { background: var(--amber-bg); color: var(--amber); }
.disp-interrupted { background: var(--orange-bg); color: var(--orange); }
.disp-failed { background: var(--red-bg); color: var(--red); }
.disp-clarification { background: var(--blue-bg); color: var(--blue); }
.conf-high { background: var(--green-bg); color: var(--green); }
.conf-medium { background: var(--amber-bg); color: var(--amber); }
.conf-low { background: var(--red-bg); color: var(--red); }
.chip.offline { background: var(--purple-bg); color: var(--purple); }
.covers, .meta { color: var(--muted); font-size: .85rem; }
.label { font-weight: 600; margin-right: .2rem; }
.cite {
  display: inline-block; margin: 0 .1rem; padding: 0 .4rem; border-radius: 6px; background: var(--accent-soft);
  font: 600 .74rem/1.6 ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; white-space: nowrap;
}
a.cite:hover { text-decoration: none; outline: 1px solid var(--accent); }
.cite.unlinked { background: var(--grey-bg); color: var(--muted); }
ul.claims, ul.outcomes { margin: .6rem 0; padding-left: 1.2rem; }
ul.claims > li, ul.outcomes > li { margin: .35rem 0; }
details { margin: .5rem 0; }
summary { cursor: pointer; color: var(--muted); font-size: .88rem; font-weight: 600; }
summary:hover { color: var(--text); }
.details-body { margin: .4rem 0 .6rem; padding: .2rem .9rem; border-left: 3px solid var(--border); }
.messages > .details-body { border-left: 0; padding-left: 0; }
blockquote {
  margin: .5rem 0; padding: .55rem .9rem; background: var(--quote); border-left: 3px solid var(--accent);
  border-radius: 0 8px 8px 0; white-space: pre-wrap;
}
.limits { margin: .7rem 0; padding: .6rem .9rem; border-radius: 8px; background: var(--surface-2); border: 1px dashed var(--border); color: var(--muted); font-size: .88rem; }
.limits p { margin: .2rem 0; }
.limits .label { color: var(--text); }
.minor { margin-top: 1rem; padding: .2rem 1rem; border-radius: 10px; background: var(--surface-2); border: 1px solid var(--border); }
.minor > summary { padding: .5rem 0; }
.minor .item:first-of-type { border-top: 0; }
.uncovered { color: var(--muted); font-size: .88rem; }
.panel { background: var(--surface); border: 1px solid var(--border); border-radius: 14px; padding: .6rem 1.4rem 1rem; box-shadow: var(--shadow); }
.lead { font-size: 1.05rem; }
.group-head { display: flex; align-items: center; gap: .5rem; }
.group-head::before { content: ""; width: .6rem; height: .6rem; border-radius: 50%; background: var(--grey); }
.kind-promote::before, .dim-direction::before { background: var(--green); }
.kind-avoid::before, .dim-correction::before { background: var(--red); }
.kind-reuse::before, .dim-review::before { background: var(--blue); }
.dim-recovery::before { background: var(--amber); }
.pattern .statement { font-weight: 600; margin: 0; }
.pattern .rationale { margin: .1rem 0; color: var(--text); }
.callout { padding: .8rem 1rem; border-radius: 10px; background: var(--purple-bg); color: var(--text); }
.offline-parts { margin: .4rem 0; padding-left: 1.2rem; }
.offline-parts li { margin: .3rem 0; }
.evidence-project > h3 { margin-top: 1.2rem; }
details.chain { margin: .45rem 0; border: 1px solid var(--border); border-radius: 10px; background: var(--surface); }
details.chain > summary {
  display: flex; align-items: center; gap: .6rem; padding: .5rem .9rem; color: var(--text); list-style: none;
}
details.chain > summary::-webkit-details-marker { display: none; }
details.chain > summary::before {
  content: ""; flex: none; width: .45rem; height: .45rem; border-right: 2px solid var(--muted); border-bottom: 2px solid var(--muted);
  transform: rotate(-45deg); transition: transform .15s ease; margin-right: .1rem;
}
details.chain[open] > summary::before { transform: rotate(45deg); }
.preview { flex: 1 1 auto; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; color: var(--muted); font-size: .86rem; font-weight: 400; }
details.chain[open] > summary { border-bottom: 1px solid var(--border); }
details.chain:target { border-color: var(--accent); box-shadow: 0 0 0 3px var(--accent-soft); }
.ref { flex: none; font: 600 .85rem ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; }
.lines { flex: none; color: var(--muted); font-size: .8rem; font-weight: 400; }
details.chain > summary .chip { flex: none; }
.chain-body { margin: 0; padding: .6rem .9rem .8rem; display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: .3rem 1rem; font-size: .9rem; }
.chain-body dt { color: var(--muted); font-weight: 600; }
.chain-body dd { margin: 0; }
.chain-body dd ul { margin: 0; padding-left: 1.1rem; }
.chain-quotes { padding: 0 .9rem .6rem; }
.type { font: .78rem ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; color: var(--muted); margin-right: .3rem; }
footer { max-width: 76rem; margin: 0 auto; padding: 1.2rem 1.5rem 2.4rem; color: var(--muted); font-size: .8rem; border-top: 1px solid var(--border); }
@media print {
  :root { --bg: #fff; --surface: #fff; --surface-2: #fff; --shadow: none; }
  body { font-size: 11pt; }
  .toc { display: none; }
  .layout { display: block; padding: 0; }
  .masthead { border: 0; }
  .project, .panel, details.chain { break-inside: avoid; box-shadow: none; }
  .item { break-inside: avoid; }
  details::details-content { content-visibility: visible; display: block; }
  summary { list-style: none; }
  a { color: inherit; }
}
)css";

}  // namespace

std::string_view report_stylesheet() { return stylesheet.substr(1); }

}  // namespace diary::generate::render
