#ifndef CTS_CMEMORY_H
#define CTS_CMEMORY_H

/// Asks the CPU to bring the cache line at `address` in for reading, without waiting for it: for loops
/// that visit memory in an order the hardware cannot guess (rows taken by their positions in a sort
/// order). A hint only; it never faults.
static inline void cts_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }

#endif
