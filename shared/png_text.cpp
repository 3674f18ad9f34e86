#include "png_text.h"

#include <cstring>

namespace sprites {

namespace {

constexpr uint8_t kSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

uint32_t be32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

}  // namespace

std::vector<std::pair<std::string, std::string>> png_text(const std::vector<uint8_t>& bytes) {
  std::vector<std::pair<std::string, std::string>> text;
  if (bytes.size() < sizeof kSignature || std::memcmp(bytes.data(), kSignature, sizeof kSignature) != 0) return text;
  for (size_t at = sizeof kSignature; bytes.size() - at >= 12;) {  // length, type, body, CRC
    const uint64_t length = be32(&bytes[at]);
    if (length > bytes.size() - at - 12) break;
    const char* type = reinterpret_cast<const char*>(&bytes[at + 4]);
    const char* body = type + 4;
    if (std::memcmp(type, "IEND", 4) == 0) break;
    if (std::memcmp(type, "tEXt", 4) == 0) {
      const char* zero = static_cast<const char*>(std::memchr(body, 0, length));
      if (zero) text.emplace_back(std::string(body, zero), std::string(zero + 1, body + length));
    }
    at += 12 + length;
  }
  return text;
}

std::string png_share_link(const std::vector<uint8_t>& bytes) {
  for (const auto& [key, value] : png_text(bytes)) {
    if (key != "Parameters") continue;
    std::string link = value.rfind("v=", 0) == 0 ? value : "";
    if (const size_t at = value.find(" link="); link.empty() && at != std::string::npos) link = value.substr(at + 6);
    if (const size_t hash = link.find('#'); hash != std::string::npos) link = link.substr(hash + 1);
    return link;
  }
  return "";
}

}  // namespace sprites
