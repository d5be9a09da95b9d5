/// One routing rule: what it matches and what it does with a match.
package struct Route: Sendable, Hashable {
    /// Where the rule was written: the VirtualService's file and the line of its `http` entry.
    package struct Source: Sendable, Hashable {
        package var file: String
        package var line: Int
        /// `namespace/name` of the VirtualService.
        package var virtualService: String

        package init(file: String, line: Int, virtualService: String) {
            self.file = file
            self.line = line
            self.virtualService = virtualService
        }
    }

    /// Envoy route name: the Istio route name when given, else `<vs namespace>/<vs name>/<index>`.
    package var name: String
    package var match: RouteMatch
    package var action: RouteAction
    /// Request timeout in milliseconds; 0 disables it (Istio's default).
    package var timeoutMs: Int
    package var retries: RetryPolicy?
    package var fault: FaultInjection?
    package var requestHeaders: HeaderOperations
    package var responseHeaders: HeaderOperations
    package var rewrite: Rewrite?
    /// Copies of the request sent to other clusters.
    package var mirrors: [RequestMirror] = []
    package var cors: CorsPolicy?
    /// What the consistent-hash load balancer of the target cluster hashes (empty: nothing).
    package var hashPolicies: [HashPolicy] = []
    package var source: Source

    package init(name: String, match: RouteMatch, action: RouteAction, timeoutMs: Int = 0, retries: RetryPolicy? = nil,
                fault: FaultInjection? = nil, requestHeaders: HeaderOperations = HeaderOperations(),
                responseHeaders: HeaderOperations = HeaderOperations(), rewrite: Rewrite? = nil, source: Source) {
        self.name = name
        self.match = match
        self.action = action
        self.timeoutMs = timeoutMs
        self.retries = retries
        self.fault = fault
        self.requestHeaders = requestHeaders
        self.responseHeaders = responseHeaders
        self.rewrite = rewrite
        self.source = source
    }
}

/// A string comparison (Istio's StringMatch).
package enum StringMatcher: Sendable, Hashable {
    case exact(String)
    case prefix(String)
    case regex(String)
    /// The header or parameter is present, whatever its value (Istio: an empty StringMatch).
    case present
}

/// A path comparison.
package enum PathMatch: Sendable, Hashable {
    case prefix(String)
    case exact(String)
    case regex(String)
}

/// One header (or pseudo-header such as `:method`) condition.
package struct HeaderMatch: Sendable, Hashable {
    package var name: String
    package var matcher: StringMatcher
    /// True for `withoutHeaders`: the request must not match.
    package var inverted: Bool

    package init(name: String, matcher: StringMatcher, inverted: Bool = false) {
        self.name = name
        self.matcher = matcher
        self.inverted = inverted
    }
}

/// Request conditions; every one must hold.
package struct RouteMatch: Sendable, Hashable {
    package var path: PathMatch
    package var caseSensitive: Bool
    /// Header conditions, sorted by name (method, authority and scheme as pseudo-headers).
    package var headers: [HeaderMatch]
    /// Query parameter conditions, sorted by name.
    package var queryParameters: [(name: String, matcher: StringMatcher)]

    package init(path: PathMatch = .prefix("/"), caseSensitive: Bool = true, headers: [HeaderMatch] = [],
                queryParameters: [(name: String, matcher: StringMatcher)] = []) {
        self.path = path
        self.caseSensitive = caseSensitive
        self.headers = headers
        self.queryParameters = queryParameters
    }

    package static func == (a: RouteMatch, b: RouteMatch) -> Bool {
        a.path == b.path && a.caseSensitive == b.caseSensitive && a.headers == b.headers
            && a.queryParameters.elementsEqual(b.queryParameters) { $0.name == $1.name && $0.matcher == $1.matcher }
    }

    /// The fields `==` compares (tuples have no synthesized `Hashable`).
    package func hash(into hasher: inout Hasher) {
        hasher.combine(path)
        hasher.combine(caseSensitive)
        hasher.combine(headers)
        for parameter in queryParameters { hasher.combine(parameter.name); hasher.combine(parameter.matcher) }
    }
}

