#include <git2.h>

/* git_libgit2_opts is variadic, which Swift cannot call: one wrapper per
   option meshc sets. */

/* Where TLS looks for CA certificates (Debian builds libgit2 with mbedTLS,
   which has no default location). */
static inline int cgit2_set_ssl_cert_locations(const char *file, const char *path) {
    return git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, file, path);
}
