// The content rules of a judgment slot, on its stored form: every text non-blank, every claim
// cites at least one turn, enums from the vocabularies, no unknown keys, `source` only
// "offline", and the title rules. The write tools run it on what they are about to store (their
// citations already resolved), preservation and the finalizer on what the file holds (then every
// citation is re-resolved against the index). Stateless; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "generate/artifacts/problem.h"
#include "generate/daily/citation_index.h"
#include "generate/daily/report_slots.h"

namespace diary::generate::daily {

enum class CitationCheck {
  resolve,     // every citation must be a sound stored citation (finalize, preservation)
  count_only,  // the caller resolved them already (the write tools); only "at least one"
};

// Problems of `value` as the slot `kind`, at `path` (the slot's pointer; "" = the root).
// `own_project` restricts a summary's citations to its project; empty for the cross-project slots.
artifacts::Problems check_slot(SlotKind kind, const nlohmann::json& value, const CitationIndex& index,
                               std::string_view own_project, const std::string& path, CitationCheck mode);

}  // namespace diary::generate::daily
