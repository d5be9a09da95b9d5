/// The public CAs a proxy's host trusts (Debian's ca-certificates): what a
/// server is verified against when the config names no CA of its own, as
/// Istio's proxies fall back to their operating system's roots. The agent
/// lets a snapshot name this file (`SnapshotPolicy.publicFiles`).
enum SystemTrustStore {
    static let path = "/etc/ssl/certs/ca-certificates.crt"
}
