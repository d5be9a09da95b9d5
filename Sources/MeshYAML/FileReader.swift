#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MeshDiagnostics

/// Reads whole files with POSIX calls, refusing ones over the size limit.
package enum FileReader {
    package enum Failure: Error, CustomStringConvertible {
        case unreadable(path: String, reason: String)
        package var description: String {
            switch self {
            case .unreadable(let path, let reason): "\(path): cannot read: \(reason)"
            }
        }
    }

    /// Reads and parses one file. A file over `limits.maxFileBytes` gives a
    /// diagnostic without being read; an unreadable one throws.
    package static func parseFile(at path: String, displayPath: String? = nil, limits: ParseLimits = .default) throws -> YAMLFile {
        let shown = displayPath ?? path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw Failure.unreadable(path: shown, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw Failure.unreadable(path: shown, reason: String(cString: strerror(errno))) }
        let size = Int(info.st_size)
        if size > limits.maxFileBytes { return oversized(path: shown, size: size, limits: limits) }
        // Read into uninitialized storage: zeroing what read(2) overwrites costs a pass over every byte.
        let buffer = try [UInt8](unsafeUninitializedCapacity: size) { storage, count in
            while count < size {
                let n = read(fd, storage.baseAddress! + count, size - count)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw Failure.unreadable(path: shown, reason: String(cString: strerror(errno)))
                }
                if n == 0 { break } // the file shrank since fstat: parse what was there
                count += n
            }
        }
        return YAMLParser.parse(buffer, path: shown, limits: limits)
    }

    /// The result for a file over `limits.maxFileBytes`: no documents, one
    /// diagnostic saying so.
    package static func oversized(path: String, size: Int, limits: ParseLimits) -> YAMLFile {
        let diagnostic = Diagnostic(
            Codes.inputLimitExceeded,
            "file is \(size) bytes, over the \(limits.maxFileBytes)-byte limit; it was not read",
            hint: "split it into smaller files, or raise the limit with --max-file-size",
            file: path, mark: .start)
        return YAMLFile(path: path, documents: [], diagnostics: [diagnostic])
    }

    /// Reads all of standard input (bounded by the same size limit).
    package static func readStandardInput(limits: ParseLimits = .default) -> [UInt8]? {
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress!, 65536) }
            if n < 0 { if errno == EINTR { continue }; return nil }
            if n == 0 { break }
            data.append(contentsOf: chunk[0..<n])
            if data.count > limits.maxFileBytes { return nil }
        }
        return data
    }
}
