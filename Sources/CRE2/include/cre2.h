#ifndef MESHC_CRE2_H
#define MESHC_CRE2_H
#include <stddef.h>
#ifdef __cplusplus
extern "C" {
#endif
/// Compiles `pattern` with RE2 (the engine Envoy uses). Returns 1 when RE2
/// accepts it; 0 otherwise, with RE2's reason copied into `error`.
int meshc_re2_check(const char *pattern, size_t length, char *error, size_t error_size);
#ifdef __cplusplus
}
#endif
#endif
