// Library loading for the C seam (loader.h): one place opens, resolves and reports.
#define _GNU_SOURCE
#include "loader.h"
#include "CLeappShims.h"
#include "leapp_libraries.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int leapp_open_library(leapp_library *lib) {
    for (const char *const *n = lib->names; *n; n++) {
        lib->handle = dlopen(*n, RTLD_NOW | RTLD_LOCAL);
        if (lib->handle) {
            lib->ready = 1;
            return 1;
        }
    }
    const char *e = dlerror();
    snprintf(lib->error, sizeof lib->error, "%s (tried %s%s)", e ? e : "cannot load library", lib->names[0],
             lib->names[1] ? " and others" : "");
    return 0;
}

void *leapp_require_symbol(leapp_library *lib, const char *name) {
    void *p = lib->handle ? dlsym(lib->handle, name) : NULL;
    if (!p) {
        snprintf(lib->error, sizeof lib->error, "%s has no %s (too old a version?)", lib->names[0], name);
        lib->ready = 0;
    }
    return p;
}

char *leapp_concat(const char *a, const char *b) {
    size_t la = a ? strlen(a) : 0, lb = b ? strlen(b) : 0;
    char *s = malloc(la + lb + 1);
    if (!s) return NULL;
    if (la) memcpy(s, a, la);
    if (lb) memcpy(s + la, b, lb);
    s[la + lb] = 0;
    return s;
}

char *leapp_strdup(const char *s) { return strdup(s ? s : ""); }

static const char *const curl_sonames[] = {LEAPP_SONAMES_CURL, NULL};
static const char *const xml_sonames[] = {LEAPP_SONAMES_XML, NULL};
static const char *const secret_sonames[] = {LEAPP_SONAMES_SECRET, NULL};

const char *const *leapp_library_sonames(int library) {
    switch (library) {
    case LEAPP_LIBRARY_CURL: return curl_sonames;
    case LEAPP_LIBRARY_XML: return xml_sonames;
    case LEAPP_LIBRARY_SECRET: return secret_sonames;
    default: return NULL;
    }
}
