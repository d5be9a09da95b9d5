/// Every code meshc reports. Istio's codes, names and default levels where
/// istioctl analyze makes the same check; meshc's own use the MSH prefix.
///
/// `policies/` holds one folder per code here; a test keeps the two in step.
/// User policies (`kind: Policy`) bring codes of their own.
public enum Codes {
    // MARK: istioctl analyze
    public static let referencedResourceNotFound = DiagnosticCode("IST0101", "ReferencedResourceNotFound", .error)
    public static let schemaValidationError = DiagnosticCode("IST0106", "SchemaValidationError", .error)
    public static let unknownAnnotation = DiagnosticCode("IST0108", "UnknownAnnotation", .warning)
    public static let conflictingMeshGatewayVirtualServiceHosts = DiagnosticCode("IST0109", "ConflictingMeshGatewayVirtualServiceHosts", .error)
    public static let conflictingSidecarWorkloadSelectors = DiagnosticCode("IST0110", "ConflictingSidecarWorkloadSelectors", .error)
    public static let multipleSidecarsWithoutWorkloadSelectors = DiagnosticCode("IST0111", "MultipleSidecarsWithoutWorkloadSelectors", .error)
    public static let virtualServiceDestinationPortSelectorRequired = DiagnosticCode("IST0112", "VirtualServiceDestinationPortSelectorRequired", .error)
    public static let deploymentAssociatedToMultipleServices = DiagnosticCode("IST0116", "DeploymentAssociatedToMultipleServices", .warning)
    public static let portNameIsNotUnderNamingConvention = DiagnosticCode("IST0118", "PortNameIsNotUnderNamingConvention", .info)
    public static let noMatchingWorkloadsFound = DiagnosticCode("IST0127", "NoMatchingWorkloadsFound", .warning)
    public static let noServerCertificateVerificationDestinationLevel = DiagnosticCode("IST0128", "NoServerCertificateVerificationDestinationLevel", .warning)
    public static let noServerCertificateVerificationPortLevel = DiagnosticCode("IST0129", "NoServerCertificateVerificationPortLevel", .warning)
    public static let virtualServiceUnreachableRule = DiagnosticCode("IST0130", "VirtualServiceUnreachableRule", .warning)
    public static let virtualServiceIneffectiveMatch = DiagnosticCode("IST0131", "VirtualServiceIneffectiveMatch", .info)
    public static let virtualServiceHostNotFoundInGateway = DiagnosticCode("IST0132", "VirtualServiceHostNotFoundInGateway", .warning)
    public static let serviceEntryAddressesRequired = DiagnosticCode("IST0134", "ServiceEntryAddressesRequired", .warning)
    public static let deploymentConflictingPorts = DiagnosticCode("IST0137", "DeploymentConflictingPorts", .warning)
    public static let gatewayDuplicateCertificate = DiagnosticCode("IST0138", "GatewayDuplicateCertificate", .warning)
    public static let ingressRouteRulesNotAffected = DiagnosticCode("IST0140", "IngressRouteRulesNotAffected", .warning)
    public static let conflictingGateways = DiagnosticCode("IST0145", "ConflictingGateways", .error)
    public static let gatewayPortNotDefinedOnService = DiagnosticCode("IST0162", "GatewayPortNotDefinedOnService", .warning)
    public static let destinationRuleSubsetNotSelectPods = DiagnosticCode("IST0173", "DestinationRuleSubsetNotSelectPods", .error)
    public static let unknownDestinationRuleHost = DiagnosticCode("IST0174", "UnknownDestinationRuleHost", .warning)

    // MARK: meshc's own
    public static let yamlSyntaxError = DiagnosticCode("MSH0001", "YAMLSyntaxError", .error)
    public static let duplicateKey = DiagnosticCode("MSH0002", "DuplicateKey", .error)
    public static let inputLimitExceeded = DiagnosticCode("MSH0003", "InputLimitExceeded", .error)
    public static let unknownKind = DiagnosticCode("MSH0004", "UnknownKind", .info)
    public static let invalidManifest = DiagnosticCode("MSH0005", "InvalidManifest", .error)
    public static let duplicateResource = DiagnosticCode("MSH0006", "DuplicateResource", .error)
    public static let workloadMissingAppVersionLabels = DiagnosticCode("MSH0007", "WorkloadMissingAppVersionLabels", .warning)

    /// Built-in codes in catalogue order (user policies are not listed here).
    public static let all: [DiagnosticCode] = [
        referencedResourceNotFound, schemaValidationError, unknownAnnotation,
        conflictingMeshGatewayVirtualServiceHosts, conflictingSidecarWorkloadSelectors,
        multipleSidecarsWithoutWorkloadSelectors, virtualServiceDestinationPortSelectorRequired,
        deploymentAssociatedToMultipleServices, portNameIsNotUnderNamingConvention,
        noMatchingWorkloadsFound, noServerCertificateVerificationDestinationLevel,
        noServerCertificateVerificationPortLevel, virtualServiceUnreachableRule,
        virtualServiceIneffectiveMatch, virtualServiceHostNotFoundInGateway,
        serviceEntryAddressesRequired, deploymentConflictingPorts, gatewayDuplicateCertificate,
        ingressRouteRulesNotAffected, conflictingGateways, gatewayPortNotDefinedOnService,
        destinationRuleSubsetNotSelectPods, unknownDestinationRuleHost,
        yamlSyntaxError, duplicateKey, inputLimitExceeded, unknownKind, invalidManifest,
        duplicateResource, workloadMissingAppVersionLabels,
    ]

    /// Looks a built-in code up by its id (`IST0101`) or name.
    public static func named(_ idOrName: String) -> DiagnosticCode? {
        all.first { $0.id == idOrName || $0.name == idOrName }
    }
}
