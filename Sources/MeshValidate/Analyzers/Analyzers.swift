/// The analyzers, in the order they run. Order only affects
/// the order findings are produced in (output is sorted afterwards), so new
/// analyzers go where they read best. Nothing registers itself.
package enum Analyzers {
    /// Every analyzer: the local ones, then the cross-resource ones.
    package static let all: [any Analyzer] = local + crossResource

    /// The `LocalAnalyzer`s (findings about one resource from that resource
    /// alone): the linter runs them per file, where the parse cache keeps
    /// their findings. Listed apart, not found by casting: a cast searches
    /// the process's protocol conformances the first time, which a one-file
    /// lint (the pre-commit hook) pays for in full.
    package static let local: [any LocalAnalyzer] = [
        AnnotationAnalyzer(),
        DeprecationAnalyzer(),
        VirtualServiceRuleAnalyzer(),
    ]

    /// The analyzers that read more than one resource: what the linter runs
    /// over the index after its per-file phase.
    package static let crossResource: [any Analyzer] = [
        ReferencedResourceAnalyzer(),
        AlphaAnnotationAnalyzer(),
        NamespaceInjectionAnalyzer(),
        ImageAutoAnalyzer(),
        ApplicationUIDAnalyzer(),
        MeshGatewayHostsAnalyzer(),
        SidecarSelectorAnalyzer(),
        DestinationPortAnalyzer(),
        ServicePortProtocolAnalyzer(),
        PortNameAnalyzer(),
        WorkloadSelectorAnalyzer(),
        IneffectiveSelectorAnalyzer(),
        DestinationRuleTLSAnalyzer(),
        GatewayHostAnalyzer(),
        ServiceEntryAddressAnalyzer(),
        ServiceEntryProtocolAnalyzer(),
        GatewayCertificateAnalyzer(),
        GatewayCredentialAnalyzer(),
        JWTClaimRouteAnalyzer(),
        IngressSubsetAnalyzer(),
        ConflictingGatewaysAnalyzer(),
        GatewayPortAnalyzer(),
        SubsetSelectorAnalyzer(),
        DestinationRuleHostAnalyzer(),
        DuplicateResourceAnalyzer(),
        WorkloadLabelsAnalyzer(),
        StrictMTLSAnalyzer(),
        AuthorizationPolicyAnalyzer(),
        JwksFetchAnalyzer(),
        MergedRouteShadowAnalyzer(),
        TelemetryAnalyzer(),
    ]
}
