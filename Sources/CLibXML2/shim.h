#ifndef MLGATE_CLIBXML2_SHIM_H
#define MLGATE_CLIBXML2_SHIM_H
/* xmlversion.h first, then drop ICU: Debian's libxml2 pulls in system ICU headers that clash
   with Foundation's bundled ICU (swiftlang/swift#88485). Never touch xmlCharEncodingHandler. */
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlwriter.h>

/* xmlFree is a global function-pointer variable: Swift 6 refuses to touch it. */
static inline void cxml_free(void *p) { xmlFree(p); }

/* The thread-local structured error handler (macros over __xmlStructuredError*() in threaded
   builds), read so that a temporary handler can be installed and the previous one restored. */
static inline xmlStructuredErrorFunc cxml_structured_error_func(void) {
  return xmlStructuredError;
}
static inline void *cxml_structured_error_context(void) { return xmlStructuredErrorContext; }
#endif
