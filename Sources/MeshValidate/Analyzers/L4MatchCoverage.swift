import MeshDiagnostics
import MeshModel

/// A TLS or TCP route match, for IST0130/IST0131.
protocol L4Match {
    var mark: Mark { get }
}

extension TLSMatchAttributes: L4Match {}
extension L4MatchAttributes: L4Match {}

/// When an earlier TLS or TCP match takes every connection a later one would:
/// each attribute the earlier match sets is set to something it covers in the
/// later one (SNI hosts by wildcard, lists as subsets, labels as a subset of
/// the later match's, single values equal). istioctl flags exact duplicates
/// only; every duplicate is also covered.
enum L4MatchCoverage {
    static func covers(_ a: TLSMatchAttributes, _ b: TLSMatchAttributes) -> Bool {
        guard hostsCover(a.sniHosts, b.sniHosts), listCovers(a.destinationSubnets, b.destinationSubnets),
              listCovers(a.gateways, b.gateways) else { return false }
        return valueCovers(a.port, b.port) && valueCovers(a.sourceNamespace, b.sourceNamespace) && labelsCover(a.sourceLabels, b.sourceLabels)
    }

    static func covers(_ a: L4MatchAttributes, _ b: L4MatchAttributes) -> Bool {
        guard listCovers(a.destinationSubnets, b.destinationSubnets), listCovers(a.gateways, b.gateways) else { return false }
        return valueCovers(a.port, b.port) && valueCovers(a.sourceSubnet, b.sourceSubnet)
            && valueCovers(a.sourceNamespace, b.sourceNamespace) && labelsCover(a.sourceLabels, b.sourceLabels)
    }

    /// Unset in `a`, or set to the same value in `b`.
    private static func valueCovers<T: Equatable>(_ a: Located<T>?, _ b: Located<T>?) -> Bool {
        guard let a else { return true }
        return a.value == b?.value
    }

    /// Empty in `a` (any), or `b` lists only values `a` lists.
    private static func listCovers(_ a: [Located<String>], _ b: [Located<String>]) -> Bool {
        guard !a.isEmpty else { return true }
        let values = Set(a.map(\.value))
        return !b.isEmpty && b.allSatisfy { values.contains($0.value) }
    }

    /// Empty in `a` (any SNI), or each SNI host of `b` is covered by one of `a`'s.
    private static func hostsCover(_ a: [Located<String>], _ b: [Located<String>]) -> Bool {
        guard !a.isEmpty else { return true }
        return !b.isEmpty && b.allSatisfy { host in a.contains { Hosts.covers($0.value, host.value) } }
    }

    /// Every label `a` requires is required with the same value by `b`.
    private static func labelsCover(_ a: StringMap?, _ b: StringMap?) -> Bool {
        guard let a, !a.isEmpty else { return true }
        guard let b else { return false }
        return a.selects(b)
    }
}
