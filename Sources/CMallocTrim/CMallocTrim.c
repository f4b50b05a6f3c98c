// The target's one function is static inline in include/CMallocTrim.h; SwiftPM needs a source file.
#include "CMallocTrim.h"
