#ifndef MLGATE_CCURL_SHIM_H
#define MLGATE_CCURL_SHIM_H
#include <curl/curl.h>
#include <dlfcn.h>
#include <stdint.h>

/* curl_easy_setopt and friends are variadic: Swift cannot call them. One typed wrapper per kind. */
static inline CURLcode ccurl_easy_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_easy_setopt_off_t(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_easy_setopt_string(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_easy_setopt_pointer(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_easy_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }
typedef size_t (*ccurl_data_callback)(char *, size_t, size_t, void *);
static inline CURLcode ccurl_easy_setopt_data_callback(CURL *h, CURLoption o, ccurl_data_callback f) { return curl_easy_setopt(h, o, f); }
static inline CURLcode ccurl_easy_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode ccurl_easy_getinfo_double(CURL *h, CURLINFO i, double *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode ccurl_easy_getinfo_off_t(CURL *h, CURLINFO i, curl_off_t *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode ccurl_easy_getinfo_pointer(CURL *h, CURLINFO i, void **v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode ccurl_easy_getinfo_string(CURL *h, CURLINFO i, char **v) { return curl_easy_getinfo(h, i, v); }
static inline CURLMcode ccurl_multi_setopt_long(CURLM *m, CURLMoption o, long v) { return curl_multi_setopt(m, o, v); }
/* CURLMsg.data is a union Swift cannot read. */
static inline CURLcode ccurl_msg_result(const CURLMsg *m) { return m->data.result; }
/* OpenSSL 3 registers an atexit cleanup that can race frees on other threads at process exit
   (swift-corelibs-foundation#5469). Opt out before curl_global_init; a no-op without OpenSSL. */
static inline void ccurl_openssl_no_atexit(void) {
  void *self = dlopen(NULL, RTLD_LAZY);
  if (self == NULL) return;
  int (*init_crypto)(uint64_t, const void *) =
      (int (*)(uint64_t, const void *))dlsym(self, "OPENSSL_init_crypto");
  if (init_crypto != NULL) init_crypto(0x00080000ULL /* OPENSSL_INIT_NO_ATEXIT */, NULL);
  dlclose(self);
}
/* CURL_GLOBAL_ALL is a macro expression; give Swift a plain value. */
static inline long ccurl_global_all(void) { return CURL_GLOBAL_ALL; }
#endif
