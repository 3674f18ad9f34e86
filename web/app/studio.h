// The sprite studio: its state and its ImGui frame. Knows nothing of SDL or the browser beyond the
// small platform interfaces (textures, browser services).
#pragma once
#include "copied_link.h"
#include "download_settings.h"
#include "engine.h"
#include "frame_pacing.h"
#include "generation.h"
#include "kept_panel.h"
#include "layout.h"
#include "lab_views.h"
#include "live_preview.h"
#include "noising_view.h"
#include "pixel_art_panel.h"
#include "run_following.h"
#include "share_link.h"
#include "sprite_texture.h"
#include "variations.h"
#include "weights_library.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sprites {

struct Studio {
  EngineInfo engine;
  std::string build;                   // "st" or "mt"
  std::unique_ptr<WeightsLibrary> library;  // built-in checkpoints, URLs, opened files
  bool index_loaded = false;           // weights/index.json answered (index_error says if badly)
  std::string index_error;
  RunFollowing following;              // asking again for the index of a run still training (run_following.h)
  // Everything a share link carries; its weights may still be on the way. Its weights_hash is the
  // hash a link or the Weights panel asked for until those weights are loaded, then theirs
  // (publish_hash, each frame), so the address bar never names a file the page is not drawing.
  ShareState state;
  ShareState shown;                    // the weights settings of the last grid started: kept when new ones fail
  bool want_generation = false;        // generate (and open want_lab) once the state's weights are ready
  std::string want_lab;
  std::string weights_error;           // the last weights that could not be fetched or read
  char publish_url[1024] = "";         // the URL field of "publish this file first"
  std::string publish_error;
  bool link_needs_url = false;         // "Copy link" pressed while a local file is active
  bool want_copy_link = false;         // copy the link once the address bar holds it
  CopiedLink copied;                   // what the last copy did, said under "Copy link"
  std::vector<float> context_before_unconditional;
  std::shared_ptr<WeightsSlot> gen_weights;  // what gen samples from, alive while a newer index replaces it
  std::unique_ptr<Generation> gen;
  std::string gen_error;
  std::unique_ptr<LabRun> lab;         // compare / checkpoints / interpolate
  LivePreview live;                    // the student's grid while a slider moves (live_preview.h)
  Variations variations;               // the starting sprite's panel (variations.h); the sprite is in state
  KeptPanel kept;                      // the sprites kept from any grid (kept_panel.h)
  NoisingView noising;                 // the forward process view (noising_view.h); its t is in state
  SpriteTexture grid_tex, sel_tex, x_tex, x0_tex;
  int scrub = -1, shown_snapshot = -2;
  bool picked = false;                 // the user chose state.selected in this grid (a tap or a click)
  DownloadSettings downloads;          // how big and how transparent the sprite downloads are, as stored
  std::string downloads_error;         // the stored settings did not read back, or the browser keeps none
  PixelArt pixel_art;                  // few colours, a palette, and the grid as shown (pixel_art_panel.h)
  std::string link_error, published_hash;
  std::optional<ShareState> link_file;  // a link whose weights are a local file: applied once it is opened
  std::string open_view;               // a tab a link asked for, selected on the next frame
  Layout layout;                       // chosen each frame from the canvas's CSS size
  UiRects ui;                          // where the grid and some widgets were drawn (status JSON)
  std::vector<TextField> text_fields;  // where this frame drew text fields (a phone's keyboard)
  long frames = 0;                     // frames drawn
  FramePacer pacing;                   // which browser frames are drawn
  bool animating = false;              // the last frame drawn showed an animation
  int last_vertices = 0;
  int window_w = 0, window_h = 0, drawable_w = 0, drawable_h = 0;  // CSS pixels, device pixels
  int generations = 0;                 // finished generations
  double first_grid_ms = -1;           // page start to first finished grid
  double first_grid_at_ms = -1;        // the same, counted from navigation (performance.now())
  double first_grid_sampling_ms = -1;  // of which the sampler's time slices took this long
  double start_ms = 0;
};

void studio_init(Studio& s, const std::string& build, double now_ms);
// Applies a share link (the URL hash as the address bar holds it, on load and on every hashchange):
// its settings, view and a generation; one that cannot be read gives a one-line message and the defaults.
void studio_open_link(Studio& s, const std::string& hash);
// Once per browser frame: the running generation's or lab view's next time slice.
void studio_advance(Studio& s, double now_ms);
bool studio_sampling(const Studio& s);  // a generation or a lab view is running
// The ImGui frame (after studio_advance), on the frames the platform draws (frame_pacing.h).
void studio_frame(Studio& s);
// "Copy link": copies the address once the frame has published it, or, while an opened file is
// active, asks where the file is published first.
void studio_copy_link(Studio& s);
// The browser's answer to a copy of `text` (the page's address): copied, or refused and why.
void studio_link_copied(Studio& s, const std::string& text, bool ok, const std::string& why);
// The opened file is at `url` from now on: links name it there. Returns why not, or "".
std::string studio_publish_file_at(Studio& s, const std::string& url);
// The built-in weights' index arrived (json) or could not be fetched (error); again and again while
// a run trains (run_following.h).
void studio_set_index(Studio& s, const std::string& json, const std::string& error);
// Starts what waits on weights (a generation, a lab view) once they are loaded; reports failures.
void studio_poll_weights(Studio& s);

// The last ImGui item's rectangle goes into the status JSON under `name` (tests aim at it).
void remember_item(Studio& s, const char* name);
// The same for a text field, which a tap on a phone opens the on-screen keyboard for
// (web/soft_keyboard.js); a number field gets the keyboard's digits.
void remember_text_field(Studio& s, const char* name, bool number = false);
// Sprite k of a grid's RGB8 pixels (black if the grid has no sprite k).
std::vector<uint8_t> sprite_of(const std::vector<uint8_t>& all, int k);
// The finished grid as shown (shown_grid.h): what downloads, variations and the Noising view take.
const std::vector<uint8_t>& grid_pixels(const Studio& s);
const std::string& grid_checksum(const Studio& s);  // of grid_pixels
// Draws the grid's texture: the shown pixels once finished, the predicted x0 while sampling.
void show_grid(Studio& s);

// The link that reproduces `state` on any page: the short hash of its weights once they are here,
// and a training run's checkpoint by its URL (it exists only where this page is served). The
// address bar and every download's "Parameters" say it.
std::string shareable_link(const Studio& s, ShareState state);
// What the grid on screen came from (the settings and weights of its generation, not the controls
// moved since), seen as now (view, selected sprite, colours): what its downloads describe.
ShareState grid_state(const Studio& s);
// The controls moved since the grid on screen was started: Generate would draw another.
bool controls_moved(const Studio& s);
WeightsSlot* active_weights(Studio& s);                         // the state's weights, null until loaded
// Switches to other weights (a library key); they are fetched if needed, then a grid is generated.
void studio_use_weights(Studio& s, const ShareState& weights_of);
// A file the user opened or dropped: becomes the active model, or a message if it is not one.
void studio_open_file(Studio& s, const std::string& name, std::vector<uint8_t> bytes);
// Sprites per frame slice: single-threaded builds split big steps; with workers a step is one slice.
size_t slice_rows(const Studio& s);
// Starts a generation with the current settings (cancels a running one).
void studio_generate(Studio& s);

}  // namespace sprites
