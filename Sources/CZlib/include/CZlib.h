#ifndef CZLIB_H
#define CZLIB_H

// zlib (https://zlib.net), the system library swift-nio-extras already links for HTTP compression,
// for the kept overviews' bytes (DubbelslotAPI's KeptOverviews). Swift calls compress2, compressBound
// and uncompress directly.
#include <zlib.h>

#endif
