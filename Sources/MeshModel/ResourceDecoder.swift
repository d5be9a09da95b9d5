import MeshDiagnostics
import MeshYAML

/// Turns parsed documents into typed resources. Type errors and unknown
/// fields become IST0106; unknown kinds are skipped with MSH0004 (info).
package enum ResourceDecoder {
    package static func decode(_ file: YAMLFile) -> (resources: [Resource], diagnostics: [Diagnostic]) {
        var resources: [Resource] = []
        resources.reserveCapacity(file.documents.count)
        let context = DecodeContext(file: file.path)
        for document in file.documents {
            // Without field paths first: most documents report nothing, and keeping the path was
            // a tenth of decoding. One that reports is decoded again, paths kept, for its diagnostics.
            let before = resources.count
            context.tracksPath = false
            decodeDocument(document.root.unretained, span: document.span, context, into: &resources)
            guard context.reportedWithoutPath else { continue }
            resources.removeSubrange(before...)
            context.reportedWithoutPath = false
            context.tracksPath = true
            decodeDocument(document.root.unretained, span: document.span, context, into: &resources)
        }
        context.tracksPath = true
        return (resources, context.takeDiagnostics())
    }

    /// Decodes the document at `root`, whose tree the caller holds.
    private static func decodeDocument(_ root: UnretainedNode, span: Range<Int>?, _ context: DecodeContext, into resources: inout [Resource]) {
        context.resource = nil
        context.strict = false
        guard root.kind == .mapping else {
            context.report(Codes.invalidManifest, "a manifest must be a mapping with apiVersion, kind and metadata, found \(root.typeDescription)",
                           hint: "remove the stray document or write it as a Kubernetes object", at: root.mark)
            return
        }
        guard let kindNode = root["kind"], let kind = kindNode.scalar, !kind.isEmpty else {
            context.report(Codes.invalidManifest, "manifest has no kind", hint: "add kind: and apiVersion: at the top", at: root.mark)
            return
        }
        // Compared as bytes: a String of it is made only for a rejection.
        let apiVersion = root["apiVersion"]
        func written(_ version: String) -> Bool { apiVersion.map { $0.scalarEquals(version) } ?? version.isEmpty }
        if written("v1"), kind.hasSuffix("List"), let items = root["items"], items.kind == .sequence {
            context.at(.key("items")) {
                for index in 0..<items.count {
                    context.at(.index(index)) { decodeDocument(items.item(at: index), span: span, context, into: &resources) }
                }
            }
            return
        }
        // Most documents: a kind meshc knows at an apiVersion it serves, and none of the rejections applies.
        // The kind's own copy of the apiVersion is kept: one shared string, not one per resource.
        guard let known = ResourceKind.named(kind), let served = known.apiVersions.first(where: written) else {
            reject(kind, apiVersion: apiVersion?.scalar ?? "", root: root, kindNode: kindNode, context)
            return
        }
        guard let metadataNode = root["metadata"],
              let metadata = context.at(.key("metadata"), { ObjectReader.decode(metadataNode, context, as: ObjectMeta.self) }),
              let name = metadata.name, !name.value.isEmpty
        else {
            context.report(Codes.invalidManifest, "\(kind) has no metadata.name",
                           hint: "give every manifest a name: references, suppressions and plans use it", at: kindNode.mark)
            return
        }
        context.resource = ResourceRef(kind: kind, namespace: metadata.namespace?.value ?? "default", name: name.value)
        context.strict = known.isIstio || known == .proxy
        let spec = root["spec"]
        let specMark = spec?.mark ?? root.mark
        guard let body = decodeBody(known, root: root, spec: spec, context) else { return }
        resources.append(Resource(kind: known, apiVersion: served, metadata: metadata, body: body,
                                  file: context.file, mark: root.mark, specMark: specMark, span: span))
    }

    /// A document whose kind meshc does not read at its apiVersion: skipped
    /// silently when it is one of meshc's own kinds read by another loader
    /// (Policy, …), an unknown kind when meshc knows no such kind in that
    /// API group, else an apiVersion that does not serve the kind. (Every
    /// version of a kind is in one group, and the only meshc.dev kinds among
    /// `ResourceKind`'s are Proxy and MeshConfig, so a known kind at a served
    /// apiVersion never gets here.)
    private static func reject(_ kind: String, apiVersion: String, root: UnretainedNode, kindNode: UnretainedNode, _ context: DecodeContext) {
        if group(of: apiVersion) == "meshc.dev", kind != ResourceKind.proxy.rawValue, kind != ResourceKind.meshConfig.rawValue { return }
        guard let named = ResourceKind.named(kind), sameGroup(apiVersion, named.apiVersions[0]) else {
            context.report(Codes.unknownKind, "\(apiVersion.isEmpty ? "" : apiVersion + " ")\(kind) is not a kind meshc checks; skipped",
                           hint: "nothing to do if that is intended", at: kindNode.mark)
            return
        }
        context.at(.key("apiVersion")) {
            context.schemaError("apiVersion \"\(apiVersion)\" does not serve \(kind)",
                                hint: "use one of \(named.apiVersions.joined(separator: ", "))", at: root["apiVersion"]?.mark ?? root.mark)
        }
    }

    /// Decodes a kind's body; nil when `spec` is unusable (an IST0106 was reported).
    private static func decodeBody(_ kind: ResourceKind, root: UnretainedNode, spec: UnretainedNode?, _ context: DecodeContext) -> ResourceBody? {
        func object<T: ObjectDecodable>(_ type: T.Type) -> T? {
            guard let spec, !spec.isNull else {
                context.at(.key("spec")) { context.schemaError("spec is missing", hint: "every \(kind.rawValue) needs a spec", at: root.mark) }
                return nil
            }
            return context.at(.key("spec")) { ObjectReader.decode(spec, context, as: T.self) }
        }
        switch kind {
        case .namespace: return .namespace
        case .service: return object(ServiceSpec.self).map(ResourceBody.service)
        case .pod: return object(PodSpec.self).map { .workload(WorkloadSpec(pod: $0)) }
        case .deployment, .statefulSet, .daemonSet, .replicaSet, .job:
            return object(WorkloadControllerSpec.self).map { .workload(WorkloadSpec(controller: $0)) }
        case .gateway: return object(GatewaySpec.self).map(ResourceBody.gateway)
        case .virtualService: return object(VirtualServiceSpec.self).map(ResourceBody.virtualService)
        case .destinationRule: return object(DestinationRuleSpec.self).map(ResourceBody.destinationRule)
        case .serviceEntry: return object(ServiceEntrySpec.self).map(ResourceBody.serviceEntry)
        case .workloadEntry: return object(WorkloadEntrySpec.self).map(ResourceBody.workloadEntry)
        case .workloadGroup: return object(WorkloadGroupSpec.self).map(ResourceBody.workloadGroup)
        case .sidecar: return object(SidecarSpec.self).map(ResourceBody.sidecar)
        case .peerAuthentication: return object(PeerAuthenticationSpec.self).map(ResourceBody.peerAuthentication)
        case .authorizationPolicy: return object(AuthorizationPolicySpec.self).map(ResourceBody.authorizationPolicy)
        case .requestAuthentication: return object(RequestAuthenticationSpec.self).map(ResourceBody.requestAuthentication)
        case .telemetry: return object(TelemetrySpec.self).map(ResourceBody.telemetry)
        case .proxy: return object(ProxySpec.self).map(ResourceBody.proxy)
        case .meshConfig: return object(MeshConfigSpec.self).map(ResourceBody.meshConfig)
        // A Secret has no spec: type, data and stringData sit at the root.
        case .secret: return ObjectReader.decode(root, context, as: SecretSpec.self).map(ResourceBody.secret)
        // ConfigMaps and webhook configurations have no spec either.
        case .configMap: return ObjectReader.decode(root, context, as: ConfigMapSpec.self).map(ResourceBody.configMap)
        case .mutatingWebhookConfiguration:
            return ObjectReader.decode(root, context, as: MutatingWebhookConfigurationSpec.self).map(ResourceBody.mutatingWebhookConfiguration)
        }
    }

    /// The API group of `group/version` ("" for the core group). The slash
    /// is found in the contiguous bytes and the groups compare as
    /// substrings (a memcmp): walking `UTF8View`s element by element to find
    /// and compare them was 7% of decoding, at 50,000 documents.
    private static func group(of apiVersion: String) -> Substring {
        var text = apiVersion
        guard let slash = text.withUTF8({ $0.firstIndex(of: UInt8(ascii: "/")) }) else { return "" }
        return apiVersion[..<apiVersion.utf8.index(apiVersion.utf8.startIndex, offsetBy: slash)]
    }

    private static func sameGroup(_ a: String, _ b: String) -> Bool {
        group(of: a) == group(of: b)
    }
}
