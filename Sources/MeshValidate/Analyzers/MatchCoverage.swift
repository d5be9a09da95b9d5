import MeshModel

/// "Does match A take every request match B would?" for HTTP route matches.
/// A field A leaves out constrains nothing; a field A sets must be at least as
/// strict in B. Regexes are only compared for equality. This generalises
/// istioctl's duplicate and prefix-overlap checks (which compare exact JSON,
/// or prefix URIs with equal other fields).
enum MatchCoverage {
    /// Which fields of a match are set, one bit each, to reject pairs before
    /// reading — and retaining — their strings: `a` covers `b` only when `b`
    /// sets every field `a` constrains (`covers` is false otherwise).
    struct Fields {
        /// Fields that constrain the request when this match is the covering one.
        var required: UInt16 = 0
        /// Fields that are set at all, when this match is the covered one. A
        /// `uri` differs: a match-all prefix constrains nothing, yet a
        /// kind-less `uri` covers it.
        var present: UInt16 = 0
        /// `HTTPMatchRequest.isCatchAll`: nothing constrained, and no `sourceLabels` at all.
        var isCatchAll: Bool

        init(_ match: HTTPMatchRequest) {
            var bits: UInt16 = 0
            if match.scheme != nil { bits |= 1 << 1 }
            if match.method != nil { bits |= 1 << 2 }
            if match.authority != nil { bits |= 1 << 3 }
            if match.port != nil { bits |= 1 << 4 }
            if match.sourceNamespace != nil { bits |= 1 << 5 }
            if match.sourceLabels?.isEmpty == false { bits |= 1 << 6 }
            if !match.gateways.isEmpty { bits |= 1 << 7 }
            if !match.headers.isEmpty { bits |= 1 << 8 }
            if !match.queryParams.isEmpty { bits |= 1 << 9 }
            if !match.withoutHeaders.isEmpty { bits |= 1 << 10 }
            required = bits
            present = bits
            if match.uri != nil {
                present |= 1
                if match.uri?.isMatchAllPrefix == false { required |= 1 }
            }
            isCatchAll = required == 0 && match.sourceLabels == nil
        }

        /// False when `covers(a, b)` is false for certain.
        static func mayCover(_ a: Fields, _ b: Fields) -> Bool { a.required & ~b.present == 0 }
    }

    /// True when `a` matches every request `b` matches.
    static func covers(_ a: HTTPMatchRequest, _ b: HTTPMatchRequest) -> Bool {
        uriCovers(a, b)
            && covers(a.scheme, b.scheme) && covers(a.method, b.method) && covers(a.authority, b.authority)
            && (a.port == nil || a.port?.value == b.port?.value)
            && (a.sourceNamespace == nil || a.sourceNamespace?.value == b.sourceNamespace?.value)
            && (a.sourceLabels.map { $0.selects(b.sourceLabels ?? StringMap()) } ?? true)
            && gatewaysCover(a.gateways, b.gateways)
            && entriesCover(a.headers, b.headers, caseInsensitiveKeys: true)
            && entriesCover(a.queryParams, b.queryParams, caseInsensitiveKeys: false)
            && a.withoutHeaders.allSatisfy { absent in
                // B requires the header not to match Y; that implies "not X" when Y takes every value X takes.
                b.withoutHeaders.contains { sameKey($0.key.value, absent.key.value, true) && covers($0.value, absent.value) }
            }
    }

    /// True when `a` (nil: no constraint; no kind: present with any value) matches every string `b` matches.
    static func covers(_ a: StringMatch?, _ b: StringMatch?, ignoreCase: Bool = false) -> Bool {
        guard let a else { return true }
        guard let b else { return false }
        guard let aKind = a.kind, let aValue = a.value?.value else { return true }
        guard let bKind = b.kind, let bValue = b.value?.value else { return false }
        let left = ignoreCase ? aValue.lowercased() : aValue
        let right = ignoreCase ? bValue.lowercased() : bValue
        if aKind == bKind && left == right { return true }
        return aKind == .prefix && bKind != .regex && right.hasPrefix(left)
    }

    private static func uriCovers(_ a: HTTPMatchRequest, _ b: HTTPMatchRequest) -> Bool {
        guard let uri = a.uri, !uri.isMatchAllPrefix else { return true }
        let aIgnores = a.ignoreUriCase?.value == true
        let bIgnores = b.ignoreUriCase?.value == true
        if bIgnores && !aIgnores { return false }
        return covers(uri, b.uri, ignoreCase: aIgnores)
    }

    /// A match limited to some gateways covers one limited to a subset of them.
    private static func gatewaysCover(_ a: [Located<String>], _ b: [Located<String>]) -> Bool {
        if a.isEmpty { return true }
        if b.isEmpty { return false }
        let allowed = Set(a.map(\.value))
        return b.allSatisfy { allowed.contains($0.value) }
    }

    private static func entriesCover(_ a: [(key: Located<String>, value: StringMatch)],
                                     _ b: [(key: Located<String>, value: StringMatch)], caseInsensitiveKeys: Bool) -> Bool {
        a.allSatisfy { wanted in
            b.contains { sameKey($0.key.value, wanted.key.value, caseInsensitiveKeys) && covers(wanted.value, $0.value) }
        }
    }

    private static func sameKey(_ a: String, _ b: String, _ caseInsensitive: Bool) -> Bool {
        caseInsensitive ? a.lowercased() == b.lowercased() : a == b
    }
}
