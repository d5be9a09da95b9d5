/// Small clean manifests shared by the lint tests.
enum Manifests {
    static let service = """
    apiVersion: v1
    kind: Service
    metadata:
      name: web
      namespace: default
    spec:
      selector:
        app: web
      ports:
      - name: http
        port: 80
        targetPort: 8080
    """

    static let workload = """
    apiVersion: networking.istio.io/v1
    kind: WorkloadEntry
    metadata:
      name: web-v1
      namespace: default
    spec:
      address: 127.0.0.1
      labels:
        app: web
        version: v1
      ports:
        http: 8080
    """

    static let routeToMissingHost = """
    apiVersion: networking.istio.io/v1
    kind: VirtualService
    metadata:
      name: web
      namespace: default
    spec:
      hosts:
      - web
      http:
      - route:
        - destination:
            host: nowhere
    """
}
