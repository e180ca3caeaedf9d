#ifndef TRAWL_CPOPPLER_SHIM_H
#define TRAWL_CPOPPLER_SHIM_H
#include <poppler.h>
#endif
