import MeshDiagnostics
import MeshYAML

/// Runs user policies over the raw documents of one file, so a policy can
/// name any field, including ones meshc's model does not read.
package enum PolicyEngine {
    package static func evaluate(_ policies: [UserPolicy], on file: YAMLFile) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for document in file.documents {
            let root = document.root
            guard let kind = root["kind"]?.scalar else { continue }
            let metadata = root["metadata"]
            let ref = ResourceRef(kind: kind, namespace: metadata?["namespace"]?.scalar ?? "default",
                                  name: metadata?["name"]?.scalar ?? "")
            for policy in policies where policy.kinds.isEmpty || policy.kinds.contains(kind) {
                for finding in findings(policy, root) {
                    diagnostics.append(Diagnostic(policy.code, "\(finding.path): \(policy.message)\(finding.detail)",
                                                  hint: policy.hint, file: file.path, mark: finding.mark,
                                                  path: finding.path, resource: ref))
                }
            }
        }
        return diagnostics
    }

    struct Finding {
        var path: String
        var mark: Mark
        var detail: String
    }

    static func findings(_ policy: UserPolicy, _ root: YAMLNode) -> [Finding] {
        var result: [Finding] = []
        let walk = PathWalk.resolve(policy.field.segments, from: root)
        switch policy.rule {
        case .required:
            for missing in walk.missing { result.append(Finding(path: missing.path, mark: missing.mark, detail: " (missing)")) }
        case .forbidden:
            for found in walk.found { result.append(Finding(path: found.path, mark: found.node.mark, detail: "")) }
        case .pattern(let pattern):
            for found in walk.found {
                guard let text = found.node.scalar else { continue }
                if !pattern.matches(text) {
                    result.append(Finding(path: found.path, mark: found.node.mark, detail: " (\"\(text)\" does not match \(pattern.source))"))
                }
            }
        case .oneOf(let allowed):
            for found in walk.found {
                guard let text = found.node.scalar else { continue }
                if !allowed.contains(text) {
                    result.append(Finding(path: found.path, mark: found.node.mark,
                                          detail: " (\"\(text)\" is not one of \(allowed.joined(separator: ", ")))"))
                }
            }
        }
        return result
    }
}

/// Follows a policy path through a node tree: the nodes it reaches, and the
/// places where a named field is absent (a missing list behind `[*]` is
/// simply no items).
enum PathWalk {
    struct Found { var node: YAMLNode; var path: String }
    struct Missing { var mark: Mark; var path: String }

    static func resolve(_ segments: [PolicyPath.Segment], from root: YAMLNode) -> (found: [Found], missing: [Missing]) {
        var frontier = [Found(node: root, path: "")]
        var missing: [Missing] = []
        for (position, segment) in segments.enumerated() {
            var next: [Found] = []
            let nextIsEvery = position + 1 < segments.count && segments[position + 1] == .every
            for current in frontier {
                switch segment {
                case .key(let key):
                    let path = current.path.isEmpty ? key : "\(current.path).\(key)"
                    if let child = current.node[key], !child.isNull { next.append(Found(node: child, path: path)) }
                    else if !nextIsEvery { missing.append(Missing(mark: current.node.mark, path: path)) }
                case .index(let index):
                    if let items = current.node.items, index < items.count {
                        next.append(Found(node: items[index], path: "\(current.path)[\(index)]"))
                    }
                case .every:
                    for (index, item) in (current.node.items ?? []).enumerated() {
                        next.append(Found(node: item, path: "\(current.path)[\(index)]"))
                    }
                }
            }
            frontier = next
        }
        return (frontier, missing)
    }
}
