// Writes a QualityReport as OUT/quality.md (tables, targets, grids), OUT/quality.json and
// OUT/quality/*.png. Hand-written text after the notes marker of an existing quality.md is kept.
#pragma once
#include "quality_eval.h"

#include <string>

namespace sprites {

inline constexpr const char* kNotesMarker = "<!-- Notes below this line are hand-written and kept when the report is regenerated. -->";

void write_quality_report(const QualityReport& r, const std::string& out_dir);

}  // namespace sprites
