import MeshDiagnostics

// Generated from README.md's code table (short) and policies/<CODE>-<Name>/README.md
// (full: what it finds and why it matters; help: how to fix). SARIFTests
// keeps this table and `Codes.all` in step.

/// What code scanning shows for each built-in code: SARIF's
/// `shortDescription`, `fullDescription` and `help`.
package struct RuleHelp: Sendable {
    /// One line: what the finding means.
    package var short: String
    /// What the check finds and why it matters.
    package var full: String
    /// How to fix it.
    package var help: String

    /// The help of every built-in code, by id.
    package static let all: [String: RuleHelp] = [
        "IST0101": RuleHelp(
            short: "a referenced gateway, host (or one not exported to the namespace), subset, selector target or AuthorizationPolicy source namespace does not exist",
            full: "A VirtualService names something the mesh does not have: - a Gateway in `spec.gateways` or in a match's `gateways` (`mesh` is the reserved name for sidecars; `ns/name` names a Gateway in another namespace, a bare name one in the VirtualService's namespace); - a destination host (in `route`, `mirror` or `mirrors`, HTTP, TLS or TCP) that no Service or ServiceEntry provides, after Istio's FQDN resolution (`reviews` in namespace `default` is `reviews.default.svc.cluster.local`; a ServiceEntry wildcard such as `*.example.com` covers its hosts), or that only Services and ServiceEntries not exported to the VirtualService's namespace provide (a ServiceEntry's `exportTo`, a Service's `networking.istio.io/exportTo` annotation; a VirtualService with `exportTo` looks from each namespace it lists, as istioctl does); - a destination `port.number` the Service does not expose; - a destination `subset` that no DestinationRule for that host defines. Why it matters: Envoy gets a route to a cluster with no endpoints, or no route at all: requests fail with 503 or 404, or the VirtualService never binds to the Gateway.",
            help: "Declare what is missing (the Gateway, the Service or a ServiceEntry, the subset in the host's DestinationRule), or correct the name. For a host in another namespace write its FQDN."
        ),
        "IST0102": RuleHelp(
            short: "a Namespace holding workloads has neither `istio-injection` nor `istio.io/rev` label",
            full: "A Namespace manifest carries neither the `istio-injection` label nor `istio.io/rev`, while the manifests put workloads (Pods, or Deployments and other pod templates) in it. Namespaces labelled `istio.io/dataplane-mode: ambient`, `istio-system` and the Kubernetes system namespaces (kube-system, kube-public, kube-node-lease, local-path-storage) are not reported. Why it matters: Istio's sidecar injector acts on namespaces labelled for it. Pods created in this namespace start without a sidecar: they are outside the mesh, so routing rules, mutual TLS and authorization policies do not apply to them, and a STRICT PeerAuthentication elsewhere refuses their calls.",
            help: "Label the Namespace `istio-injection: enabled`, or `istio.io/rev: <revision>` for a revisioned control plane. If the namespace is meant to stay outside the mesh, say so with `istio-injection: disabled`."
        ),
        "IST0106": RuleHelp(
            short: "the resource fails field validation (wrong type, unknown field in an Istio kind, bad value)",
            full: "A resource whose fields break a rule that Istio's validating webhook or the Kubernetes API server enforces: wrong types, unknown fields, a missing spec, an apiVersion that does not serve the kind, bad names, hosts, durations, ports, enums, weights or regexes. Why it matters: the API server or Istio's webhook rejects the resource, or, when validation is bypassed, istiod drops it or Envoy rejects the generated config and the traffic it was meant to shape silently takes the default path.",
            help: "Read the field path and the hint: each message says what is wrong and what to write instead (for example: use a duration like 2s, 500ms or 1m). The rule page's failing.yaml shows one broken example per kind and passing.yaml the same resources written correctly."
        ),
        "IST0107": RuleHelp(
            short: "an Istio annotation on a kind Istio does not read it from",
            full: "A known Istio annotation sits on a kind of resource Istio does not read it from, according to Istio's annotation metadata (istio/api `annotation/annotations.gen.go`): typically a pod annotation such as `proxy.istio.io/config` or `sidecar.istio.io/proxyCPU` written on a Deployment's own `metadata` or on a Service, instead of the pod template. A controller's pod template counts as a Pod. Why it matters: The sidecar injector reads annotations from the pod being created; anywhere else the annotation is silently ignored, and the setting you meant to apply never takes effect.",
            help: "Move the annotation to the resource it is meant for — for pod annotations, `spec.template.metadata.annotations` of the Deployment, StatefulSet, … — or remove it."
        ),
        "IST0108": RuleHelp(
            short: "an unknown `*.istio.io` annotation",
            full: "**What it means.** A resource (or a controller's pod template) carries an annotation in Istio's domain — its key's domain ends in `istio.io`, e.g. `sidecar.istio.io/…`, `proxy.istio.io/…`, `traffic.sidecar.istio.io/…` — that Istio does not know. meshc checks keys against the annotations Istio publishes (istio/api `annotation/annotations.gen.go`). Why it matters: Istio ignores annotations it does not know, without a word. A typo such as `sidecar.istio.io/proxyCPUs` leaves the sidecar at its defaults and nobody notices.",
            help: "Correct the spelling (the hint names the closest known annotation) or remove the annotation. See https://istio.io/latest/docs/reference/config/annotations/."
        ),
        "IST0109": RuleHelp(
            short: "two mesh-bound VirtualServices claim one host",
            full: "Two VirtualServices bound to the mesh (no `gateways`, or `mesh` among them) claim the same host, after FQDN resolution, in namespaces both are exported to. Each VirtualService is reported at the host it claims. Why it matters: Sidecars build one route table per host. With two VirtualServices for it, only one is applied, and which one is undefined: half of the intended routing silently disappears.",
            help: "Merge the routes into one VirtualService per host, or restrict one with `exportTo` so that the two are never visible to the same namespace, or bind one of them to a Gateway instead of the mesh."
        ),
        "IST0110": RuleHelp(
            short: "two Sidecars select the same workload",
            full: "Two or more Sidecar resources in one namespace have `workloadSelector`s that select the same workload (a Pod, or the pods of a Deployment, StatefulSet, … or a WorkloadEntry). Why it matters: A proxy takes exactly one Sidecar. When several select it, Istio picks one by creation time, so which egress hosts and ingress listeners a workload gets depends on apply order.",
            help: "Narrow the selectors so every workload is selected by one Sidecar, or merge the Sidecars. Each conflicting Sidecar is reported at its `workloadSelector.labels`, naming the shared workloads."
        ),
        "IST0111": RuleHelp(
            short: "more than one selector-less Sidecar in a namespace",
            full: "**What it means.** A namespace has more than one Sidecar without a `workloadSelector`; each one claims to be the namespace's default. Why it matters: Istio applies only one namespace-wide Sidecar; the others are silently ignored, so the effective egress configuration depends on which was created first.",
            help: "Keep a single selector-less Sidecar per namespace (merge the egress hosts into it) and give the others a `workloadSelector`. Every Sidecar of the group is reported at its `metadata.name`."
        ),
        "IST0112": RuleHelp(
            short: "destination service has several ports and none is chosen",
            full: "A destination (route, `mirror` or `mirrors`) names a Service or ServiceEntry with more than one port, and gives no `port.number`. Why it matters: Istio cannot tell which port the route is for; the behaviour is undefined and may change between versions or proxies.",
            help: "Add `port: {number: …}` to the destination, choosing one of the ports the service declares."
        ),
        "IST0116": RuleHelp(
            short: "one workload port carries different protocols across Services",
            full: "**What it means.** Several Services select one workload and reach the same workload port with different protocols. The protocol of a Service port is what Istio reads: the L4 `protocol` (UDP, SCTP), else `appProtocol`, else the name prefix (`http-…`, `grpc-…`, `tcp-…`); a name Istio cannot read counts as TCP. A named `targetPort` is resolved through the workload's container ports. Why it matters: The sidecar builds one inbound listener per workload port. If one Service calls it HTTP and another TCP, one of them is served with the wrong protocol: no HTTP routing, retries or metrics, or broken raw-TCP traffic. This is the seed's rule: a workload in several Services may not use different protocols on one port.",
            help: "Give every Service port that targets the workload port the same protocol prefix, `appProtocol` or `protocol`. Reported on the workload at its `metadata.name`, naming each Service port."
        ),
        "IST0118": RuleHelp(
            short: "a Service port name has no protocol prefix",
            full: "**What it means.** Istio cannot read a protocol from a Service port: its name is not `<protocol>` or `<protocol>-<suffix>` (http, http2, https, grpc, grpc-web, tcp, tls, udp, mongo, mysql, redis; case-insensitive) and it has no `appProtocol` Istio knows. An unknown `appProtocol` is reported too, since Istio reads it instead of the name. UDP/SCTP ports and the well-known ports 25, 53, 3306 and 27017 are fine. Why it matters: Istio falls back to protocol sniffing, which adds latency to server-first protocols and may treat HTTP as opaque TCP.",
            help: "Rename the port (`http-web`, `grpc-api`, `tcp-db`, …) or set `appProtocol`."
        ),
        "IST0125": RuleHelp(
            short: "an Istio annotation with a value the sidecar injector refuses",
            full: "A known Istio annotation, on a kind it applies to, has a value Istio's sidecar injector does not accept. The checks are the injector's own (istio `pkg/kube/inject/validate.go`): - `sidecar.istio.io/interceptionMode`: `REDIRECT`, `TPROXY` or `NONE`; - `status.sidecar.istio.io/port`: a port number; - `readiness.status.sidecar.istio.io/initialDelaySeconds`, `periodSeconds`, `failureThreshold`: a whole number; - `traffic.sidecar.istio.io/includeOutboundIPRanges` (or `*`) and `excludeOutboundIPRanges`: comma-separated CIDR blocks, without spaces; - `traffic.sidecar.istio.io/includeInboundPorts` (or `*`), `excludeInboundPorts` and `excludeOutboundPorts`: comma-separated port numbers; - `prometheus.istio.io/merge-metrics`: a boolean (`true`, `false`, `1`, `0`, …). Why it matters: The injector validates these annotations when the pod is created and fails the injection when one is invalid, so the pod does not come up as intended.",
            help: "Write the value as the message says (the hint gives an example)."
        ),
        "IST0127": RuleHelp(
            short: "a policy selector matches no workload",
            full: "**What it means.** A policy's selector matches no workload: an AuthorizationPolicy, PeerAuthentication or RequestAuthentication `selector.matchLabels`, or a DestinationRule `workloadSelector`, matches nothing in the policy's namespace (anything in the mesh when the policy is in the root namespace `istio-system`). A selector-less AuthorizationPolicy outside the root namespace is reported when its namespace has no workload. Why it matters: The policy does nothing — often a typo in a label, so the traffic you meant to restrict is not restricted.",
            help: "Fix the labels so they match the workload's pod labels, or move or remove the policy. Policies bound with `targetRef`/`targetRefs` are not checked."
        ),
        "IST0128": RuleHelp(
            short: "TLS SIMPLE/MUTUAL without caCertificates",
            full: "A DestinationRule's `trafficPolicy.tls` (or a subset's) originates TLS with mode `SIMPLE` or `MUTUAL` but sets neither `caCertificates` nor `credentialName`. Why it matters: The proxy verifies the server only against the public CAs of its host's system trust store (Istio's default since 1.20, and meshc's): any of them can issue a certificate for the name, and without `sni` the name checked is the request's host.",
            help: "Set `caCertificates` to the CA that signs the server's certificate (or `credentialName` to a secret that holds it). If no verification is really intended, say so with `insecureSkipVerify: true`."
        ),
        "IST0129": RuleHelp(
            short: "the same, in portLevelSettings",
            full: "Like IST0128, for one port: an entry of `trafficPolicy.portLevelSettings` originates TLS with mode `SIMPLE` or `MUTUAL` but sets neither `caCertificates` nor `credentialName`. Why it matters: The server on that port is verified only against the system's public CAs, any of which can vouch for it.",
            help: "Set `caCertificates` (or `credentialName`) in the port's `tls`; write `insecureSkipVerify: true` if skipping verification is meant."
        ),
        "IST0130": RuleHelp(
            short: "a route rule can never match",
            full: "A route rule of a VirtualService can never be used, because Envoy tries the rules in order and an earlier one always wins: - an earlier rule has no `match` (or a match that constrains nothing, such as `uri: {prefix: /}` alone), so it takes every request; or - every match of the rule is taken by matches of earlier rules (see IST0131). Both cases are checked for HTTP, TCP and TLS rules; a TCP or TLS match is covered by an earlier one when each attribute the earlier match sets (SNI hosts, destination subnets, port, source labels, gateways, source namespace, source subnet) is set to something it covers. Why it matters: The rule's routing, retries, faults and so on never happen, usually without anyone noticing.",
            help: "Order rules from the most specific to the most general; a rule without `match` belongs last. Remove rules that are really dead."
        ),
        "IST0131": RuleHelp(
            short: "a match is shadowed by an earlier one",
            full: "A match of a route rule never applies because a match of an earlier rule takes every request it would: an identical match, or a broader one (a shorter URI prefix, fewer headers, no method where this one has one, …). A match counts as covered only when each condition of the earlier match is implied by this one; regexes are compared for equality only. TCP and TLS rules are checked the same way against earlier rules of their kind (SNI hosts by wildcard, subnets and gateways as lists, source labels as a subset, port, source namespace and source subnet for equality). Why it matters: Requests the author meant for this rule go to the earlier one. When all of a rule's matches are covered, the whole rule is unreachable (IST0130).",
            help: "Move the narrower rule before the broader one, or remove the redundant match."
        ),
        "IST0132": RuleHelp(
            short: "a VirtualService host is not served by its Gateway",
            full: "A VirtualService is bound to a Gateway that serves none of its hosts. A server host limited to a namespace (`ns/host`, `./host`) only counts for VirtualServices in that namespace; `*/host` counts for all; wildcards such as `*.example.com` match. Reported at the `gateways` entry. meshc also reports, at the host, each host of a Gateway-only VirtualService that none of its Gateways serves. Why it matters: The Gateway never applies the VirtualService's routes for those hosts: requests get 404 at the ingress.",
            help: "Add the host to a server of the Gateway, bind the VirtualService to the Gateway that serves the host, or fix the host."
        ),
        "IST0134": RuleHelp(
            short: "TCP ServiceEntry port with no addresses",
            full: "**What it means.** A ServiceEntry has no `addresses` and a port whose protocol is TCP (any case) or unset. Why it matters: Without an address the sidecar can only match TCP traffic by port. Every such ServiceEntry on that port shares one listener, so traffic for one host may go to another.",
            help: "Add `spec.addresses` (the service's IP; a CIDR only with resolution NONE or STATIC), or use an HTTP, HTTPS or TLS protocol so Istio can route by host or SNI."
        ),
        "IST0135": RuleHelp(
            short: "an Istio annotation Istio has deprecated",
            full: "A resource (or a pod template) uses an Istio annotation that Istio's annotation metadata marks deprecated: `sidecar.istio.io/inject` (replaced by the label of the same name), `sidecar.istio.io/statsInclusionPrefixes`, `…Suffixes`, `…Regexps`, `sidecar.istio.io/extraStatTags`, `sidecar.istio.io/discoveryAddress`, `sidecar.istio.io/controlPlaneAuthPolicy`, and the `alpha.istio.io/…-serviceaccounts` annotations. Why it matters: A deprecated annotation may stop working in a later Istio release, typically at an upgrade of the control plane, without any error: the setting just stops applying.",
            help: "Replace it before upgrading. For `sidecar.istio.io/inject`, write the same key as a label (`metadata.labels`, or `spec.template.metadata.labels` for controllers). The stats annotations become `proxyStatsMatcher`, and `discoveryAddress` and `extraStatTags` fields of the same name, in the `proxy.istio.io/config` annotation. The others are removed. Istio's release notes name the replacements."
        ),
        "IST0136": RuleHelp(
            short: "an Istio annotation of an alpha-phase feature; off by default, as in istioctl (see its folder)",
            full: "A resource (or a pod template) uses an Istio annotation whose feature Istio's annotation metadata marks Alpha — most `sidecar.istio.io/…` and `traffic.sidecar.istio.io/…` settings, `networking.istio.io/exportTo`, and others. Not reported: `sidecar.istio.io/status`, and on pods and pod templates the four annotations the injector writes itself (`sidecar.istio.io/interceptionMode`, `traffic.sidecar.istio.io/includeInboundPorts`, `excludeInboundPorts`, `includeOutboundIPRanges`). Why it matters: Alpha features may be incompletely supported, and may change or disappear in a later Istio release without the usual deprecation period. Off by default: istioctl never runs this check: its `maturity.AlphaAnalyzer` is left out of the analyzers `istioctl analyze` runs (\"it results in too much noise for users, with annotations that are set by default\"), and no flag selects it. meshc does the same, so the same repository gives the same findings with both tools. Turn it on by enabling the code in the lint options (`meshc lint --enable IST0136`); the catalogue test enables it for this folder's examples.",
            help: "Where a Beta or Stable way exists, use it (for example `proxy.istio.io/config` for proxy settings it covers). Where you rely on the alpha feature deliberately, say so: suppress IST0136 for the resource with `galley.istio.io/analyze-suppress: IST0136` (as in passing.yaml) or `-S \"IST0136=Kind name.namespace\"`."
        ),
        "IST0137": RuleHelp(
            short: "Services map one targetPort to different ports",
            full: "**What it means.** Services that select one workload map the same `targetPort` (as written; the port number when absent) from different Service port numbers. Why it matters: The sidecar's inbound configuration is keyed by the workload port; two Service ports for it give conflicting settings and one of the Services loses.",
            help: "Use one Service port number for the same targetPort in every Service that selects the workload, or target different workload ports. Reported on the workload at its `metadata.name`."
        ),
        "IST0138": RuleHelp(
            short: "one certificate on several Gateways",
            full: "**What it means.** Two Gateways on the same gateway workload (the other Gateway's selector contains all of this one's labels) have TLS servers with the same certificate: the same `credentialName`, or no credentialName and the same `serverCertificate` and `privateKey`. Why it matters: Envoy builds one filter chain per certificate, so hosts of the second Gateway land on the first one's chain; with HTTP/2 connection reuse, requests reach the wrong routes or get 404s.",
            help: "Serve the hosts that share a certificate from one Gateway server, or give each Gateway its own certificate. Reported on each Gateway at the certificate field."
        ),
        "IST0140": RuleHelp(
            short: "subset routing in a mesh VirtualService does not reach ingress traffic",
            full: "A mesh VirtualService splits a host into subsets (canary, version pinning), but a Gateway-bound VirtualService routes to the same host without a subset. Reported on the Gateway-bound VirtualService, at the destination. Why it matters: Traffic entering through the Gateway is routed by the Gateway's VirtualService alone; the mesh VirtualService only applies to sidecars. Ingress traffic reaches every version, not the one the mesh rule chose.",
            help: "Route to the subset in the Gateway-bound VirtualService too, or add the Gateway to the mesh VirtualService's `gateways` (with `mesh`)."
        ),
        "IST0144": RuleHelp(
            short: "an application runs as UID 1337, the sidecar proxy's",
            full: "A Pod or pod template runs an application as user ID 1337: a pod-level `securityContext.runAsUser: 1337`, or the same on a container other than `istio-proxy`. Each occurrence is reported. Why it matters: 1337 is the sidecar proxy's user ID. The iptables rules Istio installs let outbound traffic from that user pass uncaptured, so the proxy does not intercept its own connections. An application running as 1337 calls other services around its sidecar: without mutual TLS (STRICT servers refuse it), routing rules or telemetry.",
            help: "Run the application as another user ID."
        ),
        "IST0145": RuleHelp(
            short: "Gateways with one selector and port and overlapping hosts",
            full: "**What it means.** Two Gateways with the same selector serve the same port number for overlapping hosts (wildcards included, `namespace/` prefixes ignored). Why it matters: The gateway proxy merges them into one listener; only one of the conflicting servers takes effect and the other Gateway's routes are dropped.",
            help: "Serve each host on a port from one Gateway, or use different selectors or ports. Reported on each Gateway at its first overlapping host."
        ),
        "IST0150": RuleHelp(
            short: "an ExternalName Service port named `tcp` or without a protocol",
            full: "A port of a Service of `type: ExternalName` is named exactly `tcp`, or Istio cannot read a protocol from it (a name without a known protocol prefix, no name, or an `appProtocol` Istio does not know). Why it matters: An ExternalName Service has no cluster IP, so the sidecar cannot tell its TCP traffic apart by destination address: TLS traffic is routed by SNI, HTTP by Host header, and plain or unidentified TCP traffic on the port may not be forwarded correctly.",
            help: "Name the port for its protocol: `https` or `tls` (or `https-<suffix>`, `tls-<suffix>`) for TLS traffic, `http` or `http-<suffix>` for HTTP."
        ),
        "IST0162": RuleHelp(
            short: "a Gateway port the gateway workload does not expose",
            full: "**What it means.** A Gateway server port is not exposed by any Service of the gateway workload the Gateway selects. A port passes when it is a Service `port` (the gateway listens on its targetPort) or a numeric `targetPort` of a TCP Service port. When no gateway workload is declared, meshc assumes Istio's `istio-system/istio-ingressgateway` with its default Service: 80→8080, 443→8443, 15021. Why it matters: The listener exists inside the gateway but no client can reach it through the Service.",
            help: "Use a port the gateway Service exposes, or add the port to the Service. A selector that matches no workload at all is reported as IST0101."
        ),
        "IST0166": RuleHelp(
            short: "a policy selector matches a Kubernetes Gateway's pods, where only targetRefs work",
            full: "An AuthorizationPolicy or RequestAuthentication without `targetRef`/`targetRefs` has a `selector` that matches the pods of a Kubernetes (Gateway API) Gateway — workloads labelled `gateway.networking.k8s.io/gateway-name` in the policy's namespace. Each Gateway is reported once. Why it matters: Istio attaches policies to Kubernetes Gateways through `targetRefs`; a workload selector on such a gateway is ineffective, so the gateway runs without the policy you meant for it.",
            help: "Replace the selector with `targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: <gateway>}]`."
        ),
        "IST0167": RuleHelp(
            short: "a Sidecar targets workloads in ambient mode",
            full: "A Sidecar resource can have no effect because the workloads it targets run in ambient mode: - a Sidecar without `workloadSelector` in a namespace whose manifest labels it `istio.io/dataplane-mode: ambient` (and not `istio-injection: enabled` or `istio.io/rev`); - a Sidecar whose `workloadSelector` selects a pod annotated `ambient.istio.io/redirection: enabled`. Such Sidecars are not also reported as IST0110 or IST0111. Why it matters: Ambient workloads have no sidecar proxy, so the Sidecar's egress, ingress and outbound traffic settings configure nothing. Often a leftover from moving a namespace to ambient mode.",
            help: "Remove the Sidecar, or target workloads that run a sidecar; if the namespace should use sidecars, label it `istio-injection: enabled` instead of ambient mode."
        ),
        "IST0173": RuleHelp(
            short: "a subset selects no workload",
            full: "A DestinationRule subset's labels, together with the Service's selector, select none of the Service's workloads. Checked for hosts that are Kubernetes Services whose selector picks at least one declared workload (Pod, Deployment and other controllers, WorkloadEntry). Why it matters: Traffic routed to the subset has no endpoint and fails with 503 \"no healthy upstream\".",
            help: "Make the subset's labels match the workloads' labels (often a `version` typo), or label the workloads, or remove the subset."
        ),
        "IST0174": RuleHelp(
            short: "a DestinationRule host matches no service",
            full: "A DestinationRule's `host`, resolved to an FQDN in the rule's namespace, matches no Service or ServiceEntry. A wildcard host counts when it covers at least one. Why it matters: The rule's load balancing, connection pool, TLS and subsets apply to nothing; a short name in the wrong namespace is the usual cause.",
            help: "Correct the host (use the FQDN for a Service in another namespace), or declare the Service or ServiceEntry it is meant for."
        ),
        "MSH0001": RuleHelp(
            short: "the file is not valid YAML (or JSON)",
            full: "The file is not well-formed YAML (or JSON): an unclosed bracket, a tab used for indentation, bytes that are not UTF-8, an alias naming no anchor, a truncated document. meshc reads the documents before the error and skips the rest of the file, so nothing after it is checked. Why it matters: `kubectl apply` and Istio reject the whole file; a reconciler must never push part of it.",
            help: "Go to the line and column given; the message is libyaml's own (\"found character that cannot start any token\", \"did not find expected ',' or ']'\"). Indent with spaces, close what was opened, save as UTF-8."
        ),
        "MSH0002": RuleHelp(
            short: "a mapping has the same key twice",
            full: "A mapping names the same key twice. YAML forbids it, Kubernetes' reader rejects it, and tools that accept it disagree about which value wins — so what you review is not what runs.",
            help: "Keep one of the two keys; the message names the line of the first."
        ),
        "MSH0003": RuleHelp(
            short: "the input passes one of the limits below",
            full: "The input is larger or deeper than any real manifest: a file over 16 MiB, more than 10,000 documents in one file, nesting deeper than 256 levels, or aliases that expand one document past 1,000,000 nodes (a \"billion laughs\" alias bomb). meshc stops reading the file instead of exhausting memory.",
            help: "Split very large files; write aliased values out. If the file is legitimate, raise `--max-file-size` or `--max-documents`."
        ),
        "MSH0004": RuleHelp(
            short: "a kind meshc does not know; the document is skipped",
            full: "A document's kind is not one meshc checks (a HorizontalPodAutoscaler, a Kubernetes Gateway API HTTPRoute, a CRD of your own). It is skipped, never an error, so repositories can mix meshc's kinds with everything else.",
            help: "Nothing, if that is intended. If you meant an Istio kind, check the spelling of `kind` and the API group in `apiVersion`."
        ),
        "MSH0005": RuleHelp(
            short: "a document without `apiVersion`, `kind` or `metadata.name`",
            full: "A document is not a Kubernetes object: it is not a mapping, or it has no `kind`, or no `metadata.name`. Nothing can refer to it, suppress it or plan it.",
            help: "Give every document `apiVersion`, `kind` and `metadata.name`; delete stray documents (a lone string between `---` separators)."
        ),
        "MSH0006": RuleHelp(
            short: "two manifests with the same kind, namespace and name",
            full: "**What it means.** The same kind, namespace and name is declared more than once in the linted files (Namespaces by name alone). Why it matters: `kubectl apply` keeps only the last copy; the other is silently lost, and meshc's own analysis would see two objects where the cluster has one.",
            help: "Remove one copy or rename it. The first declaration (by file, then position) stands; each later one is reported at its `metadata.name` with the first one's file:line."
        ),
        "MSH0007": RuleHelp(
            short: "a workload (WorkloadEntry, Pod, pod template) lacks the `app` or `version` label",
            full: "**What it means.** A workload — a Pod, the pod template of a Deployment, StatefulSet, DaemonSet, ReplicaSet or Job, or a WorkloadEntry — lacks the `app` or the `version` label. `app.kubernetes.io/name` / `app.kubernetes.io/version` and `service.istio.io/canonical-name` / `canonical-revision` count as well. Why it matters: Istio names a workload's service and version in metrics and traces from these labels, and DestinationRule subsets usually select on `version`; without them telemetry shows `unknown` and version-based routing has nothing to select.",
            help: "Add `app: <service name>` and `version: <version>` to the pod labels. Gateways (workloads labelled `istio`) and the Kubernetes system namespaces are not checked."
        ),
        "MSH0008": RuleHelp(
            short: "a sidecar port is STRICT mutual TLS while workloads without a sidecar may call it",
            full: "A port of a declared sidecar (kind: Proxy, role: sidecar) is STRICT after PeerAuthentication, while the repository has WorkloadEntries that no sidecar fronts. Why it matters: under STRICT the sidecar accepts only mesh mutual TLS; a workload without a sidecar has no certificate and sends plain text, so every connection it makes to that port is refused.",
            help: "Declare a sidecar for the plain-text workloads (kind: Proxy, role: sidecar, workload: naming them) and send their traffic through it, or keep the port PERMISSIVE until every client has one; Istio's migration path is PERMISSIVE first, STRICT last."
        ),
        "MSH0009": RuleHelp(
            short: "an AuthorizationPolicy principal names a service account no workload runs as",
            full: "A principal of the mesh's trust domain (cluster.local/ns/<namespace>/sa/<service account>) in from.source.principals or notPrincipals names an identity no WorkloadEntry, Proxy or workload of the repository has. Why it matters: principals are compared as exact strings with the caller's certificate; a typo in an ALLOW rule admits nobody, in a DENY rule stops nobody.",
            help: "Use the identity the caller runs as: its WorkloadEntry's serviceAccount (or its Proxy's), in its namespace. Wildcards (prefix*, *suffix) are not checked."
        ),
        "MSH0010": RuleHelp(
            short: "an AuthorizationPolicy names callers by identity on a workload that takes plain text",
            full: "A rule matches principals, namespaces or service accounts (or source.principal / source.namespace in when) and applies to a workload that takes plain text: the repository has no PeerAuthentication (meshc then builds no mesh mutual TLS) or the workload's mode is DISABLE. Why it matters: identities come from the caller's mTLS certificate; without one an ALLOW rule never matches and a DENY rule never denies.",
            help: "Add a PeerAuthentication (STRICT, or PERMISSIVE while migrating) for the workload so callers present certificates, or match callers by ipBlocks instead."
        ),
        "IST0157": RuleHelp(
            short: "a Telemetry access logging entry names no provider and the mesh has no default one",
            full: "A Telemetry's accessLogging entry has no providers, and no kind: MeshConfig declares defaultProviders.accessLogging. Why it matters: Istio ignores such an entry, so no access log is switched on or off by it although the manifest reads as if it were.",
            help: "Name a provider (envoy, Istio's built-in file logger, or one of the MeshConfig's extensionProviders), or declare defaultProviders.accessLogging in the MeshConfig."
        ),
        "IST0159": RuleHelp(
            short: "two Telemetries select the same workload",
            full: "Telemetries of one namespace whose selectors pick the same workload. Why it matters: Istio applies one workload-level Telemetry per workload and which one wins is not defined, so the workload's access logging or tracing depends on creation order.",
            help: "Narrow the selectors so each workload is selected by one Telemetry, or merge the Telemetries."
        ),
        "IST0160": RuleHelp(
            short: "a namespace has more than one Telemetry without a selector",
            full: "More than one Telemetry without a selector in one namespace (in the root namespace: more than one mesh-wide Telemetry). Why it matters: Istio applies only one of them, so the namespace's access logging and tracing are not defined; meshc builds the first in file order.",
            help: "Keep one selector-less Telemetry per namespace and give the others a selector."
        ),
        "MSH0013": RuleHelp(
            short: "a VirtualService's rules are unreachable behind another merged first on the same Gateway and host",
            full: "VirtualServices bound to one Gateway for one host are merged into one virtual host, their rules in the documented order (file path, then position; Istio orders by creation time). A rule of an earlier VirtualService with no match, or a match that constrains nothing, takes every request, so no rule of the later one is ever reached. IST0131 reports this inside one VirtualService; this is the same across VirtualServices.",
            help: "Give the earlier catch-all rule a match (a path prefix, a header), merge the rules into one VirtualService with the catch-all last, or serve the later one under a different host."
        ),
        "MSH0012": RuleHelp(
            short: "an AuthorizationPolicy or Telemetry names an extension provider no MeshConfig declares",
            full: "An AuthorizationPolicy with action CUSTOM names provider.name, but no kind: MeshConfig of the repository declares that name in extensionProviders with envoyExtAuthzHttp (meshc builds HTTP ext_authz providers); or a Telemetry names a provider (accessLogging, tracing, metrics) no MeshConfig declares (envoy, the built-in access log, and prometheus for metrics excepted). Why it matters: the requests a CUSTOM policy's rules match cannot be sent to the service, so meshc fails closed and denies them, like Istio; a Telemetry's logs or spans go nowhere.",
            help: "Declare the provider in a MeshConfig (meshc.dev/v1alpha1, in the root namespace) under spec.extensionProviders with envoyExtAuthzHttp (service, port), or fix the name."
        ),
        "MSH0011": RuleHelp(
            short: "an AuthorizationPolicy rule uses HTTP-only fields on a TCP port",
            full: "A rule uses hosts, methods, paths, requestPrincipals or request.* conditions and the policy applies to a gateway with a TCP server. Istio's semantics there: for ALLOW the rule is dropped (it allows no connection), for DENY (and AUDIT) the rule is applied without those fields, so it refuses every connection matching the rest. meshc compiles the same.",
            help: "Limit the rule to the HTTP ports with to.operation.ports, or write a separate policy for the TCP port with TCP fields only (ports, ipBlocks, principals, namespaces)."
        ),
        "IST0002": RuleHelp(
            short: "a deprecated Istio field istioctl reports (`fault.delay.percent`, a Sidecar `egressProxy`)",
            full: "An Istio resource uses a field that istioctl's deprecation analyzer reports: - a VirtualService HTTP route's `fault.delay.percent` (an integer, deprecated since `percentage`, a fraction, replaced it); - a Sidecar's `outboundTrafficPolicy.egressProxy`, which Istio ignores. Why it matters: `percent` still works today but may go in a later Istio release; an `egressProxy` does nothing at all, so traffic you meant to send through a proxy leaves the mesh directly (ALLOW_ANY).",
            help: "Write `percentage: {value: 10}` instead of `percent: 10`. Remove `egressProxy`, and send external hosts through an egress gateway (a ServiceEntry, a Gateway and a VirtualService), as in `samples/s8-egress`."
        ),
        "IST0123": RuleHelp(
            short: "a Namespace carries both `istio-injection` and `istio.io/rev`",
            full: "A Namespace carries both injection labels: `istio-injection` (with any value) and `istio.io/rev`. `istio-system` and the Kubernetes system namespaces are not checked. Why it matters: The two labels select different injector webhooks (the default revision's and a revision's). Which one injects the namespace's pods, and with which proxy version, depends on how the webhooks are installed rather than on what the namespace says: during a revision upgrade the pods may keep the old proxy, or be injected twice over.",
            help: "Keep one label: `istio.io/rev: <revision>` when you run revisioned control planes (canary upgrades), `istio-injection: enabled` otherwise. Reported at the `istio-injection` label."
        ),
        "IST0133": RuleHelp(
            short: "Istio's validation accepts the resource with a warning (a deprecated or ignored field, a selector without labels, …)",
            full: "A resource passes Istio's validation with a warning: `kubectl apply` prints it, istiod accepts the resource, and istioctl analyze reports it as IST0133. meshc reports Istio's warnings for the fields it reads: - Gateway: `tls.httpsRedirect` on a server that is not plain HTTP; `minProtocolVersion` TLSV1_0 or TLSV1_1 without `cipherSuites`; certificates on a PASSTHROUGH or AUTO_PASSTHROUGH server (ignored); more than two `tlsCertificates`; - Sidecar: a `workloadSelector` without labels (the Sidecar applies to the whole namespace); an egress host listed twice, or with `<namespace>/*` beside hosts of that namespace; `*/*` beside other hosts; - VirtualService: a gateway named `name.namespace` (the legacy form); the deprecated `mirrorPercent`; a `directResponse` body over 100 KB; an IP address as a TLS `sniHosts` entry; a fault `abort` without `httpStatus` or `grpcStatus` (it aborts nothing); - DestinationRule: the deprecated `outlierDetection.consecutiveErrors` and `consistentHash.minimumRingSize`; a `workloadSelector` without `matchLabels`; - ServiceEntry: a `workloadSelector` without labels, or any `workloadSelector` with resolution NONE; - WorkloadEntry (and STATIC ServiceEntry endpoints): no `address` but a `network`; - AuthorizationPolicy, RequestAuthentication, PeerAuthentication: a `selector` without `matchLabels`. Why it matters: Each of these does something other than it seems to: the field is deprecated and may stop working, is ignored, or applies more widely than written.",
            help: "Each message says what to write instead (`mirrorPercentage`, `consecutive5xxErrors`, `default/bookinfo`, one entry per host…); passing.yaml shows the failing resources written without warnings."
        ),
        "IST0146": RuleHelp(
            short: "a pod template's `istio-proxy` container has `image: auto` but no injector webhook selects its pods",
            full: "A Deployment (or another pod template: StatefulSet, DaemonSet, ReplicaSet, Job) has an `istio-proxy` container with `image: auto`, but no Istio injector webhook selects its pods. `auto` is a placeholder the sidecar injector replaces with the proxy image; it is the usual way to deploy gateways. A webhook selects the pods when its `namespaceSelector` matches the labels of the Namespace manifest and its `objectSelector` the pod template's labels. meshc uses the repository's MutatingWebhookConfigurations whose webhook names end in `istio.io`; without any, it assumes the webhooks Istio installs for its default revision: `istio-injection: enabled` on the namespace, `istio.io/rev: <any revision>` on the namespace or the pod, or `sidecar.istio.io/inject: \"true\"` on the pod in a namespace without injection labels (and, when the `istio-sidecar-injector` ConfigMap says `enableNamespacesByDefault: true`, any namespace not labelled `istio-injection: disabled`). A pod labelled `sidecar.istio.io/inject: \"false\"` is never selected. Why it matters: Without injection the placeholder stays: the pods try to pull an image called `auto` and never start (ImagePullBackOff).",
            help: "Enable injection for the pods: label the Namespace `istio-injection: enabled`, or the pod template `sidecar.istio.io/inject: \"true\"`. With revisions, use `istio.io/rev: <revision>`."
        ),
        "IST0147": RuleHelp(
            short: "the same for a Pod",
            full: "A Pod has an `istio-proxy` container with `image: auto`, but no Istio injector webhook selects it, so nothing replaces the placeholder. Which webhooks select which pods is explained in [IST0146](../IST0146-ImageAutoWithoutInjectionWarning/README.md), the same check for pod templates. Why it matters: The pod tries to pull an image called `auto` and never starts.",
            help: "Label the Namespace `istio-injection: enabled` (`istio.io/rev: <revision>` with revisions), or the Pod `sidecar.istio.io/inject: \"true\"`, and create the Pod again."
        ),
        "IST0148": RuleHelp(
            short: "a Namespace without injection label is injected anyway: the injector ConfigMap says `enableNamespacesByDefault`",
            full: "Istio was installed with `sidecarInjectorWebhook.enableNamespacesByDefault: true`, and a Namespace holding workloads carries neither `istio-injection` nor `istio.io/rev`. With that setting the injector takes every namespace that does not opt out, so this one *is* injected. meshc reads the setting from the injector's ConfigMap in the repository: `istio-sidecar-injector` (the `values` key holds the Helm values the injector was installed with, as JSON; `istioctl manifest generate` and `helm template` write it). Without that ConfigMap, or with the setting false, such a namespace is IST0102 instead. Why it matters: Nothing is broken: it is information. The namespace's pods get a sidecar although the namespace does not say so, which surprises whoever reads the manifests, and moving the same manifests to a cluster installed without the setting silently takes them out of the mesh.",
            help: "If the pods should be in the mesh, say so with `istio-injection: enabled` (or `istio.io/rev: <revision>`). If they should not, label the namespace `istio-injection: disabled`."
        ),
        "IST0149": RuleHelp(
            short: "a VirtualService routes on a JWT claim through a gateway no RequestAuthentication applies to",
            full: "A VirtualService bound to a Gateway routes on a JWT claim (a header match whose key starts with `@request.auth.claims.`), but no RequestAuthentication applies to the gateway's workload: none in the root namespace (`istio-system`) or in the workload's namespace has a selector matching its labels (a RequestAuthentication without `selector` applies to every workload of its namespace). Each gateway workload the Gateway's selector matches, in any namespace, is checked — the implicit `istio-ingressgateway` too. Why it matters: Claims are only available once the gateway has validated the token, which a RequestAuthentication tells it to do. Without one the claim is never set, and the claim-based rules never match: the requests take the next rule.",
            help: "Add a RequestAuthentication for the gateway workload (in its namespace, or in the root namespace) with the issuer of the tokens, as in passing.yaml. Reported at the claim's header key, once per gateway workload."
        ),
        "IST0161": RuleHelp(
            short: "a Gateway `credentialName` Secret names no certificate and key, or no client CA for MUTUAL",
            full: "A Gateway server's `tls.credentialName` names a Secret that exists but cannot be the server's credential: - a SIMPLE, MUTUAL or OPTIONAL_MUTUAL server's Secret names no certificate and key — no `meshc.dev/certificate-files: <certificate chain path>,<private key path>` (a `kubernetes.io/tls` Secret without it is also IST0106 on the Secret; an `Opaque` one, such as a CA-only Secret named by mistake, is only this); - a MUTUAL or OPTIONAL_MUTUAL server has no client CA: neither the Secret's `meshc.dev/ca-certificate-file`, nor a `<credentialName>-cacert` Secret's, nor the server's `caCertificates`. The Secret is looked up in the Gateway's namespace, as `meshc build` does. Why it matters: The gateway has nothing to serve TLS with, or no way to verify client certificates: `meshc build` leaves the server out (its hosts are not served on that port), and Istio's gateway serves no listener for it.",
            help: "Name the Secret that holds the certificate files, or annotate this one with `meshc.dev/certificate-files`; for MUTUAL add `meshc.dev/ca-certificate-file` (or a `<credentialName>-cacert` Secret with it), as in passing.yaml."
        ),
        "IST0165": RuleHelp(
            short: "a VirtualService names a Gateway Istio generates for a Kubernetes Gateway API Gateway",
            full: "A VirtualService's `gateways` names a Gateway Istio generates internally from a Kubernetes Gateway API Gateway: its name holds `-istio-autogenerated-k8s-gateway-` (or, in newer Istio, `~istio-autogenerated-k8s-gateway~`), as in `istio-system/gateway-istio-autogenerated-k8s-gateway-default`. Why it matters: Such Gateways are Istio's implementation detail: they are not in the repository, their names can change between Istio releases, and Istio does not support binding VirtualServices to them. The routes may stop applying after an upgrade.",
            help: "Attach an HTTPRoute to the Kubernetes Gateway API Gateway instead, or declare an Istio Gateway and name it in the VirtualService, as in passing.yaml."
        ),
        "IST0175": RuleHelp(
            short: "a repository's istiod lacks `BLOCKED_CIDRS_IN_JWKS_URIS` while RequestAuthentications exist",
            full: "The repository deploys istiod — a Deployment labelled `app: istiod`, as Istio's charts and `istioctl manifest generate` write it — whose containers do not set `BLOCKED_CIDRS_IN_JWKS_URIS`, while RequestAuthentications exist. It is reported on each such Deployment, listing up to five RequestAuthentications. Why it matters: istiod fetches the JSON Web Key Set of every RequestAuthentication's `jwksUri`. Without `BLOCKED_CIDRS_IN_JWKS_URIS` it connects to any address, internal ones included, so whoever may create a RequestAuthentication can make istiod send requests to internal services or a cloud metadata endpoint (server-side request forgery).",
            help: "Set `BLOCKED_CIDRS_IN_JWKS_URIS` on istiod to the comma-separated CIDR ranges it must not connect to, for example `10.0.0.0/8,169.254.169.254/32` (IstioOperator `values.pilot.env`, Helm `pilot.env`), as in passing.yaml."
        ),
        "IST0177": RuleHelp(
            short: "ServiceEntries visible in one namespace give a host and port different protocols",
            full: "Two or more ServiceEntries visible in the same namespace declare the same host and port with different protocols (compared without case; a port without `protocol` counts as a protocol of its own). Visibility follows `exportTo`: none or `*` is every namespace, `.` the entry's own namespace, and an entry visible everywhere meets every other one. Each ServiceEntry involved is reported once, at its name. Why it matters: Istio builds one listener and one cluster per host and port, so it uses only one of the protocols: traffic may be handled as HTTP when it is TLS, or the other way round, and fail in ways that depend on which entry Istio picked.",
            help: "Use the same protocol for the port in every ServiceEntry, declare the host in one ServiceEntry, or keep the entries apart with `exportTo`, as in passing.yaml."
        ),
    ]
}
