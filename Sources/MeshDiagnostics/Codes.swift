/// Every code meshc reports. Istio's codes, names and default levels where
/// istioctl analyze makes the same check; meshc's own use the MSH prefix.
///
/// `policies/` holds one folder per code here; a test keeps the two in step.
/// User policies (`kind: Policy`) bring codes of their own.
package enum Codes {
    // MARK: istioctl analyze
    package static let deprecated = DiagnosticCode("IST0002", "Deprecated", .warning)
    package static let referencedResourceNotFound = DiagnosticCode("IST0101", "ReferencedResourceNotFound", .error)
    package static let namespaceNotInjected = DiagnosticCode("IST0102", "NamespaceNotInjected", .info)
    package static let schemaValidationError = DiagnosticCode("IST0106", "SchemaValidationError", .error)
    package static let misplacedAnnotation = DiagnosticCode("IST0107", "MisplacedAnnotation", .warning)
    package static let unknownAnnotation = DiagnosticCode("IST0108", "UnknownAnnotation", .warning)
    package static let conflictingMeshGatewayVirtualServiceHosts = DiagnosticCode("IST0109", "ConflictingMeshGatewayVirtualServiceHosts", .error)
    package static let conflictingSidecarWorkloadSelectors = DiagnosticCode("IST0110", "ConflictingSidecarWorkloadSelectors", .error)
    package static let multipleSidecarsWithoutWorkloadSelectors = DiagnosticCode("IST0111", "MultipleSidecarsWithoutWorkloadSelectors", .error)
    package static let virtualServiceDestinationPortSelectorRequired = DiagnosticCode("IST0112", "VirtualServiceDestinationPortSelectorRequired", .error)
    package static let deploymentAssociatedToMultipleServices = DiagnosticCode("IST0116", "DeploymentAssociatedToMultipleServices", .warning)
    package static let portNameIsNotUnderNamingConvention = DiagnosticCode("IST0118", "PortNameIsNotUnderNamingConvention", .info)
    package static let namespaceMultipleInjectionLabels = DiagnosticCode("IST0123", "NamespaceMultipleInjectionLabels", .warning)
    package static let invalidAnnotation = DiagnosticCode("IST0125", "InvalidAnnotation", .warning)
    package static let noMatchingWorkloadsFound = DiagnosticCode("IST0127", "NoMatchingWorkloadsFound", .warning)
    package static let noServerCertificateVerificationDestinationLevel = DiagnosticCode("IST0128", "NoServerCertificateVerificationDestinationLevel", .warning)
    package static let noServerCertificateVerificationPortLevel = DiagnosticCode("IST0129", "NoServerCertificateVerificationPortLevel", .warning)
    package static let virtualServiceUnreachableRule = DiagnosticCode("IST0130", "VirtualServiceUnreachableRule", .warning)
    package static let virtualServiceIneffectiveMatch = DiagnosticCode("IST0131", "VirtualServiceIneffectiveMatch", .info)
    package static let virtualServiceHostNotFoundInGateway = DiagnosticCode("IST0132", "VirtualServiceHostNotFoundInGateway", .warning)
    package static let schemaWarning = DiagnosticCode("IST0133", "SchemaWarning", .warning)
    package static let serviceEntryAddressesRequired = DiagnosticCode("IST0134", "ServiceEntryAddressesRequired", .warning)
    package static let deprecatedAnnotation = DiagnosticCode("IST0135", "DeprecatedAnnotation", .info)
    package static let alphaAnnotation = DiagnosticCode("IST0136", "AlphaAnnotation", .info)
    package static let deploymentConflictingPorts = DiagnosticCode("IST0137", "DeploymentConflictingPorts", .warning)
    package static let gatewayDuplicateCertificate = DiagnosticCode("IST0138", "GatewayDuplicateCertificate", .warning)
    package static let ingressRouteRulesNotAffected = DiagnosticCode("IST0140", "IngressRouteRulesNotAffected", .warning)
    package static let invalidApplicationUID = DiagnosticCode("IST0144", "InvalidApplicationUID", .warning)
    package static let conflictingGateways = DiagnosticCode("IST0145", "ConflictingGateways", .error)
    package static let imageAutoWithoutInjectionWarning = DiagnosticCode("IST0146", "ImageAutoWithoutInjectionWarning", .warning)
    package static let imageAutoWithoutInjectionError = DiagnosticCode("IST0147", "ImageAutoWithoutInjectionError", .error)
    package static let namespaceInjectionEnabledByDefault = DiagnosticCode("IST0148", "NamespaceInjectionEnabledByDefault", .info)
    package static let jwtClaimBasedRoutingWithoutRequestAuthN = DiagnosticCode("IST0149", "JwtClaimBasedRoutingWithoutRequestAuthN", .error)
    package static let externalNameServiceTypeInvalidPortName = DiagnosticCode("IST0150", "ExternalNameServiceTypeInvalidPortName", .warning)
    package static let invalidTelemetryProvider = DiagnosticCode("IST0157", "InvalidTelemetryProvider", .warning)
    package static let conflictingTelemetryWorkloadSelectors = DiagnosticCode("IST0159", "ConflictingTelemetryWorkloadSelectors", .error)
    package static let multipleTelemetriesWithoutWorkloadSelectors = DiagnosticCode("IST0160", "MultipleTelemetriesWithoutWorkloadSelectors", .error)
    package static let invalidGatewayCredential = DiagnosticCode("IST0161", "InvalidGatewayCredential", .error)
    package static let gatewayPortNotDefinedOnService = DiagnosticCode("IST0162", "GatewayPortNotDefinedOnService", .warning)
    package static let referencedInternalGateway = DiagnosticCode("IST0165", "ReferencedInternalGateway", .warning)
    package static let ineffectiveSelector = DiagnosticCode("IST0166", "IneffectiveSelector", .warning)
    package static let ineffectivePolicy = DiagnosticCode("IST0167", "IneffectivePolicy", .warning)
    package static let destinationRuleSubsetNotSelectPods = DiagnosticCode("IST0173", "DestinationRuleSubsetNotSelectPods", .error)
    package static let unknownDestinationRuleHost = DiagnosticCode("IST0174", "UnknownDestinationRuleHost", .warning)
    package static let jwksUriFetchUnrestricted = DiagnosticCode("IST0175", "JwksUriFetchUnrestricted", .warning)
    package static let conflictingServiceEntryProtocol = DiagnosticCode("IST0177", "ConflictingServiceEntryProtocol", .warning)

    // MARK: meshc's own
    package static let yamlSyntaxError = DiagnosticCode("MSH0001", "YAMLSyntaxError", .error)
    package static let duplicateKey = DiagnosticCode("MSH0002", "DuplicateKey", .error)
    package static let inputLimitExceeded = DiagnosticCode("MSH0003", "InputLimitExceeded", .error)
    package static let unknownKind = DiagnosticCode("MSH0004", "UnknownKind", .info)
    package static let invalidManifest = DiagnosticCode("MSH0005", "InvalidManifest", .error)
    package static let duplicateResource = DiagnosticCode("MSH0006", "DuplicateResource", .error)
    package static let workloadMissingAppVersionLabels = DiagnosticCode("MSH0007", "WorkloadMissingAppVersionLabels", .warning)
    package static let strictPortWithPlaintextClients = DiagnosticCode("MSH0008", "StrictPortWithPlaintextClients", .warning)
    package static let unknownPrincipal = DiagnosticCode("MSH0009", "UnknownPrincipal", .warning)
    package static let identityWithoutMutualTLS = DiagnosticCode("MSH0010", "IdentityWithoutMutualTLS", .warning)
    package static let httpOnlyFieldOnTCPPort = DiagnosticCode("MSH0011", "HTTPOnlyFieldOnTCPPort", .warning)
    package static let unknownExtensionProvider = DiagnosticCode("MSH0012", "UnknownExtensionProvider", .warning)
    package static let virtualServiceShadowedByMerge = DiagnosticCode("MSH0013", "VirtualServiceShadowedByMerge", .warning)

    /// Built-in codes in catalogue order (user policies are not listed here).
    package static let all: [DiagnosticCode] = [
        referencedResourceNotFound, namespaceNotInjected, schemaValidationError, misplacedAnnotation,
        unknownAnnotation, conflictingMeshGatewayVirtualServiceHosts, conflictingSidecarWorkloadSelectors,
        multipleSidecarsWithoutWorkloadSelectors, virtualServiceDestinationPortSelectorRequired,
        deploymentAssociatedToMultipleServices, portNameIsNotUnderNamingConvention, invalidAnnotation,
        noMatchingWorkloadsFound, noServerCertificateVerificationDestinationLevel,
        noServerCertificateVerificationPortLevel, virtualServiceUnreachableRule,
        virtualServiceIneffectiveMatch, virtualServiceHostNotFoundInGateway,
        serviceEntryAddressesRequired, deprecatedAnnotation, alphaAnnotation, deploymentConflictingPorts,
        gatewayDuplicateCertificate, ingressRouteRulesNotAffected, invalidApplicationUID, conflictingGateways,
        externalNameServiceTypeInvalidPortName, invalidTelemetryProvider, conflictingTelemetryWorkloadSelectors,
        multipleTelemetriesWithoutWorkloadSelectors, gatewayPortNotDefinedOnService, ineffectiveSelector,
        ineffectivePolicy, destinationRuleSubsetNotSelectPods, unknownDestinationRuleHost,
        // istioctl parity (issue 13), in code order
        deprecated, namespaceMultipleInjectionLabels, schemaWarning, imageAutoWithoutInjectionWarning,
        imageAutoWithoutInjectionError, namespaceInjectionEnabledByDefault, jwtClaimBasedRoutingWithoutRequestAuthN,
        invalidGatewayCredential, referencedInternalGateway, jwksUriFetchUnrestricted, conflictingServiceEntryProtocol,
        yamlSyntaxError, duplicateKey, inputLimitExceeded, unknownKind, invalidManifest,
        duplicateResource, workloadMissingAppVersionLabels, strictPortWithPlaintextClients,
        unknownPrincipal, identityWithoutMutualTLS, httpOnlyFieldOnTCPPort, unknownExtensionProvider,
        virtualServiceShadowedByMerge,
    ]

    /// Built-in checks that run only when asked for, by id: istioctl analyze
    /// leaves its AlphaAnalyzer (IST0136) out of every run, so meshc does too
    /// unless the lint options enable it (`MeshConfig.enabledOptInCodes`).
    package static let optIn: Set<String> = ["IST0136"]

    /// Looks a built-in code up by its id (`IST0101`) or name.
    package static func named(_ idOrName: String) -> DiagnosticCode? {
        all.first { $0.id == idOrName || $0.name == idOrName }
    }
}
