// A thin C entry point over RE2 so Swift can ask "would Envoy accept this regex?".
#include "cre2.h"
#include <re2/re2.h>
#include <cstring>
#include <string>

extern "C" int meshc_re2_check(const char *pattern, size_t length, char *error, size_t error_size) {
    RE2::Options options;
    options.set_log_errors(false);
    RE2 re(re2::StringPiece(pattern, length), options);
    if (re.ok()) return 1;
    if (error != nullptr && error_size > 0) {
        const std::string &message = re.error();
        size_t n = message.size() < error_size - 1 ? message.size() : error_size - 1;
        std::memcpy(error, message.data(), n);
        error[n] = '\0';
    }
    return 0;
}
