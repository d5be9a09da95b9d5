/// Small manifests for the tests.
enum Manifest {
    static func service(_ name: String, port: Int = 80, portName: String = "http") -> String {
        """
        apiVersion: v1
        kind: Service
        metadata:
          name: \(name)
          namespace: default
        spec:
          selector:
            app: \(name)
          ports:
          - name: \(portName)
            port: \(port)

        """
    }
}
