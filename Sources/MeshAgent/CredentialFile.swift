import Foundation

/// The agent's reader of gateway credential files (`GatewayCredentialCheck`):
/// a regular file of at most `maxBytes`, opened without waiting (a FIFO or a
/// device under an allowed root never blocks an apply). Symbolic links are
/// followed, as Envoy follows them (Kubernetes-style `..data` folders).
package enum CredentialFile {
    /// The most a certificate, key or CA file may hold: 1 MiB.
    package static let maxBytes = 1 << 20

    /// The bytes of `path`; throws `CredentialFileError` saying why not.
    package static func read(_ path: String) throws -> Data {
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw CredentialFileError(String(cString: strerror(errno))) }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw CredentialFileError(String(cString: strerror(errno))) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw CredentialFileError("not a regular file") }
        guard info.st_size <= maxBytes else { throw CredentialFileError("\(info.st_size) bytes; at most \(maxBytes) are read") }
        let data = try handle.read(upToCount: maxBytes + 1) ?? Data()
        guard data.count <= maxBytes else { throw CredentialFileError("more than \(maxBytes) bytes") }
        return data
    }
}

/// Why a credential file cannot be read (`No such file or directory`, `Permission denied`, …).
package struct CredentialFileError: Error, CustomStringConvertible, Sendable {
    package var description: String
    package init(_ description: String) { self.description = description }
}

/// One PEM block, read as OpenSSL reads PEM (text around blocks, any line
/// length, CRLF), not as strictly as RFC 7468 wants: files Envoy accepts
/// must not be refused for their layout.
struct PEMBlock: Equatable {
    /// `CERTIFICATE`, `PRIVATE KEY`, `EC PRIVATE KEY`…
    var label: String
    /// The decoded base64.
    var der: [UInt8]
    /// RFC 1421 headers (`Proc-Type: 4,ENCRYPTED`): a legacy encrypted key.
    var hasHeaders = false

    /// Every block in `data`, in order; throws `CredentialFileError` for a
    /// block without its END line, with bad base64 or nothing in it.
    static func all(in data: Data) throws -> [PEMBlock] {
        var blocks: [PEMBlock] = []
        var open: (label: String, base64: String, hasHeaders: Bool)?
        for raw in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard let current = open else {
                if line.hasPrefix("-----BEGIN "), line.hasSuffix("-----"), line.count > 16 {
                    open = (String(line.dropFirst(11).dropLast(5)), "", false)
                }
                continue
            }
            if line == "-----END \(current.label)-----" {
                guard !current.base64.isEmpty, let der = Data(base64Encoded: current.base64) else {
                    throw CredentialFileError("its \(current.label) block is \(current.base64.isEmpty ? "empty" : "not base64")")
                }
                blocks.append(PEMBlock(label: current.label, der: Array(der), hasHeaders: current.hasHeaders))
                open = nil
            } else if line.hasPrefix("-----") {
                throw CredentialFileError("its \(current.label) block has no -----END \(current.label)----- line")
            } else if line.contains(":") {
                open?.hasHeaders = true
            } else {
                open?.base64 += line
            }
        }
        if let current = open { throw CredentialFileError("its \(current.label) block has no -----END \(current.label)----- line") }
        return blocks
    }
}
