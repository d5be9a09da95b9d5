/// YAML 1.1 merge keys (`<<: *defaults`), which Kubernetes' reader honours:
/// keys written in the mapping win over merged ones, earlier merges win over later.
enum MergeKeys {
    static func apply(_ pairs: [YAMLPair]) -> [YAMLPair] {
        var own: [YAMLPair] = []
        var merged: [YAMLPair] = []
        for pair in pairs {
            guard pair.key.scalar == "<<", pair.key.isPlainScalar else {
                own.append(pair)
                continue
            }
            switch pair.value.content {
            case .mapping(let sources): merged.append(contentsOf: sources)
            case .sequence(let items): for item in items { merged.append(contentsOf: item.pairs ?? []) }
            case .scalar: own.append(pair) // not a merge; schema validation reports it
            }
        }
        var seen = Set(own.compactMap { $0.key.scalar })
        var result = own
        for pair in merged {
            guard let key = pair.key.scalar, !seen.contains(key) else { continue }
            seen.insert(key)
            result.append(pair)
        }
        return result
    }
}
