/// The value checks Istio's sidecar injector makes on its annotations
/// (`pkg/kube/inject/validate.go`, `AnnotationValidation`), which istioctl's
/// annotation analyzer reuses for IST0125. The injector fails a pod's
/// injection when one of them fails.
///
/// Not checked: `proxy.istio.io/config`, which Istio validates as a whole
/// ProxyConfig.
enum AnnotationValues {
    /// What is wrong with a value, and what to write instead.
    struct Problem: Equatable {
        var message: String
        var hint: String
    }

    /// The problem with `value` for annotation `key`; nil when it is valid or Istio does not check it.
    static func problem(_ key: String, _ value: String) -> Problem? {
        switch key {
        case "sidecar.istio.io/interceptionMode":
            guard !["REDIRECT", "TPROXY", "NONE"].contains(value) else { return nil }
            return Problem(message: "\"\(value)\" is not an interception mode", hint: "use REDIRECT (the default), TPROXY or NONE, in capitals")
        case "status.sidecar.istio.io/port":
            guard port(value) == nil else { return nil }
            return Problem(message: "\"\(value)\" is not a port number", hint: "write one port number from 0 to 65535, e.g. \"15020\"")
        case "readiness.status.sidecar.istio.io/initialDelaySeconds", "readiness.status.sidecar.istio.io/periodSeconds",
             "readiness.status.sidecar.istio.io/failureThreshold":
            guard !isUInt32(value) else { return nil }
            return Problem(message: "\"\(value)\" is not a whole number",
                           hint: "write a number without sign or unit, e.g. \"10\" rather than \"10s\"")
        case "traffic.sidecar.istio.io/includeOutboundIPRanges":
            return value == "*" ? nil : cidrListProblem(value, star: true)
        case "traffic.sidecar.istio.io/excludeOutboundIPRanges":
            return cidrListProblem(value, star: false)
        case "traffic.sidecar.istio.io/includeInboundPorts":
            return value == "*" ? nil : portListProblem(value, star: true)
        case "traffic.sidecar.istio.io/excludeInboundPorts", "traffic.sidecar.istio.io/excludeOutboundPorts":
            return portListProblem(value, star: false)
        case "prometheus.istio.io/merge-metrics":
            guard !goBools.contains(value) else { return nil }
            return Problem(message: "\"\(value)\" is not a boolean", hint: "write \"true\" or \"false\"")
        default:
            return nil
        }
    }

    /// The spellings Go's `strconv.ParseBool` accepts.
    private static let goBools: Set<String> = ["1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False"]

    /// Go's `strconv.ParseUint(value, 10, 32)` succeeds.
    private static func isUInt32(_ value: String) -> Bool {
        guard !value.isEmpty, value.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let number = UInt64(value) else { return false }
        return number <= UInt64(UInt32.max)
    }

    /// Istio's `parsePort`: surrounding spaces trimmed, then a decimal from 0 to 65535.
    private static func port(_ text: Substring) -> Int? {
        let trimmed = text.trimmingSpaces
        guard !trimmed.isEmpty, trimmed.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let number = Int(trimmed), number <= 65535 else { return nil }
        return number
    }

    private static func port(_ text: String) -> Int? { port(Substring(text)) }

    /// Istio's `parsePorts`: comma-separated ports; blank is an empty list.
    private static func portListProblem(_ value: String, star: Bool) -> Problem? {
        let trimmed = Substring(value).trimmingSpaces
        guard !trimmed.isEmpty else { return nil }
        for item in trimmed.split(separator: ",", omittingEmptySubsequences: false) where port(item) == nil {
            return Problem(message: "\"\(item)\" in \"\(value)\" is not a port number",
                           hint: "write port numbers separated by commas, e.g. \"8080,9090\"" + (star ? ", or \"*\" for every port" : ""))
        }
        return nil
    }

    /// Istio's `validateCIDRList`: comma-separated CIDR blocks (Go's
    /// `netip.ParsePrefix`, spaces not allowed); blank is an empty list.
    private static func cidrListProblem(_ value: String, star: Bool) -> Problem? {
        guard !value.isEmpty else { return nil }
        for item in value.split(separator: ",", omittingEmptySubsequences: false) where !isPrefix(item) {
            return Problem(message: "\"\(item)\" in \"\(value)\" is not a CIDR block",
                           hint: "write CIDR blocks separated by commas, without spaces, e.g. \"10.0.0.0/8,172.16.0.0/12\""
                               + (star ? ", or \"*\" for all traffic" : ""))
        }
        return nil
    }

    /// Go's `netip.ParsePrefix`: an address without zone, `/`, and a prefix
    /// length in range written without leading zeros.
    private static func isPrefix(_ text: Substring) -> Bool {
        guard let slash = text.lastIndex(of: "/") else { return false }
        let address = String(text[..<slash])
        let bits = text[text.index(after: slash)...]
        guard !address.contains("%"), Names.isIPAddress(address), !bits.isEmpty,
              bits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), bits.count == 1 || bits.first != "0",
              let length = Int(bits) else { return false }
        return length <= (address.contains(":") ? 128 : 32)
    }
}

extension Substring {
    /// Without leading and trailing whitespace (Go's `strings.TrimSpace`).
    fileprivate var trimmingSpaces: Substring {
        var text = self
        while let first = text.first, first.isWhitespace { text = text.dropFirst() }
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        return text
    }
}
