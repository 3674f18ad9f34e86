#include "sha256.h"

#include "checksum.h"
#include "file_bytes.h"

#include <openssl/evp.h>

#include <stdexcept>
#include <vector>

namespace sprites {

std::string sha256_file(const std::string& path) {
  const std::vector<uint8_t> bytes = read_file_bytes(path);  // datasets and weights: a few MB
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_sha256(), nullptr)) throw std::runtime_error(path + ": sha256 failed");
  return hex_bytes(std::vector<uint8_t>(md, md + len));
}

}  // namespace sprites
