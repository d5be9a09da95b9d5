import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes whole strings to standard output and error, unbuffered by Swift.
enum FileHandleOutput {
    static func standardOutput(_ text: String) { write(1, text) }

    static func standardError(_ text: String) {
        write(2, text.hasSuffix("\n") ? text : text + "\n")
    }

    private static func write(_ fd: Int32, _ text: String) {
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if n <= 0 { return }
                offset += n
            }
        }
    }
}

extension ParsableCommand {
    /// Prints `message` as ArgumentParser prints a usage error, with this
    /// command's usage line, and returns the exit to throw (2; `meshc plan`
    /// gives 1). For checks made in `run()`: ArgumentParser runs
    /// `validate()` before it names an unknown option, so a check there that
    /// fails on a bare `meshc build --bogus` would hide the real mistake.
    static func usageError(_ message: String, exitCode: Int32 = 2) -> ExitCode {
        FileHandleOutput.standardError("Error: \(message)\nUsage: \(Meshc.usageString(for: self))\n  See 'meshc \(_commandName) --help' for more information.")
        return ExitCode(exitCode)
    }
}
