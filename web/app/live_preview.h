// The studio's live preview: while a context slider, the guidance or the seed is held, a distilled
// student redraws the grid every frame with one network evaluation per sprite; when the control is
// let go, the chosen sampler renders as usual. A student belongs to a teacher (checkpoint_files.h)
// and draws its teacher's sprites from the same noise, so turning live on switches the model to the
// teacher: what the preview shows is what the full render refines.
#pragma once
#include "live_sampler.h"

#include <memory>
#include <string>

namespace sprites {

struct Studio;

struct LivePreview {
  bool held = false, released = false;  // this frame: a live control is held / was let go after an edit
  std::string student;                  // the page's student id once live is on ("" before)
  std::string message;                  // why live is off, or what turning it on changed
  int grids = 0;                        // student grids drawn
  double total_ms = 0, last_ms = 0;     // their sampling time
  std::string drawn;                    // the link of the last grid asked for (nothing moved: no redraw)
  std::unique_ptr<LiveSampler> sampler;  // a thread of its own in the pthread build (live_sampler.h)
};

// The student the page's index offers for live preview: fewest steps, then fewest bytes ("" if none).
std::string live_student_id(const Studio& s);
// After a control the preview follows: notes whether it is held or was just let go.
void live_track_item(Studio& s);
// The "Live preview" checkbox and the rate it reaches, in the sampling panel.
void live_controls(Studio& s);
// Once per frame, after the controls: asks the student for a grid, or starts the full render on release.
void live_frame(Studio& s);
// Every main-loop call: puts a grid the student finished on screen (and has that frame drawn).
void live_advance(Studio& s, double now_ms);

}  // namespace sprites
