import MeshDiagnostics
import MeshModel

/// IST0130 VirtualServiceUnreachableRule and IST0131 VirtualServiceIneffectiveMatch,
/// after istioctl's unreachable-rule analysis of one VirtualService:
///
/// - a rule after one that matches every request (no `match`, or a match that
///   constrains nothing) is unreachable (IST0130);
/// - an HTTP match that an earlier rule's match covers is ineffective (IST0131,
///   see MatchCoverage), and a rule all of whose matches are is unreachable (IST0130).
///
/// TCP and TLS rules get the first check only.
struct VirtualServiceRuleAnalyzer: Analyzer {
    let codes = [Codes.virtualServiceUnreachableRule, Codes.virtualServiceIneffectiveMatch]

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        for vs in mesh.virtualServices {
            let resource = vs.resource, spec = vs.spec
            checkHTTP(spec.http, resource, &sink)
            checkL4(spec.tls.map { ($0.mark, $0.match.isEmpty) }, field: "tls", resource, &sink)
            checkL4(spec.tcp.map { ($0.mark, $0.match.isEmpty) }, field: "tcp", resource, &sink)
        }
    }

    private func checkHTTP(_ rules: [HTTPRoute], _ resource: Resource, _ sink: inout DiagnosticSink) {
        var matchesAll: Int?
        // Earlier matches as (rule, match) indices; copying the requests would retain every field.
        var earlier: [(rule: Int, match: Int)] = []
        for (i, rule) in rules.enumerated() {
            if let all = matchesAll {
                unreachable(resource, rule.mark, "spec.http[\(i)]", Self.name(rule, i),
                            "rule \(Self.name(rules[all], all)) before it matches every request", &sink)
                continue
            }
            if rule.match.isEmpty || rule.match.contains(where: \.isCatchAll) { matchesAll = i }
            guard !rule.match.isEmpty else { continue }
            var shadowed = 0
            for (j, request) in rule.match.enumerated() {
                guard let prior = earlier.first(where: { MatchCoverage.covers(rules[$0.rule].match[$0.match], request) }) else { continue }
                shadowed += 1
                let priorName = Self.matchName(rules[prior.rule].match[prior.match], prior.match)
                sink.report(Codes.virtualServiceIneffectiveMatch, resource, at: request.mark, path: "spec.http[\(i)].match[\(j)]",
                            "match \(Self.matchName(request, j)) of rule \(Self.name(rule, i)) never applies: match \(priorName) of rule \(Self.name(rules[prior.rule], prior.rule)) takes every request it would",
                            hint: "Remove the match, or move the narrower rule before the broader one")
            }
            if shadowed == rule.match.count {
                unreachable(resource, rule.mark, "spec.http[\(i)]", Self.name(rule, i), "all its matches are taken by earlier rules", &sink)
            }
            for j in rule.match.indices { earlier.append((i, j)) }
        }
    }

    /// TCP and TLS rules: only a rule without matches, when it is not the last, is checked.
    private func checkL4(_ rules: [(mark: Mark, matchesAll: Bool)], field: String, _ resource: Resource, _ sink: inout DiagnosticSink) {
        guard let first = rules.firstIndex(where: \.matchesAll) else { return }
        for i in rules.indices where i > first {
            unreachable(resource, rules[i].mark, "spec.\(field)[\(i)]", "#\(i)", "rule #\(first) before it has no match and takes every connection", &sink)
        }
    }

    private func unreachable(_ resource: Resource, _ mark: Mark, _ path: @autoclosure () -> String, _ rule: String, _ reason: String,
                             _ sink: inout DiagnosticSink) {
        sink.report(Codes.virtualServiceUnreachableRule, resource, at: mark, path: path(),
                    "rule \(rule) is never used: \(reason)",
                    hint: "Move the rule before the broader one, narrow the earlier rule's match, or remove this rule")
    }

    /// Istio's rule naming: `"name"` when named, `#index` otherwise.
    private static func name(_ rule: HTTPRoute, _ index: Int) -> String {
        rule.name.map { "\"\($0.value)\"" } ?? "#\(index)"
    }

    private static func matchName(_ request: HTTPMatchRequest, _ index: Int) -> String {
        request.name.map { "\"\($0.value)\"" } ?? "#\(index)"
    }
}
