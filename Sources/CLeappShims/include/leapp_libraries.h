// The one list of the shared libraries leapp opens with dlopen, by soname, in the order
// tried. Read by the loader (loader.c), by `leapp doctor` (leapp_library_sonames) and by
// `make release`, which drops the link-time DT_NEEDED entries these and LEAPP_LINKED_ONLY
// name (SwiftPM adds pkg-config's -l flags; nothing references them).
#ifndef LEAPP_LIBRARIES_H
#define LEAPP_LIBRARIES_H

#define LEAPP_SONAMES_CURL "libcurl.so.4", "libcurl-gnutls.so.4", "libcurl.so"
// libxml2 2.14 renamed its soname to libxml2.so.16.
#define LEAPP_SONAMES_XML "libxml2.so.2", "libxml2.so.16", "libxml2.so"
#define LEAPP_SONAMES_SECRET "libsecret-1.so.0", "libsecret-1.so"
// Linked only because libsecret's pkg-config names them; libsecret loads them itself.
#define LEAPP_LINKED_ONLY "libgio-2.0.so.0", "libgobject-2.0.so.0", "libglib-2.0.so.0"

#endif
