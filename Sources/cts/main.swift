#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CTSCLI

exit(CTS.run(arguments: Array(CommandLine.arguments.dropFirst())))
