/// The cross-resource analyzers, in the order they run. Order only affects
/// the order findings are produced in (output is sorted afterwards), so new
/// analyzers go where they read best. Nothing registers itself.
package enum Analyzers {
    package static let all: [any Analyzer] = [
        ReferencedResourceAnalyzer(),
        AnnotationAnalyzer(),
        AlphaAnnotationAnalyzer(),
        DeprecationAnalyzer(),
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
        VirtualServiceRuleAnalyzer(),
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

    /// The analyzers that read more than one resource (`LocalAnalyzer`s are
    /// the rest): what the linter runs over the index after its per-file phase.
    package static let crossResource: [any Analyzer] = all.filter { !($0 is any LocalAnalyzer) }

    /// The `LocalAnalyzer`s, in list order.
    package static let local: [any LocalAnalyzer] = all.compactMap { $0 as? any LocalAnalyzer }
}
