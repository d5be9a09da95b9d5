import ArgumentParser
import MeshCompile
import MeshLint
import MeshModel
import MeshYAML

/// Lint, then compile: what `build`, `route` and `plan` share. Prints
/// diagnostics and errors as `command` and throws the exit code.
enum ManifestCompiler {
    static func compile(paths: [String], options: CompileOptions, command: String) throws -> CompileResult {
        let resources: [Resource]
        do {
            switch try Manifests.load(paths) {
            case .resources(let decoded): resources = decoded
            case .lintErrors(let report):
                Manifests.reportLintErrors(report, command: command, consequence: "nothing done", findingsToStandardError: false)
                throw ExitCode(1)
            }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            FileHandleOutput.standardError("meshc \(command): \(error)")
            throw ExitCode(2)
        }
        let result = Compiler.compile(resources, options: options)
        let built = Set(result.proxies.map(\.name))
        let missing = (options.proxies ?? []).filter { !built.contains($0) }.sorted()
        if !missing.isEmpty {
            var all = options
            all.proxies = nil
            let known = Compiler.compile(resources, options: all).proxies.map(\.name)
            FileHandleOutput.standardError("meshc \(command): no proxy named \(missing.joined(separator: ", ")); the manifests give: \(known.joined(separator: ", "))")
            throw ExitCode(2)
        }
        return result
    }
}
