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

extern "C" void *meshc_re2_new(const char *pattern, size_t length, char *error, size_t error_size) {
    RE2::Options options;
    options.set_log_errors(false);
    RE2 *re = new RE2(re2::StringPiece(pattern, length), options);
    if (re->ok()) return re;
    if (error != nullptr && error_size > 0) {
        const std::string &message = re->error();
        size_t n = message.size() < error_size - 1 ? message.size() : error_size - 1;
        std::memcpy(error, message.data(), n);
        error[n] = '\0';
    }
    delete re;
    return nullptr;
}

extern "C" int meshc_re2_partial_match(const void *handle, const char *text, size_t length) {
    const RE2 *re = static_cast<const RE2 *>(handle);
    return RE2::PartialMatch(re2::StringPiece(text, length), *re) ? 1 : 0;
}

extern "C" void meshc_re2_free(void *handle) {
    delete static_cast<RE2 *>(handle);
}

extern "C" int meshc_re2_program_size(const char *pattern, size_t length) {
    RE2::Options options;
    options.set_log_errors(false);
    RE2 re(re2::StringPiece(pattern, length), options);
    return re.ok() ? re.ProgramSize() : -1;
}
