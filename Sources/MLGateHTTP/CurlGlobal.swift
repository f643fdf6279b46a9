internal import CCurl

#if canImport(Glibc)
  import Glibc
#endif

/// The process-wide libcurl initialisation, run once on first use.
enum CurlGlobal {
  /// The `CURLcode` of `curl_global_init`; `0` on success.
  ///
  /// A `static let` runs its initialiser exactly once, thread-safely. OpenSSL's exit-time
  /// cleanup is switched off first so that it cannot race a loop thread still winding down.
  /// SIGPIPE is ignored: with `CURLOPT_NOSIGNAL` a write to a connection the peer closed (in
  /// OpenSSL, for one) would otherwise kill the process; the write fails with EPIPE instead.
  static let initResult: Int = {
    signal(SIGPIPE, SIG_IGN)
    ccurl_openssl_no_atexit()
    return Int(curl_global_init(ccurl_global_all()).rawValue)
  }()

  /// Whether libcurl initialised.
  static var isReady: Bool { initResult == 0 }
}
