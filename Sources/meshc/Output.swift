#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes whole strings to standard output and error, unbuffered by Swift.
enum FileHandleOutput {
    static func standardOutput(_ text: String) { write(1, text) }

    static func standardError(_ text: String) {
        write(2, text.hasSuffix("\n") ? text : text + "\n")
    }

    private static func write(_ fd: Int32, _ text: String) {
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if n <= 0 { return }
                offset += n
            }
        }
    }
}
