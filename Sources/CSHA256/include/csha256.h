#ifndef CTS_CSHA256_H
#define CTS_CSHA256_H

#include <stddef.h>
#include <stdint.h>

/// 1 when this CPU has the x86 SHA extensions that cts_sha256_blocks uses, else 0.
int cts_sha256_hardware(void);

/// Compresses `blocks` 64-byte blocks at `data` into the eight SHA-256 state words with the SHA
/// instructions. Call only when cts_sha256_hardware() returned 1.
void cts_sha256_blocks(uint32_t state[8], const uint8_t *data, size_t blocks);

#endif
