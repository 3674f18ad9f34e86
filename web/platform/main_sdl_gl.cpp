// Backend glue, as Dear ImGui's example_emscripten_opengl3: SDL2 window + WebGL2 context, ImGui's
// SDL2 and OpenGL3 backends, the browser-driven main loop. The app itself lives in app/.
#include "browser.h"
#include "input_trickle.h"
#include "page_api.h"
#include "soft_keyboard.h"
#include "studio.h"

#include <SDL.h>
#include <GLES3/gl3.h>
#include <emscripten.h>
#include <emscripten/html5.h>
#include <imgui.h>
#include <imgui_impl_opengl3.h>
#include <imgui_impl_sdl.h>

#include <cfloat>
#include <cstdio>
#include <vector>

namespace {

struct Platform {
  SDL_Window* window = nullptr;
  SDL_GLContext gl = nullptr;
  sprites::Studio studio;
  std::vector<SDL_Event> waiting;  // input events a frame left for the next (input_trickle.h)
  sprites::InputTrickle trickle;
  sprites::FramePacer::Timing timing = sprites::FramePacer::Timing::display;
};

// Keeps the SDL window the size of the canvas's CSS box; SDL (ALLOW_HIGHDPI) then gives the canvas
// devicePixelRatio times as many pixels, so text and sprites stay sharp on high-DPI screens.
void fit_window_to_page(SDL_Window* w) {
  double css_w = 0, css_h = 0;
  emscripten_get_element_css_size("#canvas", &css_w, &css_h);
  int cur_w = 0, cur_h = 0;
  SDL_GetWindowSize(w, &cur_w, &cur_h);
  const int want_w = static_cast<int>(css_w), want_h = static_cast<int>(css_h);
  if (want_w > 0 && want_h > 0 && (want_w != cur_w || want_h != cur_h)) SDL_SetWindowSize(w, want_w, want_h);
}

// The browser calls frame() at its display rate, back to back, or every few dozen milliseconds, as
// the studio's pacing asks (frame_pacing.h).
void set_timing(Platform& p, sprites::FramePacer::Timing t) {
  using T = sprites::FramePacer::Timing;
  if (t == p.timing) return;
  p.timing = t;
  if (t == T::display) emscripten_set_main_loop_timing(EM_TIMING_RAF, 1);
  else if (t == T::back_to_back) emscripten_set_main_loop_timing(EM_TIMING_SETIMMEDIATE, 0);
  else if (t == T::soon) emscripten_set_main_loop_timing(EM_TIMING_SETTIMEOUT, static_cast<int>(sprites::FramePacer::kSoonMs));
  else emscripten_set_main_loop_timing(EM_TIMING_SETTIMEOUT, static_cast<int>(sprites::FramePacer::kPollMs));
}

sprites::InputEvent input_event(const SDL_Event& e) {
  using K = sprites::InputEvent::Kind;
  switch (e.type) {
    case SDL_KEYDOWN:
    case SDL_KEYUP: {
      const bool modifier = e.key.keysym.scancode >= SDL_SCANCODE_LCTRL && e.key.keysym.scancode <= SDL_SCANCODE_RGUI;
      return {modifier ? K::modifier : K::key, e.key.keysym.scancode, e.type == SDL_KEYDOWN};
    }
    case SDL_TEXTINPUT: return {K::text};
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP: {
      const int b = e.button.button == SDL_BUTTON_LEFT ? 0 : e.button.button == SDL_BUTTON_RIGHT ? 1 : e.button.button == SDL_BUTTON_MIDDLE ? 2 : -1;
      if (b < 0) return {K::other};
      return {K::button, b, e.type == SDL_MOUSEBUTTONDOWN, static_cast<float>(e.button.x), static_cast<float>(e.button.y)};
    }
    case SDL_MOUSEMOTION: return {K::pointer_move, 0, false, static_cast<float>(e.motion.x), static_cast<float>(e.motion.y)};
    default: return {K::other};
  }
}

// Hands ImGui the events this frame takes; the rest wait for the next frame.
void take_input(Platform& p) {
  SDL_Event ev;
  while (SDL_PollEvent(&ev)) p.waiting.push_back(ev);
  std::vector<sprites::InputEvent> events;
  events.reserve(p.waiting.size());
  for (const SDL_Event& e : p.waiting) events.push_back(input_event(e));
  const std::size_t n = p.trickle.take(events);
  ImGuiIO& io = ImGui::GetIO();
  for (std::size_t i = 0; i < n; ++i) {
    const SDL_Event& e = p.waiting[i];
    ImGui_ImplSDL2_ProcessEvent(&e);
    // The backend reads modifiers from SDL's state now, which is past the events still waiting.
    if (e.type == SDL_KEYDOWN || e.type == SDL_KEYUP) {
      io.KeyShift = (e.key.keysym.mod & KMOD_SHIFT) != 0;
      io.KeyCtrl = (e.key.keysym.mod & KMOD_CTRL) != 0;
      io.KeyAlt = (e.key.keysym.mod & KMOD_ALT) != 0;
      io.KeySuper = (e.key.keysym.mod & KMOD_GUI) != 0;
    }
  }
  p.waiting.erase(p.waiting.begin(), p.waiting.begin() + static_cast<long>(n));
}

void draw(Platform& p) {
  fit_window_to_page(p.window);
  take_input(p);
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplSDL2_NewFrame();
  // The backend sets the pointer and buttons from SDL's state, which is past the events still
  // waiting: they are set again as the taken events leave them.
  ImGuiIO& io = ImGui::GetIO();
  const sprites::InputTrickle::Pointer& pointer = p.trickle.pointer();
  if (pointer.seen && io.MousePos.x != -FLT_MAX) io.MousePos = ImVec2(pointer.x, pointer.y);
  for (int b = 0; b < 3; ++b) io.MouseDown[b] = pointer.down[b];
  // ImGui 1.86 asserts on DeltaTime == 0, which headless virtual time can produce.
  if (io.DeltaTime <= 0.0f) io.DeltaTime = 1.0f / 60.0f;
  ImGui::NewFrame();
  sprites::studio_frame(p.studio);
  sprites::soft_keyboard_frame(p.studio.text_fields, io.WantTextInput);
  ImGui::Render();
  int w = 0, h = 0;
  SDL_GL_GetDrawableSize(p.window, &w, &h);
  glViewport(0, 0, w, h);
  // The studio's window draws no background of its own (studio.cpp): the clear is its colour, as
  // it looked blended over the old clear colour.
  const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  glClearColor(bg.x * bg.w + 0.10f * (1 - bg.w), bg.y * bg.w + 0.10f * (1 - bg.w), bg.z * bg.w + 0.12f * (1 - bg.w), 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  p.studio.last_vertices = ImGui::GetDrawData()->TotalVtxCount;
  SDL_GetWindowSize(p.window, &p.studio.window_w, &p.studio.window_h);
  p.studio.drawable_w = w;
  p.studio.drawable_h = h;
}

void frame(void* arg) {
  auto& p = *static_cast<Platform*>(arg);
  const double now = emscripten_get_now();
  sprites::studio_advance(p.studio, now);
  const bool input = !p.waiting.empty() || SDL_HasEvents(SDL_FIRSTEVENT, SDL_LASTEVENT);
  if (p.studio.pacing.draw(now, input, p.studio.animating)) draw(p);  // else the canvas keeps its last frame
  set_timing(p, p.studio.pacing.next_timing(emscripten_get_now(), sprites::studio_sampling(p.studio), p.studio.animating));
}

}  // namespace

int main(int, char**) {
  static Platform p;
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER | SDL_INIT_EVENTS) != 0) {
    sprites::browser::show_fatal(std::string("The studio could not start (SDL: ") + SDL_GetError() + ").");
    return 1;
  }
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_ES);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
  SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
  p.window = SDL_CreateWindow("Sprite Diffusion Studio", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, 1280, 800,
                              SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
  p.gl = p.window ? SDL_GL_CreateContext(p.window) : nullptr;
  if (!p.gl) {
    const char* why = SDL_GetError();
    sprites::browser::show_fatal(std::string("The studio draws with WebGL2, which this browser does not give it: a current Chrome, Edge, "
                                             "Firefox or Safari with WebGL on (hardware acceleration, or its software renderer) runs it.") +
                                 (why && *why ? std::string(" (SDL: ") + why + ")" : std::string()));
    return 1;
  }
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;
  // Rasterise the font at device resolution and draw it at logical size: sharp text on high-DPI.
  const float dpr = static_cast<float>(emscripten_get_device_pixel_ratio());
  if (dpr > 1.0f) {
    ImFontConfig font;
    font.SizePixels = 13.0f * dpr;
    ImGui::GetIO().Fonts->AddFontDefault(&font);
    ImGui::GetIO().FontGlobalScale = 1.0f / dpr;
  }
  ImGui::StyleColorsDark();
  ImGui_ImplSDL2_InitForOpenGL(p.window, p.gl);
  ImGui_ImplOpenGL3_Init("#version 300 es");

  sprites::studio_init(p.studio, SPRITES_BUILD_VARIANT, emscripten_get_now());
  sprites::page_api_attach(&p.studio, reinterpret_cast<const char*>(glGetString(GL_VERSION)));
  std::printf("sprites: xnn_initialize %s (%s build, %d threads)\n", p.studio.engine.ok ? "succeeded" : "FAILED",
              SPRITES_BUILD_VARIANT, p.studio.engine.threads);
  emscripten_set_main_loop_arg(frame, &p, 0, false);
  return 0;
}
