#ifndef MESHC_CRE2_H
#define MESHC_CRE2_H
#include <stddef.h>
#ifdef __cplusplus
extern "C" {
#endif
/// Compiles `pattern` with RE2 (the engine Envoy uses). Returns 1 when RE2
/// accepts it; 0 otherwise, with RE2's reason copied into `error`.
int meshc_re2_check(const char *pattern, size_t length, char *error, size_t error_size);
/// RE2's program size for `pattern` (what Envoy compares with re2.max_program_size); -1 when RE2 rejects it.
int meshc_re2_program_size(const char *pattern, size_t length);
#ifdef __cplusplus
}
#endif
#endif

#ifndef MESHC_CRE2_HANDLE_H
#define MESHC_CRE2_HANDLE_H
#ifdef __cplusplus
extern "C" {
#endif
/// Compiles `pattern` once for repeated matching; NULL (reason in `error`) when RE2 rejects it.
void *meshc_re2_new(const char *pattern, size_t length, char *error, size_t error_size);
/// 1 when `text` contains a match of the compiled pattern (RE2::PartialMatch), else 0.
int meshc_re2_partial_match(const void *handle, const char *text, size_t length);
void meshc_re2_free(void *handle);
#ifdef __cplusplus
}
#endif
#endif
