import Foundation

/// The context files a lint run reads beside its targets: all but the
/// targets themselves, so no resource is reported as a duplicate of itself.
/// A context file is a target when it has the target's path, or, for bytes
/// read from standard input, the same content
/// (`cat mesh/vs.yaml | meshc lint --context mesh -`). Standard input named
/// with `--stdin-name` matches by path too, even when its content differs
/// (`git show HEAD:mesh/vs.yaml | meshc lint --context mesh --stdin-name mesh/vs.yaml -`).
enum ContextFiles {
    /// `context` without the files that are one of `targets`, in order.
    static func excludingTargets(_ targets: [LintSource], from context: [LintSource]) -> [LintSource] {
        let names = Set(targets.map { SourceFiles.normalize($0.name) })
        let streams: [[UInt8]] = targets.compactMap { target in
            if case .bytes(let bytes, _) = target { return bytes }
            return nil
        }
        let sizes = Set(streams.map(\.count))
        return context.filter { source in
            if names.contains(SourceFiles.normalize(source.name)) { return false }
            guard !streams.isEmpty, case .file(let path) = source, let size = fileSize(path), sizes.contains(size),
                  let data = FileManager.default.contents(atPath: path) else { return true }
            return !streams.contains { $0.elementsEqual(data) }
        }
    }

    private static func fileSize(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.size].flatMap { ($0 as? NSNumber)?.intValue }
    }
}
