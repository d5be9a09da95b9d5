/// One routing rule: what it matches and what it does with a match.
public struct Route: Sendable, Equatable {
    /// Where the rule was written: the VirtualService's file and the line of its `http` entry.
    public struct Source: Sendable, Equatable {
        public var file: String
        public var line: Int
        /// `namespace/name` of the VirtualService.
        public var virtualService: String

        public init(file: String, line: Int, virtualService: String) {
            self.file = file
            self.line = line
            self.virtualService = virtualService
        }
    }

    /// Envoy route name: the Istio route name when given, else `<vs namespace>/<vs name>/<index>`.
    public var name: String
    public var match: RouteMatch
    public var action: RouteAction
    /// Request timeout in milliseconds; 0 disables it (Istio's default).
    public var timeoutMs: Int
    public var retries: RetryPolicy?
    public var fault: FaultInjection?
    public var requestHeaders: HeaderOperations
    public var responseHeaders: HeaderOperations
    public var rewrite: Rewrite?
    /// Copies of the request sent to other clusters.
    public var mirrors: [RequestMirror] = []
    public var cors: CorsPolicy?
    /// What the consistent-hash load balancer of the target cluster hashes (empty: nothing).
    public var hashPolicies: [HashPolicy] = []
    public var source: Source

    public init(name: String, match: RouteMatch, action: RouteAction, timeoutMs: Int = 0, retries: RetryPolicy? = nil,
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
public enum StringMatcher: Sendable, Equatable {
    case exact(String)
    case prefix(String)
    case regex(String)
    /// The header or parameter is present, whatever its value (Istio: an empty StringMatch).
    case present
}

/// A path comparison.
public enum PathMatch: Sendable, Equatable {
    case prefix(String)
    case exact(String)
    case regex(String)
}

/// One header (or pseudo-header such as `:method`) condition.
public struct HeaderMatch: Sendable, Equatable {
    public var name: String
    public var matcher: StringMatcher
    /// True for `withoutHeaders`: the request must not match.
    public var inverted: Bool

    public init(name: String, matcher: StringMatcher, inverted: Bool = false) {
        self.name = name
        self.matcher = matcher
        self.inverted = inverted
    }
}

/// Request conditions; every one must hold.
public struct RouteMatch: Sendable, Equatable {
    public var path: PathMatch
    public var caseSensitive: Bool
    /// Header conditions, sorted by name (method, authority and scheme as pseudo-headers).
    public var headers: [HeaderMatch]
    /// Query parameter conditions, sorted by name.
    public var queryParameters: [(name: String, matcher: StringMatcher)]

    public init(path: PathMatch = .prefix("/"), caseSensitive: Bool = true, headers: [HeaderMatch] = [],
                queryParameters: [(name: String, matcher: StringMatcher)] = []) {
        self.path = path
        self.caseSensitive = caseSensitive
        self.headers = headers
        self.queryParameters = queryParameters
    }

    public static func == (a: RouteMatch, b: RouteMatch) -> Bool {
        a.path == b.path && a.caseSensitive == b.caseSensitive && a.headers == b.headers
            && a.queryParameters.elementsEqual(b.queryParameters) { $0.name == $1.name && $0.matcher == $1.matcher }
    }
}

/// What a matched request gets.
public enum RouteAction: Sendable, Equatable {
    /// Forward to one cluster.
    case cluster(String)
    /// Split between clusters by weight (the sum is above zero).
    case weighted([WeightedCluster])
    case redirect(Redirect)
    case directResponse(status: Int, body: String?)
}

/// One share of a weighted split.
public struct WeightedCluster: Sendable, Equatable {
    public var cluster: String
    public var weight: Int
    /// Header changes only requests sent to this cluster get.
    public var headers: DestinationHeaders

    public init(cluster: String, weight: Int, headers: DestinationHeaders = DestinationHeaders()) {
        self.cluster = cluster
        self.weight = weight
        self.headers = headers
    }
}

/// An HTTP redirect; nil fields keep the request's value.
public struct Redirect: Sendable, Equatable {
    public var path: String?
    public var host: String?
    public var port: Int?
    public var scheme: String?
    /// 301 unless written.
    public var status: Int

    public init(path: String? = nil, host: String? = nil, port: Int? = nil, scheme: String? = nil, status: Int = 301) {
        self.path = path
        self.host = host
        self.port = port
        self.scheme = scheme
        self.status = status
    }
}

/// Path and authority rewrites before forwarding.
public struct Rewrite: Sendable, Equatable {
    /// Replaces the matched path prefix (or the whole path for exact matches).
    public var pathPrefix: String?
    public var regex: (pattern: String, substitution: String)?
    public var authority: String?

    public init(pathPrefix: String? = nil, regex: (pattern: String, substitution: String)? = nil, authority: String? = nil) {
        self.pathPrefix = pathPrefix
        self.regex = regex
        self.authority = authority
    }

    public static func == (a: Rewrite, b: Rewrite) -> Bool {
        a.pathPrefix == b.pathPrefix && a.authority == b.authority
            && a.regex?.pattern == b.regex?.pattern && a.regex?.substitution == b.regex?.substitution
    }
}

/// Retries of a failed request.
public struct RetryPolicy: Sendable, Equatable {
    public var attempts: Int
    /// Envoy retry conditions (`connect-failure,refused-stream,…`).
    public var retryOn: String
    /// Status codes retried when `retryOn` includes `retriable-status-codes`, sorted.
    public var retriableStatusCodes: [Int]
    public var perTryTimeoutMs: Int?

    public init(attempts: Int, retryOn: String, retriableStatusCodes: [Int] = [], perTryTimeoutMs: Int? = nil) {
        self.attempts = attempts
        self.retryOn = retryOn
        self.retriableStatusCodes = retriableStatusCodes
        self.perTryTimeoutMs = perTryTimeoutMs
    }
}

/// Faults injected before the request is forwarded.
public struct FaultInjection: Sendable, Equatable {
    /// Fixed delay and the share of requests (percent, 0–100) it applies to.
    public var delay: (milliseconds: Int, percent: Double)?
    /// Abort status and the share of requests (percent) it applies to.
    public var abort: (status: Int, percent: Double)?

    public init(delay: (milliseconds: Int, percent: Double)? = nil, abort: (status: Int, percent: Double)? = nil) {
        self.delay = delay
        self.abort = abort
    }

    public static func == (a: FaultInjection, b: FaultInjection) -> Bool {
        a.delay?.milliseconds == b.delay?.milliseconds && a.delay?.percent == b.delay?.percent
            && a.abort?.status == b.abort?.status && a.abort?.percent == b.abort?.percent
    }
}

/// Header changes on a request or response; maps are sorted by name when emitted.
public struct HeaderOperations: Sendable, Equatable {
    /// Headers set, replacing existing values.
    public var set: [String: String]
    /// Headers appended to existing values.
    public var add: [String: String]
    public var remove: [String]

    public init(set: [String: String] = [:], add: [String: String] = [:], remove: [String] = []) {
        self.set = set
        self.add = add
        self.remove = remove
    }

    public var isEmpty: Bool { self.set.isEmpty && self.add.isEmpty && self.remove.isEmpty }
}
