import MeshDiagnostics

/// A Kubernetes Service's spec (the parts the mesh reads).
public final class ServiceSpec: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["selector", "ports", "type", "clusterIP", "externalName"]
    public let selector: StringMap?
    public let ports: [ServicePortSpec]
    public let type: Located<String>?
    public let externalName: Located<String>?

    public init(_ o: ObjectReader) {
        selector = o.stringMap("selector")
        ports = o.list("ports")
        type = o.string("type")
        externalName = o.string("externalName")
    }
}

/// One port of a Kubernetes Service.
public struct ServicePortSpec: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["name", "port", "targetPort", "protocol", "appProtocol", "nodePort"]
    public var name: Located<String>?
    public var port: Located<Int>?
    public var targetPort: Located<IntOrString>?
    public var `protocol`: Located<String>?
    public var appProtocol: Located<String>?
    public var mark: Mark

    public init(_ o: ObjectReader) {
        name = o.string("name")
        port = o.int("port")
        targetPort = o.intOrString("targetPort")
        `protocol` = o.string("protocol")
        appProtocol = o.string("appProtocol")
        mark = o.mark
    }
}

/// A Pod spec: the containers and their ports.
public struct PodSpec: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["containers"]
    public var containers: [ContainerSpec]

    public init(_ o: ObjectReader) {
        containers = o.list("containers")
    }
}

public struct ContainerSpec: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["name", "image", "ports"]
    public var name: Located<String>?
    public var ports: [ContainerPortSpec]

    public init(_ o: ObjectReader) {
        name = o.string("name")
        ports = o.list("ports")
    }
}

public struct ContainerPortSpec: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["name", "containerPort", "protocol"]
    public var name: Located<String>?
    public var containerPort: Located<Int>?
    public var `protocol`: Located<String>?

    public init(_ o: ObjectReader) {
        name = o.string("name")
        containerPort = o.int("containerPort")
        `protocol` = o.string("protocol")
    }
}

/// A pod template as Deployments, StatefulSets, … carry it.
public struct PodTemplateSpec: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["metadata", "spec"]
    public var metadata: ObjectMeta?
    public var spec: PodSpec?
    public var mark: Mark

    public init(_ o: ObjectReader) {
        metadata = o.object("metadata")
        spec = o.object("spec")
        mark = o.mark
    }
}

/// The spec of a workload controller (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job).
public struct WorkloadControllerSpec: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["selector", "template"]
    public var selector: LabelSelector?
    public var template: PodTemplateSpec?

    public init(_ o: ObjectReader) {
        selector = o.object("selector")
        template = o.object("template")
    }
}

/// What every workload kind comes down to for the mesh: the pod labels
/// (from the pod itself or its template) and the container ports.
public struct WorkloadSpec: Sendable {
    /// Pod labels from a controller's template; nil for a bare Pod (its labels are the resource's).
    public var templateLabels: StringMap?
    /// Where the pod labels were written (template metadata), for diagnostics.
    public var templateMark: Mark?
    /// Pod annotations from a controller's template; nil for a bare Pod (its annotations are the resource's).
    public var templateAnnotations: StringMap?
    public var containers: [ContainerSpec]

    public init(pod: PodSpec) {
        templateLabels = nil
        templateMark = nil
        templateAnnotations = nil
        containers = pod.containers
    }

    public init(controller: WorkloadControllerSpec) {
        templateLabels = controller.template?.metadata?.labels ?? StringMap(mark: controller.template?.mark ?? .start)
        templateMark = controller.template?.metadata?.mark ?? controller.template?.mark
        templateAnnotations = controller.template?.metadata?.annotations
        containers = controller.template?.spec?.containers ?? []
    }
}
