import MeshModel

/// What one http rule sends traffic to, as resolve-destinations found it.
struct RuleTargets {
    /// The route destinations that resolved, in the order written: cluster, weight, per-destination header changes.
    var shares: [(key: ClusterKey, weight: Int, headers: Headers?)] = []
    /// Clusters that get a copy of the requests, with the percent copied (above 0).
    var mirrors: [(key: ClusterKey, percent: Double)] = []

    /// Every cluster the rule uses, shares then mirrors (mirrors count as used clusters of weight 0: built, never a share).
    var keys: [ClusterKey] { shares.map(\.key) + mirrors.map(\.key) }
}
