// Resume for the daily report: the skeleton is rebuilt on every run, and a filled slot of the
// previous daily-report.json is carried into it when its substrate (report_substrate.h) is
// unchanged and it still passes every slot rule with its citations re-resolved. A slot made by
// the offline fallback is kept only by an offline run: a model run asks the model again (its
// offline_parts entry travels with a kept slot). Pure function; thread-safe.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "generate/daily/citation_index.h"
#include "generate/daily/report_slots.h"

namespace diary::generate::daily {

// Fills slots of `fresh` from `previous` (anything but a report object keeps nothing) and returns
// the slots kept. Summaries first, since the title's substrate includes them.
std::vector<SlotRef> preserve_slots(nlohmann::json& fresh, const nlohmann::json& previous, const CitationIndex& index,
                                    bool offline_run);

}  // namespace diary::generate::daily
