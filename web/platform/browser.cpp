#include "browser.h"

#include <emscripten.h>

#include <cstdlib>


namespace sprites::browser {

std::string location_hash() {
  // As the address bar holds it: the link parser decodes each field and reports damage as a message.
  const char* s = emscripten_run_script_string("location.hash.replace(/^#/, '')");
  return s ? s : "";
}

std::string location_href() {
  const char* s = emscripten_run_script_string("location.href");
  return s ? s : "";
}

namespace {

// Text a JS snippet made with stringToNewUTF8 (or 0 for none), as a C++ string; its memory freed.
std::string take_js_text(int p, const std::string& none) {
  char* s = reinterpret_cast<char*>(p);
  std::string out = s ? s : none;
  free(s);
  return out;
}

}  // namespace

std::string absolute_url(const std::string& relative) {
  return take_js_text(EM_ASM_INT({ return stringToNewUTF8(new URL(UTF8ToString($0), location.href).href); }, relative.c_str()),
                      relative);
}

void replace_location_hash(const std::string& h) {
  EM_ASM({ history.replaceState(null, "", "#" + UTF8ToString($0)); }, h.c_str());
}

void show_fatal(const std::string& line) {
  EM_ASM({ Module.showFatal(UTF8ToString($0)); }, line.c_str());
}

void copy_to_clipboard(const std::string& text) {
  EM_ASM({
    const t = UTF8ToString($0);
    const done = (ok, why) => Module.ccall('sprites_copy_done', null, ['string', 'number', 'string'], [t, ok, why]);
    // Browsers keep navigator.clipboard from pages that are not https or localhost (a LAN address).
    if (!navigator.clipboard) done(0, window.isSecureContext ? 'this browser gives pages no clipboard' : 'browsers allow it only on https or localhost pages');
    else navigator.clipboard.writeText(t).then(() => done(1, ""), (e) => done(0, (e && e.message) || String(e)));
  }, text.c_str());
}

void download(const std::string& filename, const std::vector<uint8_t>& bytes, const char* mime) {
  EM_ASM({
    const data = HEAPU8.slice($1, $1 + $2);
    const url = URL.createObjectURL(new Blob([data], { type: UTF8ToString($3) }));
    const a = document.createElement('a');
    a.href = url;
    a.download = UTF8ToString($0);
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }, filename.c_str(), bytes.data(), bytes.size(), mime);
}

void fetch_weights(const std::string& key, const std::string& url, const std::string& hash) {
  EM_ASM({ spritesWeights.fetch(UTF8ToString($0), UTF8ToString($1), UTF8ToString($2)); }, key.c_str(), url.c_str(),
         hash.c_str());
}

void clear_weights_cache() {
  EM_ASM({ spritesWeights.clearCache(); });
}

void open_file_picker() {
  EM_ASM({ spritesWeights.pickFile(); });
}

std::string stored_text(const char* key) {
  return take_js_text(EM_ASM_INT({
    let text = null;
    try {
      text = localStorage.getItem(UTF8ToString($0));
    } catch (e) {
      // storage off: nothing stored
    }
    if (text === null) return 0;
    // A NUL would end the C string there: its line reads as damaged instead (U+FFFD).
    return stringToNewUTF8(text.split(String.fromCharCode(0)).join(String.fromCharCode(65533)));
  }, key), "");
}

bool store_text(const char* key, const std::string& text) {
  return EM_ASM_INT({
    try {
      const t = UTF8ToString($1);
      if (t === "") localStorage.removeItem(UTF8ToString($0));
      else localStorage.setItem(UTF8ToString($0), t);
      return 1;
    } catch (e) {
      return 0;
    }
  }, key, text.c_str());
}

bool cross_origin_isolated() { return EM_ASM_INT({ return self.crossOriginIsolated ? 1 : 0; }); }

}  // namespace sprites::browser
