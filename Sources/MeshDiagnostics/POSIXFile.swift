#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writing to file descriptors the way every atomic file of meshc does.
package enum POSIXFile {
    /// Every byte of `buffer` to `fd` (a file or a pipe), again after
    /// `EINTR` and short writes: nil when all were written, else the
    /// system's reason (`No space left on device`).
    package static func writeAll(_ buffer: UnsafeRawBufferPointer, to fd: Int32) -> String? {
        var offset = 0
        while offset < buffer.count {
            let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return String(cString: strerror(errno)) }
            offset += n
        }
        return nil
    }
}
