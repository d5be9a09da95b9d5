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
/// TCP and TLS rules get both as well, as istioctl's analyzeUnreachableTCPRules
/// and analyzeUnreachableTLSRules do: a match an earlier match of the same
/// kind covers (`L4MatchCoverage`; istioctl compares for equality) is
/// ineffective, and a rule all of whose matches are is unreachable.
struct VirtualServiceRuleAnalyzer: LocalAnalyzer {
    let codes = [Codes.virtualServiceUnreachableRule, Codes.virtualServiceIneffectiveMatch]

    func analyze(_ resource: Resource, _ sink: inout DiagnosticSink) {
        guard case .virtualService(let spec) = resource.body else { return }
        var earlier: [(rule: Int, match: Int, fields: MatchCoverage.Fields)] = []
        checkHTTP(spec.http, resource, &earlier, &sink)
        checkL4(spec.tls.map { ($0.mark, $0.match.isEmpty) }, field: "tls", resource, &sink)
        checkL4(spec.tcp.map { ($0.mark, $0.match.isEmpty) }, field: "tcp", resource, &sink)
        checkL4Matches(spec.tls.map { ($0.match, $0.mark) }, field: "tls", covers: L4MatchCoverage.covers, resource, &sink)
        checkL4Matches(spec.tcp.map { ($0.match, $0.mark) }, field: "tcp", covers: L4MatchCoverage.covers, resource, &sink)
    }

    /// `earlier` comes in empty and collects the matches as (rule, match)
    /// indices and their constrained fields; copying the requests would
    /// retain every field.
    private func checkHTTP(_ rules: [HTTPRoute], _ resource: Resource,
                           _ earlier: inout [(rule: Int, match: Int, fields: MatchCoverage.Fields)], _ sink: inout DiagnosticSink) {
        var matchesAll: Int?
        for (i, rule) in rules.enumerated() {
            if let all = matchesAll {
                unreachable(resource, rule.mark, "spec.http[\(i)]", Self.name(rule, i),
                            "rule \(Self.name(rules[all], all)) before it matches every request", &sink)
                continue
            }
            // This rule's matches go to the end of `earlier`; they are compared with the ones before `start`.
            let start = earlier.count
            for j in rule.match.indices { earlier.append((i, j, MatchCoverage.Fields(rule.match[j]))) }
            if rule.match.isEmpty || earlier[start...].contains(where: \.fields.isCatchAll) { matchesAll = i }
            guard !rule.match.isEmpty else { continue }
            var shadowed = 0
            for j in rule.match.indices {
                let own = earlier[start + j].fields
                // Most pairs are told apart by their fields alone; only the rest read the requests.
                guard let prior = earlier[..<start].first(where: {
                    MatchCoverage.Fields.mayCover($0.fields, own) && MatchCoverage.covers(rules[$0.rule].match[$0.match], rule.match[j])
                }) else { continue }
                let request = rule.match[j]
                shadowed += 1
                let priorName = Self.matchName(rules[prior.rule].match[prior.match], prior.match)
                sink.report(Codes.virtualServiceIneffectiveMatch, resource, at: request.mark, path: "spec.http[\(i)].match[\(j)]",
                            "match \(Self.matchName(request, j)) of rule \(Self.name(rule, i)) never applies: match \(priorName) of rule \(Self.name(rules[prior.rule], prior.rule)) takes every request it would",
                            hint: "Remove the match, or move the narrower rule before the broader one")
            }
            if shadowed == rule.match.count {
                unreachable(resource, rule.mark, "spec.http[\(i)]", Self.name(rule, i), "all its matches are taken by earlier rules", &sink)
            }
        }
    }

    /// TCP and TLS rules: only a rule without matches, when it is not the last, is checked.
    private func checkL4(_ rules: [(mark: Mark, matchesAll: Bool)], field: String, _ resource: Resource, _ sink: inout DiagnosticSink) {
        guard let first = rules.firstIndex(where: \.matchesAll) else { return }
        for i in rules.indices where i > first {
            unreachable(resource, rules[i].mark, "spec.\(field)[\(i)]", "#\(i)", "rule #\(first) before it has no match and takes every connection", &sink)
        }
    }

    /// Matches of TLS or TCP rules before the first rule without matches
    /// (the rules after it are unreachable already), against earlier ones.
    private func checkL4Matches<Match>(_ rules: [(matches: [Match], mark: Mark)], field: String, covers: (Match, Match) -> Bool,
                                       _ resource: Resource, _ sink: inout DiagnosticSink) where Match: L4Match {
        // A closure, not `\.matches.isEmpty`: a key path into a generic tuple is instantiated at run time, on every call.
        let end = rules.firstIndex { $0.matches.isEmpty } ?? rules.count
        for i in 0..<end {
            var shadowed = 0
            for (j, match) in rules[i].matches.enumerated() {
                var found: (rule: Int, match: Int)?
                for r in 0..<i where found == nil {
                    if let m = rules[r].matches.firstIndex(where: { covers($0, match) }) { found = (r, m) }
                }
                guard let prior = found else { continue }
                shadowed += 1
                sink.report(Codes.virtualServiceIneffectiveMatch, resource, at: match.mark, path: "spec.\(field)[\(i)].match[\(j)]",
                            "match #\(j) of rule #\(i) never applies: match #\(prior.1) of rule #\(prior.0) takes every connection it would",
                            hint: "Remove the match, or move the narrower rule before the broader one")
            }
            if shadowed == rules[i].matches.count {
                unreachable(resource, rules[i].mark, "spec.\(field)[\(i)]", "#\(i)", "all its matches are taken by earlier rules", &sink)
            }
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