/// What a matched request gets.
package enum RouteAction: Sendable, Hashable {
    /// Forward to one cluster.
    case cluster(String)
    /// Split between clusters by weight (the sum is above zero).
    case weighted([WeightedCluster])
    case redirect(Redirect)
    case directResponse(status: Int, body: String?)
}

/// One share of a weighted split.
package struct WeightedCluster: Sendable, Hashable {
    package var cluster: String
    package var weight: Int
    /// Header changes only requests sent to this cluster get.
    package var headers: DestinationHeaders

    package init(cluster: String, weight: Int, headers: DestinationHeaders = DestinationHeaders()) {
        self.cluster = cluster
        self.weight = weight
        self.headers = headers
    }
}

/// An HTTP redirect; nil fields keep the request's value.
package struct Redirect: Sendable, Hashable {
    package var path: String?
    package var host: String?
    package var port: Int?
    package var scheme: String?
    /// 301 unless written.
    package var status: Int

    package init(path: String? = nil, host: String? = nil, port: Int? = nil, scheme: String? = nil, status: Int = 301) {
        self.path = path
        self.host = host
        self.port = port
        self.scheme = scheme
        self.status = status
    }
}

/// Path and authority rewrites before forwarding.
package struct Rewrite: Sendable, Hashable {
    /// Replaces the matched path prefix (or the whole path for exact matches).
    package var pathPrefix: String?
    package var regex: (pattern: String, substitution: String)?
    package var authority: String?

    package init(pathPrefix: String? = nil, regex: (pattern: String, substitution: String)? = nil, authority: String? = nil) {
        self.pathPrefix = pathPrefix
        self.regex = regex
        self.authority = authority
    }

    package static func == (a: Rewrite, b: Rewrite) -> Bool {
        a.pathPrefix == b.pathPrefix && a.authority == b.authority
            && a.regex?.pattern == b.regex?.pattern && a.regex?.substitution == b.regex?.substitution
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(pathPrefix)
        hasher.combine(authority)
        hasher.combine(regex?.pattern)
        hasher.combine(regex?.substitution)
    }
}

/// Retries of a failed request.
package struct RetryPolicy: Sendable, Hashable {
    package var attempts: Int
    /// Envoy retry conditions (`connect-failure,refused-stream,…`).
    package var retryOn: String
    /// Status codes retried when `retryOn` includes `retriable-status-codes`, sorted.
    package var retriableStatusCodes: [Int]
    package var perTryTimeoutMs: Int?

    package init(attempts: Int, retryOn: String, retriableStatusCodes: [Int] = [], perTryTimeoutMs: Int? = nil) {
        self.attempts = attempts
        self.retryOn = retryOn
        self.retriableStatusCodes = retriableStatusCodes
        self.perTryTimeoutMs = perTryTimeoutMs
    }
}

/// Faults injected before the request is forwarded.
package struct FaultInjection: Sendable, Hashable {
    /// Fixed delay and the share of requests (percent, 0–100) it applies to.
    package var delay: (milliseconds: Int, percent: Double)?
    /// Abort status and the share of requests (percent) it applies to.
    package var abort: (status: Int, percent: Double)?

    package init(delay: (milliseconds: Int, percent: Double)? = nil, abort: (status: Int, percent: Double)? = nil) {
        self.delay = delay
        self.abort = abort
    }

    package static func == (a: FaultInjection, b: FaultInjection) -> Bool {
        a.delay?.milliseconds == b.delay?.milliseconds && a.delay?.percent == b.delay?.percent
            && a.abort?.status == b.abort?.status && a.abort?.percent == b.abort?.percent
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(delay?.milliseconds)
        hasher.combine(delay?.percent)
        hasher.combine(abort?.status)
        hasher.combine(abort?.percent)
    }
}

/// Header changes on a request or response; maps are sorted by name when emitted.
package struct HeaderOperations: Sendable, Hashable {
    /// Headers set, replacing existing values.
    package var set: [String: String]
    /// Headers appended to existing values.
    package var add: [String: String]
    package var remove: [String]

    package init(set: [String: String] = [:], add: [String: String] = [:], remove: [String] = []) {
        self.set = set
        self.add = add
        self.remove = remove
    }

    package var isEmpty: Bool { self.set.isEmpty && self.add.isEmpty && self.remove.isEmpty }
}
