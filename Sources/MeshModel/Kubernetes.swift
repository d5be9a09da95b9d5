import MeshDiagnostics

/// A Kubernetes Service's spec (the parts the mesh reads).
package final class ServiceSpec: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["selector", "ports", "type", "clusterIP", "externalName"]
    package let selector: StringMap?
    package let ports: [ServicePortSpec]
    package let type: Located<String>?
    package let externalName: Located<String>?

    package init(_ o: ObjectReader) {
        selector = o.stringMap("selector")
        ports = o.list("ports")
        type = o.string("type")
        externalName = o.string("externalName")
    }
}

/// One port of a Kubernetes Service.
package struct ServicePortSpec: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["name", "port", "targetPort", "protocol", "appProtocol", "nodePort"]
    package var name: Located<String>?
    package var port: Located<Int>?
    package var targetPort: Located<IntOrString>?
    package var `protocol`: Located<String>?
    package var appProtocol: Located<String>?
    package var mark: Mark

    package init(_ o: ObjectReader) {
        name = o.string("name")
        port = o.int("port")
        targetPort = o.intOrString("targetPort")
        `protocol` = o.string("protocol")
        appProtocol = o.string("appProtocol")
        mark = o.mark
    }
}

/// A Pod spec: the containers, their ports, and the pod's security context.
package struct PodSpec: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["containers", "securityContext"]
    package var containers: [ContainerSpec]
    package var securityContext: SecurityContextSpec?

    package init(_ o: ObjectReader) {
        containers = o.list("containers")
        securityContext = o.object("securityContext")
    }
}

package struct ContainerSpec: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["name", "image", "ports", "securityContext", "env"]
    package var name: Located<String>?
    package var image: Located<String>?
    package var ports: [ContainerPortSpec]
    package var securityContext: SecurityContextSpec?
    /// Environment variables with a literal `value` (`valueFrom` ones have none).
    package var env: [EnvVarSpec]

    package init(_ o: ObjectReader) {
        name = o.string("name")
        image = o.string("image")
        ports = o.list("ports")
        securityContext = o.object("securityContext")
        env = o.list("env")
    }
}

/// One `env` entry of a container.
package struct EnvVarSpec: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["name", "value", "valueFrom"]
    package var name: Located<String>?
    package var value: Located<String>?

    package init(_ o: ObjectReader) {
        name = o.string("name")
        value = o.string("value")
    }
}

/// A pod's or a container's `securityContext` (the user it runs as).
package struct SecurityContextSpec: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["runAsUser", "runAsGroup", "runAsNonRoot"]
    package var runAsUser: Located<Int>?

    package init(_ o: ObjectReader) {
        runAsUser = o.int("runAsUser")
    }
}

package struct ContainerPortSpec: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["name", "containerPort", "protocol"]
    package var name: Located<String>?
    package var containerPort: Located<Int>?
    package var `protocol`: Located<String>?

    package init(_ o: ObjectReader) {
        name = o.string("name")
        containerPort = o.int("containerPort")
        `protocol` = o.string("protocol")
    }
}

/// A pod template as Deployments, StatefulSets, … carry it.
package struct PodTemplateSpec: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["metadata", "spec"]
    package var metadata: ObjectMeta?
    package var spec: PodSpec?
    package var mark: Mark

    package init(_ o: ObjectReader) {
        metadata = o.object("metadata")
        spec = o.object("spec")
        mark = o.mark
    }
}

/// The spec of a workload controller (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job).
package struct WorkloadControllerSpec: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["selector", "template"]
    package var selector: LabelSelector?
    package var template: PodTemplateSpec?

    package init(_ o: ObjectReader) {
        selector = o.object("selector")
        template = o.object("template")
    }
}

/// What every workload kind comes down to for the mesh: the pod labels
/// (from the pod itself or its template) and the container ports.
package struct WorkloadSpec: Sendable {
    /// Pod labels from a controller's template; nil for a bare Pod (its labels are the resource's).
    package var templateLabels: StringMap?
    /// Where the pod labels were written (template metadata), for diagnostics.
    package var templateMark: Mark?
    /// Pod annotations from a controller's template; nil for a bare Pod (its annotations are the resource's).
    package var templateAnnotations: StringMap?
    package var containers: [ContainerSpec]
    /// The pod-level `securityContext` (of the pod, or of the template's pod spec).
    package var securityContext: SecurityContextSpec?

    package init(pod: PodSpec) {
        templateLabels = nil
        templateMark = nil
        templateAnnotations = nil
        containers = pod.containers
        securityContext = pod.securityContext
    }

    package init(controller: WorkloadControllerSpec) {
        templateLabels = controller.template?.metadata?.labels ?? StringMap(mark: controller.template?.mark ?? .start)
        templateMark = controller.template?.metadata?.mark ?? controller.template?.mark
        templateAnnotations = controller.template?.metadata?.annotations
        containers = controller.template?.spec?.containers ?? []
        securityContext = controller.template?.spec?.securityContext
    }

    /// True for a controller's pod template; false for a bare Pod.
    package var isTemplate: Bool { templateLabels != nil }
}
