import CTSCLI

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

exit(CTS.run(arguments: Array(CommandLine.arguments.dropFirst())))
