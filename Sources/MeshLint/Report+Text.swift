import MeshDiagnostics

extension LintReport {
    /// One line per finding, `file:line:col: severity CODE Name: message`,
    /// the shape editors and CI log parsers link.
    package func text(minimum: Severity = .info) -> String {
        var out = ""
        for d in diagnostics where d.severity >= minimum {
            out += "\(d.file):\(d.mark.line):\(d.mark.column): \(d.severity) \(d.code.id) \(d.code.name): \(d.fullMessage)\n"
        }
        return out
    }

    /// `2 errors, 1 warning, 0 infos in 3 files (12 resources)`, then
    /// `; 2 documents skipped: not Kubernetes manifests` when some were.
    package var summaryLine: String {
        func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        let counts = "\(plural(count(.error), "error")), \(plural(count(.warning), "warning")), \(plural(count(.info), "info")) "
            + "in \(plural(fileCount, "file")) (\(plural(resourceCount, "resource")))"
        return skipped.isEmpty ? counts : counts + "; \(plural(skipped.count, "document")) skipped: not Kubernetes manifests"
    }

    /// One line per skipped document (`--show-skipped`).
    package var skippedText: String {
        skipped.map { $0.line + "\n" }.joined()
    }
}
