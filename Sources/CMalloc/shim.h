// glibc allocator tuning (mallopt) for the weir executable.
#include <malloc.h>
