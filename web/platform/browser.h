// The few browser services the studio uses, behind plain C++ calls.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace sprites::browser {

std::string location_hash();                    // without '#', still percent-encoded
std::string location_href();
std::string absolute_url(const std::string& relative);  // resolved against the page's address
void replace_location_hash(const std::string&);  // no history entry, no hashchange loop
// The page's one line where the studio cannot start (no WebGL2): in the page's status line, since
// nothing else will be drawn.
void show_fatal(const std::string& line);
void copy_to_clipboard(const std::string& text);  // answered through sprites_copy_done
void download(const std::string& filename, const std::vector<uint8_t>& bytes, const char* mime);
bool cross_origin_isolated();
// weights_fetch.js: the bytes at `url` (from the cache when `hash` names a file it holds), answered
// through sprites_fetch_progress / sprites_fetch_done / sprites_fetch_failed under `key`.
void fetch_weights(const std::string& key, const std::string& url, const std::string& hash);
void clear_weights_cache();
void open_file_picker();  // answered through sprites_open_file
// The browser's localStorage under `key`: "" where nothing is stored or storage is off; store says
// false where the browser refuses (storage off, as in some private windows, or full).
std::string stored_text(const char* key);
bool store_text(const char* key, const std::string& text);

}  // namespace sprites::browser
