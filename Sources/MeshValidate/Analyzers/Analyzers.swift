/// The cross-resource analyzers, in the order they run. Order only affects
/// the order findings are produced in (output is sorted afterwards), so new
/// analyzers go where they read best. Nothing registers itself.
package enum Analyzers {
    package static let all: [any Analyzer] = [
        ReferencedResourceAnalyzer(),
        AnnotationAnalyzer(),
        AlphaAnnotationAnalyzer(),
        NamespaceInjectionAnalyzer(),
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
        GatewayCertificateAnalyzer(),
        IngressSubsetAnalyzer(),
        ConflictingGatewaysAnalyzer(),
        GatewayPortAnalyzer(),
        SubsetSelectorAnalyzer(),
        DestinationRuleHostAnalyzer(),
        DuplicateResourceAnalyzer(),
        WorkloadLabelsAnalyzer(),
        StrictMTLSAnalyzer(),
        AuthorizationPolicyAnalyzer(),
        MergedRouteShadowAnalyzer(),
    ]
}
