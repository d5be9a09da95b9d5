import MeshDiagnostics
import MeshModel

/// Checks shared by several kinds: durations, ports, percentages, enums,
/// labels, selectors, exportTo, gateway names and policy target references.
extension FieldChecker {
    /// A duration field Istio checks with ValidateDuration.
    mutating func duration(_ value: Located<String>?, _ path: @autoclosure () -> String,
                           allowZero: Bool = false, secondsPrecision: Bool = false) {
        guard let value, let error = Durations.error(in: value.value, allowZero: allowZero, secondsPrecision: secondsPrecision) else { return }
        fail(value.mark, path(), error, hint: Durations.hint)
    }

    /// A port number, 1..65535.
    mutating func port(_ value: Located<Int>?, _ path: @autoclosure () -> String) {
        guard let value, !(1...65535).contains(value.value) else { return }
        fail(value.mark, path(), "port number \(value.value) must be in the range 1..65535", hint: "use a port between 1 and 65535")
    }

    /// An integer percentage, 0..100.
    mutating func percent(_ value: Located<Int>?, _ path: @autoclosure () -> String) {
        guard let value, !(0...100).contains(value.value) else { return }
        fail(value.mark, path(), "percentage \(value.value) is not in range 0..100", hint: "use a value from 0 to 100")
    }

    /// Istio's `Percent`: 0, or 0.0001..100.
    mutating func percentage(_ value: Percent?, _ path: @autoclosure () -> String) {
        guard let number = value?.value, number.value < 0 || number.value > 100 || (number.value > 0 && number.value < 0.0001) else { return }
        fail(number.mark, path() + ".value", "percentage \(number.value) is neither 0.0, nor in range [0.0001, 100.0]",
             hint: "use a value from 0 to 100")
    }

    /// A non-negative integer.
    mutating func nonNegative(_ value: Located<Int>?, _ path: @autoclosure () -> String, _ what: String) {
        guard let value, value.value < 0 else { return }
        fail(value.mark, path(), "\(what) must be non-negative, found \(value.value)", hint: "use 0 or a positive number")
    }

    /// A protobuf enum written by name; `caseInsensitive` for Istio's protocol-style strings.
    /// Keep `allowed` in a `static let`: an array literal here would be rebuilt on every call.
    mutating func enumValue(_ value: Located<String>?, _ allowed: [String], _ path: @autoclosure () -> String, what: String) {
        guard let value, !allowed.contains(value.value) else { return }
        fail(value.mark, path(), "unknown \(what) \"\(value.value)\"", hint: "use one of \(allowed.joined(separator: ", "))")
    }

    /// Kubernetes label syntax for every key and value of `labels`.
    mutating func labels(_ labels: StringMap?, _ path: @autoclosure () -> String) {
        guard let labels else { return }
        for entry in labels.entries {
            if let error = Names.labelKeyError(entry.key) {
                fail(entry.value.mark, "\(path()).\(entry.key)", error, hint: "use a key like app or example.com/tier")
            }
            if let error = Names.labelValueError(entry.value.value) {
                fail(entry.value.mark, "\(path()).\(entry.key)", error, hint: "use letters, digits, '-', '_' or '.', at most 63")
            }
        }
    }

    /// Istio's validateWorkloadSelector: no empty keys, no wildcards.
    mutating func selectorLabels(_ labels: StringMap?, _ path: @autoclosure () -> String) {
        guard let labels else { return }
        for entry in labels.entries {
            if entry.key.isEmpty {
                fail(entry.value.mark, path(), "empty key is not supported in selector", hint: "give the label a key")
            }
            if hasStar(entry.key) || hasStar(entry.value.value) {
                fail(entry.value.mark, "\(path()).\(entry.key)", "wildcard is not supported in selector: \"\(entry.key)=\(entry.value.value)\"",
                     hint: "select workloads by exact label values")
            }
        }
    }

    /// `text.contains("*")`, with a byte scan first: no `*` byte, no `*` Character.
    private func hasStar(_ text: String) -> Bool {
        text.utf8.contains(UInt8(ascii: "*")) && text.contains("*")
    }

