// Internal to the C seam: opening a library and resolving its functions, checked.
#ifndef LEAPP_LOADER_H
#define LEAPP_LOADER_H

#include <pthread.h>
#include <stddef.h>

typedef struct leapp_library {
    const char *const *names;  // sonames, tried in order (leapp_libraries.h)
    void *handle;
    int ready;                 // opened, and every required symbol resolved
    char error[256];           // why not, for "cannot load libX: ..."
} leapp_library;

// Opens the first soname that loads. 0 with lib->error set when none does.
int leapp_open_library(leapp_library *lib);
// A symbol of an opened library; NULL with lib->error naming it (and ready cleared).
void *leapp_require_symbol(leapp_library *lib, const char *name);
// "a" followed by "b" in new memory (either may be NULL); NULL when out of memory.
char *leapp_concat(const char *a, const char *b);
// strdup that gives "" instead of NULL for NULL, and NULL only when out of memory.
char *leapp_strdup(const char *s);

// Declares the functions an X-macro list names as pointers `p_NAME` in a struct, and
// resolves them all at once: a missing one makes the library unusable, with its name.
#define LEAPP_POINTER_FIELD(name) __typeof__(&name) p_##name;
#define LEAPP_RESOLVE_FIELD(name) \
    if (lib->ready && !(api->p_##name = (__typeof__(&name))leapp_require_symbol(lib, #name))) return;

#endif
