#if canImport(Glibc)
import Glibc
#endif
import Crypto
import Foundation

/// One enrollment token: a one-time credential that lets the agent of
/// exactly one proxy get its first certificate (`CSRProof.enrollment`).
public struct Enrollment: Codable, Sendable, Equatable {
    /// The proxy (the agent's `--proxy`) the token is bound to.
    public var proxy: String
    /// The token (64 hex digits). Kept as is: the reconciler needs it to check HMACs.
    public var token: String
    /// No use after this time.
    public var expiry: Date
    /// When it was used; a used token is refused.
    public var used: Date?
}

/// Why an enrollment proof was refused; each message says what to do.
public enum EnrollmentRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    /// No token was ever made for the proxy (or none matches the proof).
    case noToken(String)
    /// The only matching token is past its expiry.
    case expired(String)
    /// The matching token was used already.
    case used(String)

    public var description: String {
        switch self {
        case .noToken(let proxy):
            return "no enrollment token of proxy \(proxy) matches the agent's proof; run `meshc ca enroll --dir CA --proxy \(proxy)` and give the agent the token (--enroll-token-file)"
        case .expired(let proxy):
            return "the enrollment token of proxy \(proxy) has expired; make a new one with `meshc ca enroll --proxy \(proxy)`"
        case .used(let proxy):
            return "the enrollment token of proxy \(proxy) was used already (tokens work once); make a new one with `meshc ca enroll --proxy \(proxy)`"
        }
    }
}

/// The enrollment tokens of a CA, as a pure value: add, match, use.
public struct EnrollmentList: Codable, Sendable, Equatable {
    /// Every token still kept (expired ones go at the next change).
    public var entries: [Enrollment] = []

    /// An empty list.
    public init(entries: [Enrollment] = []) { self.entries = entries }

    /// Adds `token` for `proxy`, valid until `now + ttl`; drops expired entries.
    public mutating func add(proxy: String, token: String, ttl: Duration, now: Date) {
        entries.removeAll { $0.expiry <= now }
        entries.append(Enrollment(proxy: proxy, token: token, expiry: now.addingTimeInterval(ttl.seconds), used: nil))
    }

    /// The index of the token of `proxy` whose HMAC of `csrPEM` is `mac`, if it is unused and unexpired.
    public func match(proxy: String, csrPEM: String, mac: String, now: Date) -> Result<Int, EnrollmentRefusal> {
        var refusal = EnrollmentRefusal.noToken(proxy)
        for (index, entry) in entries.enumerated() where entry.proxy == proxy {
            guard Self.same(CSRProof.mac(token: entry.token, csrPEM: csrPEM), mac) else { continue }
            if entry.used != nil { refusal = .used(proxy); continue }
            if entry.expiry <= now { refusal = .expired(proxy); continue }
            return .success(index)
        }
        return .failure(refusal)
    }

    /// Checks the proof and marks the token used at `now` (single use); returns the token.
    @discardableResult
    public mutating func redeem(proxy: String, csrPEM: String, mac: String, now: Date) throws -> String {
        let index = try match(proxy: proxy, csrPEM: csrPEM, mac: mac, now: now).get()
        entries[index].used = now
        return entries[index].token
    }

    private static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// `enrollments.json` in the CA folder (mode 0600, beside `ca-key.pem`:
/// whoever reads that folder can sign anything anyway), changed under an
/// exclusive lock (`enrollments.lock`) so `meshc ca enroll` and a running
/// reconciler never lose each other's change.
public enum EnrollmentStore {
    /// The file name in the CA folder.
    public static let file = "enrollments.json"

    /// Makes a token for `proxy`, valid for `ttl`, records it and returns it.
    public static func enroll(directory: String, proxy: String, ttl: Duration, now: Date = Date()) throws -> String {
        var random = SystemRandomNumberGenerator()
        let token = MeshCA.hex((0..<32).map { _ in UInt8.random(in: 0...255, using: &random) })
        try change(directory) { $0.add(proxy: proxy, token: token, ttl: ttl, now: now) }
        return token
    }

    /// Checks an enrollment proof for `proxy` and marks its token used; returns the token
    /// (the reconciler keys the install MAC with it, `CSRProof.installMAC`).
    @discardableResult
    public static func redeem(directory: String, proxy: String, csrPEM: String, mac: String, now: Date = Date()) throws -> String {
        var token = ""
        try change(directory) { token = try $0.redeem(proxy: proxy, csrPEM: csrPEM, mac: mac, now: now) }
        return token
    }

    /// The token of `proxy` an enrollment proof was made with, if unused and unexpired; nothing is marked
    /// (`spend` does, once the certificate is installed: a failed install leaves the token usable).
    public static func check(directory: String, proxy: String, csrPEM: String, mac: String, now: Date = Date()) throws -> String {
        let list = try load(directory)
        return list.entries[try list.match(proxy: proxy, csrPEM: csrPEM, mac: mac, now: now).get()].token
    }

    /// Marks `token` used at `now`; throws when it was used meanwhile (another reconciler on the same CA).
    public static func spend(directory: String, token: String, now: Date = Date()) throws {
        try change(directory) { list in
            guard let index = list.entries.firstIndex(where: { $0.token == token }) else { throw EnrollmentRefusal.noToken("?") }
            if list.entries[index].used != nil { throw EnrollmentRefusal.used(list.entries[index].proxy) }
            list.entries[index].used = now
        }
    }

    /// The list as stored (empty when there is no file).
    public static func load(_ directory: String) throws -> EnrollmentList {
        let path = CAFiles.path(directory, file)
        guard CAFiles.exists(path) else { return EnrollmentList() }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(EnrollmentList.self, from: Data(try CAFiles.readKey(path).utf8))
        } catch let error as IdentityError {
            throw error
        } catch {
            throw IdentityError.caFile(path, "it cannot be decoded (\(error)); remove it and enroll the agents again")
        }
    }

    /// Loads, applies `body` and writes back (0600, atomically), holding the lock.
    static func change(_ directory: String, _ body: (inout EnrollmentList) throws -> Void) throws {
        let lockPath = CAFiles.path(directory, "enrollments.lock")
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw IdentityError.caFile(lockPath, "it cannot be opened (\(String(cString: strerror(errno))))") }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 && errno == EINTR {}
        defer { flock(fd, LOCK_UN) }
        var list = try load(directory)
        try body(&list)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        encoder.dateEncodingStrategy = .iso8601
        let text = String(decoding: try encoder.encode(list), as: UTF8.self) + "\n"
        try CAFiles.writeAtomically(text, to: CAFiles.path(directory, file), mode: 0o600)
    }
}