    /// Istio's validateExportTo: `.`, `*`, namespaces (and `~` for ServiceEntries), no duplicates.
    mutating func exportTo(_ values: [Located<String>], _ path: @autoclosure () -> String, serviceEntry: Bool = false, selectorRule: Bool = false) {
        guard !values.isEmpty else { return }
        var seen: Set<String> = []
        let namespace = resource.namespace
        for (i, entry) in values.enumerated() {
            let key = entry.value == "." ? namespace : entry.value
            if seen.contains(key) {
                fail(entry.mark, "\(path())[\(i)]", "duplicate entries in exportTo for entry \(entry.value)", hint: "list each namespace once")
                continue
            }
            if entry.value == "~" && !serviceEntry || (key != "*" && key != "~" && !Names.isDNS1123Label(key)) {
                fail(entry.mark, "\(path())[\(i)]", "exportTo value \"\(entry.value)\" is not \".\", \"*\" or a namespace name",
                     hint: serviceEntry ? "use \".\", \"*\", \"~\" or a namespace" : "use \".\", \"*\" or a namespace")
                continue
            }
            seen.insert(key)
        }
        guard values.count > 1, let first = values.first else { return }
        if seen.contains("*") {
            fail(first.mark, path(), "cannot have both public (*) and non-public exportTo values for a resource", hint: "use * alone")
        }
        if seen.contains("~") {
            fail(first.mark, path(), "cannot export service entry to no one (~) and someone", hint: "use ~ alone")
        }
        if selectorRule && !seen.isEmpty {
            let message = seen.contains(namespace) ? "destination rule with workload selector cannot have multiple entries in exportTo"
                : "destination rule with workload selector cannot have exportTo beyond current namespace"
            fail(first.mark, path(), message, hint: "export it to \".\" only")
        }
    }

    /// Istio's validateGatewayNames: `mesh`, `name`, `namespace/name`.
    mutating func gatewayNames(_ names: [Located<String>], _ path: @autoclosure () -> String) {
        for (i, name) in names.enumerated() where !Self.isGatewayName(name.value) {
            let parts = name.value.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            if parts.count == 1 {
                if let error = Names.fqdnError(name.value) {
                    fail(name.mark, "\(path())[\(i)]", "invalid gateway name: \(error)", hint: "write mesh, <name> or <namespace>/<name>")
                }
                continue
            }
            for (part, what) in [(parts[0], "namespace"), (parts[1], "gateway name")] where !Names.isDNS1123Label(String(part)) {
                fail(name.mark, "\(path())[\(i)]", "invalid value for \(what): \"\(part)\"",
                     hint: "write <namespace>/<name> with lower-case DNS labels")
            }
        }
    }

    /// The valid case of gatewayNames over bytes: an FQDN, or two DNS labels around one `/`.
    private static func isGatewayName(_ name: String) -> Bool {
        Names.withBytes(name) { bytes in
            guard let slash = bytes.firstIndex(of: UInt8(ascii: "/")) else { return Names.isFQDN(name) }
            return Names.isDNS1123Label(bytes[..<slash]) && Names.isDNS1123Label(bytes[(slash + 1)...])
        }
    }

    /// Istio's PolicyTargetReference rules, and selector/targetRef exclusivity.
    mutating func policyTargets(_ refs: [PolicyTargetReference], hasSelector: Bool) {
        if hasSelector, let first = refs.first {
            fail(first.mark, "spec.targetRef", "only one of targetRefs or workloadSelector can be set",
                 hint: "remove the selector or the targetRef")
        }
        for (i, ref) in refs.enumerated() {
            let path = refs.count == 1 ? "spec.targetRef" : "spec.targetRefs[\(i)]"
            if (ref.name?.value ?? "").isEmpty {
                fail(ref.name?.mark ?? ref.mark, path + ".name", "targetRef name must be set", hint: "name the Service or Gateway")
            }
            if let namespace = ref.namespace, !namespace.value.isEmpty {
                fail(namespace.mark, path + ".namespace", "targetRef namespace must not be set; cross namespace referencing is not supported",
                     hint: "put the policy in the target's namespace and drop namespace")
            }
            let key = "\(ref.group?.value ?? "")/\(ref.kind?.value ?? "")"
            if !Self.targetKinds.contains(key) {
                fail(ref.kind?.mark ?? ref.mark, path + ".kind", "targetRef must be to a Service, ServiceEntry, Gateway or GatewayClass, found \(key)",
                     hint: "use kind Service (group \"\"), ServiceEntry (networking.istio.io) or Gateway (gateway.networking.k8s.io)")
            }
        }
    }

    static let targetKinds: Set<String> = ["/Service", "core/Service", "networking.istio.io/ServiceEntry",
                                           "gateway.networking.k8s.io/Gateway", "gateway.networking.k8s.io/GatewayClass"]
}
