// cts_prefetch is defined inline in include/cmemory.h; a C target needs one source file.
#include "cmemory.h"
