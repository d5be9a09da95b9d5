/// Text that came from outside (an agent's answer, Envoy's reason, a
/// commit's lint report) cut to a size before it is kept, logged or served:
/// a hostile or broken peer cannot grow `/status`, logs or memory.
package enum Bounded {
    /// Reasons and errors kept per proxy.
    package static let reason = 2_048
    /// A whole report (`/status`'s `lastError` for a commit).
    package static let report = 16_384
    /// A body quoted in an error.
    package static let quote = 512
    /// A metric label value.
    package static let label = 128

    /// `text` when it holds at most `limit` UTF-8 bytes; otherwise its
    /// longest prefix (on a character boundary) within the limit and
    /// "… (N more bytes)".
    package static func text(_ text: String, _ limit: Int) -> String {
        let utf8 = text.utf8
        guard utf8.count > limit else { return text }
        var end = utf8.index(utf8.startIndex, offsetBy: limit)
        // Back to the start of a scalar: UTF-8 continuation bytes are 0b10xxxxxx.
        while end > utf8.startIndex, utf8[end] & 0xC0 == 0x80 { end = utf8.index(before: end) }
        let kept = String(text[..<end])
        return kept + "… (\(utf8.count - kept.utf8.count) more bytes)"
    }
}
