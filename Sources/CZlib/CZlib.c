// The target only exports <zlib.h> (include/CZlib.h); SwiftPM needs a source file.
#include "CZlib.h"
